/*
 * vfmsg.c: what the PF answers to a VF's mailbox message (pure).
 *
 * Interface: igb_vfmsg_decide() reads one message and the PF's record of
 * the VF and fills a reply; it changes nothing, so mailbox.c applies the
 * result (a reset turns the VF's pool on) and the host tests
 * (tests/unit/igb) call it directly.
 *
 * Policy: a VF may not choose anything that is part of the NIC's
 * filtering. Its MAC is the one the PF assigned (SET_MAC_ADDR is ACKed only
 * when it asks for that very address); VLAN, multicast, long-packet and
 * promiscuous requests are refused until a VNIC filter owns them. Before
 * its first VF_RESET (or after an FLR) a VF is not clear to send and
 * every other request is NACKed, as Linux igb does.
 *
 * Invariant: every answer but IGB_VFMSG_IGNORE has exactly one of ACK or
 * NACK, echoes the request type, and carries CTS once the VF has been reset.
 */
#include <net/igb/pf/igb.h>
#include <stddef.h>

typedef void (*vfmsg_fn)(const struct igb_vf *vf, const uint32_t *msg, unsigned n,
                         struct igb_vfmsg_reply *r);

static void refuse(struct igb_vfmsg_reply *r, const char *why)
{
    r->words[0] |= IGB_VT_MSGTYPE_NACK;
    r->refusal = why;
}

static void on_reset(const struct igb_vf *vf, const uint32_t *msg, unsigned n,
                     struct igb_vfmsg_reply *r)
{
    (void)msg;
    (void)n;
    r->action = IGB_VFMSG_RESET;
    r->words[0] = IGB_VF_RESET | IGB_VT_MSGTYPE_ACK;
    igb_mac_to_words(vf->mac, &r->words[1]);
    r->words[3] = 0;            /* multicast filter type 0 (MTA bits 47:36) */
    r->n = 4;
}

static void on_set_mac(const struct igb_vf *vf, const uint32_t *msg, unsigned n,
                       struct igb_vfmsg_reply *r)
{
    uint8_t want[IGB_MAC_LEN];
    if (n < 3) {
        refuse(r, "message too short (needs 3 words)");
        return;
    }
    igb_words_to_mac(&msg[1], want);
    for (int i = 0; i < IGB_MAC_LEN; i++) {
        if (want[i] != vf->mac[i]) {
            refuse(r, "a VF keeps the MAC address the PF assigned");
            return;
        }
    }
    r->words[0] |= IGB_VT_MSGTYPE_ACK;
}

static void on_filter(const struct igb_vf *vf, const uint32_t *msg, unsigned n,
                      struct igb_vfmsg_reply *r)
{
    (void)vf;
    (void)msg;
    (void)n;
    refuse(r, "the control plane sets filters: ask for a Filter capability");
}

static const struct {
    const char *name;
    vfmsg_fn fn;
} vfmsg_table[] = {
    [IGB_VF_RESET] = {"VF_RESET", on_reset},
    [IGB_VF_SET_MAC_ADDR] = {"SET_MAC_ADDR", on_set_mac},
    [IGB_VF_SET_MULTICAST] = {"SET_MULTICAST", on_filter},
    [IGB_VF_SET_VLAN] = {"SET_VLAN", on_filter},
    [IGB_VF_SET_LPE] = {"SET_LPE", on_filter},
    [IGB_VF_SET_PROMISC] = {"SET_PROMISC", on_filter},
};

void igb_vfmsg_decide(const struct igb_vf *vf, const uint32_t *msg, unsigned n,
                      struct igb_vfmsg_reply *r)
{
    uint32_t type = n ? msg[0] & IGB_VT_MSG_TYPE_MASK : 0;
    r->action = IGB_VFMSG_REPLY;
    r->n = 1;
    r->refusal = NULL;
    r->name = "unknown";
    for (unsigned i = 0; i < IGB_MBX_WORDS; i++)
        r->words[i] = 0;
    if (n && msg[0] & (IGB_VT_MSGTYPE_ACK | IGB_VT_MSGTYPE_NACK)) {
        r->action = IGB_VFMSG_IGNORE;
        r->n = 0;
        return;
    }
    r->words[0] = type;
    if (type < sizeof(vfmsg_table) / sizeof(vfmsg_table[0]) && vfmsg_table[type].fn) {
        r->name = vfmsg_table[type].name;
        if (type != IGB_VF_RESET && !vf->cts)
            refuse(r, "the VF has not sent VF_RESET since it was reset");
        else
            vfmsg_table[type].fn(vf, msg, n, r);
    } else {
        refuse(r, "unknown request");
    }
    if (vf->cts && r->action != IGB_VFMSG_RESET)
        r->words[0] |= IGB_VT_MSGTYPE_CTS;
}
