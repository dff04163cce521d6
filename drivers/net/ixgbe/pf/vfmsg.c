/*
 * vfmsg.c: the PF's decision for each VF mailbox message, as Linux's
 * ixgbe_sriov.c makes it for the parts this driver offers, and refusals
 * for the rest (the control plane, not the VF, decides addresses,
 * multicast and VLANs: a VF asks for a Filter capability instead).
 *   VF_RESET        ACK, MAC in words 1-2, word 3
 *                   the multicast filter type (0: bits 47:36, MCSTCTRL.MO
 *                   = 00); NACK when the VF has no MAC yet.
 *   API_NEGOTIATE   ACK for 1.0, 1.1, 1.2, 1.3, 1.4; NACK otherwise
 *                   (Linux ixgbevf then tries the next older one).
 *   GET_QUEUES      API 1.1+: 2 Tx and 2 Rx queues (64-pool mode), no
 *                   transparent VLAN, default queue 0; NACK under 1.0.
 *   SET_MAC_ADDR    ACK only for the address the PF assigned.
 *   others          NACK with the reason.
 * Nothing before the first VF_RESET is answered but with NACK (Linux
 * does the same: the VF is not "clear to send").
 * Pure: tests/unit/ixgbe runs it on the host.
 */
#include <net/ixgbe/pf/vfmsg.h>
#include <net/igb/shared/mbx.h>
#include <string.h>

_Static_assert(IXGBE_VF_RESET == IGB_VF_RESET && IXGBE_VF_SET_LPE == IGB_VF_SET_LPE &&
               IXGBE_VT_MSGTYPE_ACK == IGB_VT_MSGTYPE_ACK &&
               IXGBE_VT_MSGTYPE_NACK == IGB_VT_MSGTYPE_NACK &&
               IXGBE_VT_MSGTYPE_CTS == IGB_VT_MSGTYPE_CTS,
               "the 82599 mailbox shares the 82576's first codes and flag bits");

#define REFUSE_FILTERS "the control plane sets filters: ask for a Filter capability"

bool ixgbe_api_supported(int api)
{
    return api == IXGBE_MBOX_API_10 || api == IXGBE_MBOX_API_11 || api == IXGBE_MBOX_API_12 ||
           api == IXGBE_MBOX_API_13 || api == IXGBE_MBOX_API_14;
}

static void mac_words(const uint8_t *mac, uint32_t *w)
{
    w[0] = (uint32_t)mac[0] | (uint32_t)mac[1] << 8 | (uint32_t)mac[2] << 16 | (uint32_t)mac[3] << 24;
    w[1] = (uint32_t)mac[4] | (uint32_t)mac[5] << 8;
}

static const char *msg_name(uint32_t code)
{
    switch (code) {
    case IXGBE_VF_RESET: return "VF_RESET";
    case IXGBE_VF_SET_MAC_ADDR: return "SET_MAC_ADDR";
    case IXGBE_VF_SET_MULTICAST: return "SET_MULTICAST";
    case IXGBE_VF_SET_VLAN: return "SET_VLAN";
    case IXGBE_VF_SET_LPE: return "SET_LPE";
    case IXGBE_VF_SET_MACVLAN: return "SET_MACVLAN";
    case IXGBE_VF_API_NEGOTIATE: return "API_NEGOTIATE";
    case IXGBE_VF_GET_QUEUES: return "GET_QUEUES";
    case IXGBE_VF_UPDATE_XCAST_MODE: return "UPDATE_XCAST_MODE";
    case IXGBE_VF_GET_LINK_STATE: return "GET_LINK_STATE";
    default: return "unknown";
    }
}

static void nack(struct ixgbe_vfmsg_reply *r, uint32_t code, const char *why)
{
    r->words[0] = code | IXGBE_VT_MSGTYPE_NACK;
    r->n = 1;
    r->refusal = why;
}

