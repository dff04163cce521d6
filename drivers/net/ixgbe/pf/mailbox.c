/*
 * mailbox.c: the 82599 PF's side of the PF-VF mailbox, polled from the
 * timer tick on the NIC's core, as igb/pf/mailbox.c does for the 82576:
 * PFVFLRE (a VF was reset: no longer clear to send), PFMBICR REQ bits
 * (16 VFs a register), PFMAILBOX PFU to take the buffer, PFMBMEM for the
 * words, ACK / STS. The decision is vfmsg.c's (pure, host-tested).
 * NOT RUN ON HARDWARE here.
 */
#include <net/ixgbe/pf/ixgbe.h>
#include <console.h>
#include <core.h>

static bool take_buffer(unsigned vf)
{
    ixgbe_wr(IXGBE_PFMAILBOX(vf), IXGBE_PFMAILBOX_PFU);
    return ixgbe_rd(IXGBE_PFMAILBOX(vf)) & IXGBE_PFMAILBOX_PFU;
}

static void send(unsigned vf, const uint32_t *w, unsigned n)
{
    if (!take_buffer(vf)) {
        kprintf("ixgbe: VF %u holds its mailbox; reply 0x%08x dropped\n", vf, w[0]);
        return;
    }
    for (unsigned i = 0; i < n; i++)
        ixgbe_wr(IXGBE_PFMBMEM(vf) + 4 * i, w[i]);
    ixgbe_wr(IXGBE_PFMAILBOX(vf), IXGBE_PFMAILBOX_STS);
}

static void serve(unsigned vf)
{
    struct ixgbe_vf *v = &ixgbe_pf.vf[vf];
    uint32_t msg[IXGBE_MBX_WORDS];
    if (!take_buffer(vf))
        return;
    ixgbe_wr(IXGBE_PFMBICR(vf / 16), 1u << (vf % 16));
    for (unsigned i = 0; i < IXGBE_MBX_WORDS; i++)
        msg[i] = ixgbe_rd(IXGBE_PFMBMEM(vf) + 4 * i);
    ixgbe_wr(IXGBE_PFMAILBOX(vf), IXGBE_PFMAILBOX_ACK);

    static struct ixgbe_vfmsg_reply r;
    ixgbe_vfmsg_decide(v, msg, IXGBE_MBX_WORDS, &r);
    if (r.action == IXGBE_VFMSG_IGNORE)
        return;
    if (r.action == IXGBE_VFMSG_RESET) {
        ixgbe_pool_setup(vf);
        v->cts = true;
        v->api = IXGBE_MBOX_API_10;
        kprintf("ixgbe: VF %u reset: pool %u on\n", vf, vf);
    } else if (r.action == IXGBE_VFMSG_SET_API) {
        v->api = r.api;
    } else if (r.refusal) {
        kprintf("ixgbe: VF %u asked %s: refused (%s)\n", vf, r.name, r.refusal);
    }
    send(vf, r.words, r.n);
}

void ixgbe_mbx_init(void)
{
    for (unsigned i = 0; i < 4; i++)
        ixgbe_wr(IXGBE_PFMBICR(i), 0xffffffffu);
    ixgbe_wr(IXGBE_PFVFLREC(0), 0xffffffffu);
    ixgbe_wr(IXGBE_PFVFLREC(1), 0xffffffffu);
}

void ixgbe_tick(void)
{
    if (!ixgbe_pf.up || this_core()->id != ixgbe_pf.owner_core)
        return;
    for (unsigned w = 0; w < 2; w++) {
        uint32_t flr = ixgbe_rd(IXGBE_PFVFLRE(w));
        if (!flr)
            continue;
        ixgbe_wr(IXGBE_PFVFLREC(w), flr);
        for (unsigned b = 0; b < 32; b++) {
            unsigned vf = 32 * w + b;
            if (flr >> b & 1 && vf < ixgbe_pf.nvfs && ixgbe_pf.vf[vf].present) {
                ixgbe_pf.vf[vf].cts = false;
                kprintf("ixgbe: VF %u was reset (FLR); waiting for its VF_RESET\n", vf);
            }
        }
    }
    for (unsigned i = 0; i * 16 < ixgbe_pf.nvfs; i++) {
        uint32_t icr = ixgbe_rd(IXGBE_PFMBICR(i));
        if (icr >> IXGBE_PFMBICR_ACK_SHIFT)
            ixgbe_wr(IXGBE_PFMBICR(i), icr & ~IXGBE_PFMBICR_REQ_MASK);
        for (unsigned b = 0; b < 16; b++) {
            unsigned vf = 16 * i + b;
            if (icr >> b & 1 && vf < ixgbe_pf.nvfs && ixgbe_pf.vf[vf].present)
                serve(vf);
        }
    }
}