static void decide(const struct ixgbe_vf *vf, const uint32_t *msg, unsigned n,
                   struct ixgbe_vfmsg_reply *r)
{
    memset(r, 0, sizeof(*r));
    r->action = IXGBE_VFMSG_REPLY;
    uint32_t code = n ? msg[0] & IXGBE_VT_MSG_TYPE_MASK : 0;
    r->name = msg_name(code);
    if (n == 0) {
        nack(r, 0, "empty message");
        return;
    }
    if (msg[0] & (IXGBE_VT_MSGTYPE_ACK | IXGBE_VT_MSGTYPE_NACK)) {
        r->action = IXGBE_VFMSG_IGNORE;
        return;
    }
    if (code == IXGBE_VF_RESET) {
        bool have_mac = false;
        for (int i = 0; i < IXGBE_MAC_LEN; i++)
            have_mac |= vf->mac[i] != 0;
        if (!vf->present || !have_mac) {
            nack(r, code, "the PF has no address for this VF");
            return;
        }
        r->action = IXGBE_VFMSG_RESET;
        r->words[0] = code | IXGBE_VT_MSGTYPE_ACK;
        mac_words(vf->mac, &r->words[1]);
        r->words[3] = 0;                    /* multicast filter type 0 */
        r->n = IXGBE_VF_RESET_REPLY_WORDS;
        return;
    }
    if (!vf->cts) {
        nack(r, code, "not clear to send: the VF has not been reset (VF_RESET first)");
        return;
    }
    switch (code) {
    case IXGBE_VF_API_NEGOTIATE:
        if (n < 2 || !ixgbe_api_supported((int)msg[1])) {
            nack(r, code, "API version not spoken here (1.0-1.4 are)");
            return;
        }
        r->action = IXGBE_VFMSG_SET_API;
        r->api = (int)msg[1];
        r->words[0] = code | IXGBE_VT_MSGTYPE_ACK;
        r->n = 1;
        return;
    case IXGBE_VF_GET_QUEUES:
        if (vf->api == IXGBE_MBOX_API_10) {
            nack(r, code, "GET_QUEUES needs API 1.1 or later (negotiate first)");
            return;
        }
        r->words[0] = code | IXGBE_VT_MSGTYPE_ACK;
        r->words[IXGBE_VF_TX_QUEUES] = 2;
        r->words[IXGBE_VF_RX_QUEUES] = 2;
        r->words[IXGBE_VF_TRANS_VLAN] = 0;
        r->words[IXGBE_VF_DEF_QUEUE] = 0;
        r->n = IXGBE_VF_GET_QUEUES_WORDS;
        return;
    case IXGBE_VF_SET_MAC_ADDR: {
        uint32_t want[2];
        mac_words(vf->mac, want);
        if (n >= 3 && msg[1] == want[0] && (msg[2] & 0xffff) == want[1]) {
            r->words[0] = code | IXGBE_VT_MSGTYPE_ACK;
            r->n = 1;
        } else {
            nack(r, code, "the PF assigns this VF's address");
        }
        return;
    }
    case IXGBE_VF_SET_MULTICAST:
    case IXGBE_VF_SET_VLAN:
    case IXGBE_VF_SET_MACVLAN:
    case IXGBE_VF_UPDATE_XCAST_MODE:
        nack(r, code, REFUSE_FILTERS);
        return;
    case IXGBE_VF_SET_LPE:
        nack(r, code, "jumbo frames are not offered (1518-byte frames)");
        return;
    default:
        nack(r, code, "not a request this PF answers");
        return;
    }
}

/* Every reply to a VF that has been reset carries CTS, as Linux's; the
 * reset reply itself does not (ixgbe_vf_reset_msg). */
void ixgbe_vfmsg_decide(const struct ixgbe_vf *vf, const uint32_t *msg, unsigned n,
                        struct ixgbe_vfmsg_reply *r)
{
    decide(vf, msg, n, r);
    if (vf->cts && r->action != IXGBE_VFMSG_RESET && r->action != IXGBE_VFMSG_IGNORE && r->n)
        r->words[0] |= IXGBE_VT_MSGTYPE_CTS;
}
