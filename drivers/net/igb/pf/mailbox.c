/*
 * mailbox.c: the PF side of the PF-VF mailbox, polled from the timer tick.
 *
 * Interface: igb_tick() from the timer interrupt of every core; it acts
 * only on the core that ran igb_pf_init, once igb_pf.up is set. It reads
 * VFLRE (a VF was reset by FLR or its own CTRL.RST: it is no longer clear
 * to send until it sends VF_RESET again) and MBVFICR.VFREQ (a VF posted a
 * message), reads the message, acknowledges it, lets vfmsg.c decide and
 * writes the reply.
 *
 * Buffer ownership (82576 7.8.2.2, QEMU igb_set_pfmailbox): the PF takes
 * VMBMEM(n) by writing PFU, which sticks only while the VF does not hold
 * it (VFU); writing ACK or STS without PFU releases it. A buffer the VF
 * holds is tried again on the next tick (the VFREQ bit is cleared only
 * once the message is read).
 */
#include <net/igb/pf/pf.h>
#include <console.h>
#include <core.h>

static bool take_buffer(unsigned vf)
{
    igb_wr(IGB_P2VMAILBOX(vf), IGB_P2VMAILBOX_PFU);
    return igb_rd(IGB_P2VMAILBOX(vf)) & IGB_P2VMAILBOX_PFU;
}

static void send(unsigned vf, const uint32_t *w, unsigned n)
{
    if (!take_buffer(vf)) {
        kprintf("igb: VF %u holds its mailbox; reply 0x%08x dropped\n", vf, w[0]);
        return;
    }
    for (unsigned i = 0; i < n; i++)
        mmio_write32(igb_pf.regs + IGB_VMBMEM(vf) + 4 * i, w[i]);
    igb_wr(IGB_P2VMAILBOX(vf), IGB_P2VMAILBOX_STS);    /* message ready; PFU off */
}

static void serve(unsigned vf)
{
    struct igb_vf *v = &igb_pf.vf[vf];
    uint32_t msg[IGB_MBX_WORDS];
    if (!take_buffer(vf))
        return;                 /* the VF holds it: next tick */
    igb_wr(IGB_MBVFICR, 1u << (vf + IGB_MBVFICR_VFREQ_SHIFT));
    for (unsigned i = 0; i < IGB_MBX_WORDS; i++)
        msg[i] = mmio_read32(igb_pf.regs + IGB_VMBMEM(vf) + 4 * i);
    igb_wr(IGB_P2VMAILBOX(vf), IGB_P2VMAILBOX_ACK);    /* read it; PFU off */

    static struct igb_vfmsg_reply r;    /* tick context: keep it off the stack */
    igb_vfmsg_decide(v, msg, IGB_MBX_WORDS, &r);
    if (r.action == IGB_VFMSG_IGNORE)
        return;
    if (r.action == IGB_VFMSG_RESET) {
        igb_pool_setup(vf);
        v->cts = true;
        kprintf("igb: VF %u reset: MAC %02x:%02x:%02x:%02x:%02x:%02x, pool %u on\n", vf,
                v->mac[0], v->mac[1], v->mac[2], v->mac[3], v->mac[4], v->mac[5], vf);
    } else if (r.refusal) {
        kprintf("igb: VF %u asked %s: refused (%s)\n", vf, r.name, r.refusal);
    }
    send(vf, r.words, r.n);
}

void igb_mbx_init(void)
{
    igb_wr(IGB_MBVFICR, IGB_MBVFICR_VFREQ_MASK | IGB_MBVFICR_VFACK_MASK);
    igb_wr(IGB_VFLRE, 0xffu);
}

void igb_tick(void)
{
    if (!igb_pf.up || this_core()->id != igb_pf.owner_core)
        return;
    uint32_t flr = igb_rd(IGB_VFLRE) & 0xffu;
    if (flr) {
        igb_wr(IGB_VFLRE, flr);
        for (unsigned vf = 0; vf < igb_pf.nvfs; vf++) {
            if (flr & (1u << vf) && igb_pf.vf[vf].present) {
                igb_pf.vf[vf].cts = false;
                kprintf("igb: VF %u was reset (FLR); waiting for its VF_RESET\n", vf);
            }
        }
    }
    uint32_t icr = igb_rd(IGB_MBVFICR);
    if (icr & IGB_MBVFICR_VFACK_MASK)
        igb_wr(IGB_MBVFICR, icr & IGB_MBVFICR_VFACK_MASK);
    uint32_t req = (icr & IGB_MBVFICR_VFREQ_MASK) >> IGB_MBVFICR_VFREQ_SHIFT;
    for (unsigned vf = 0; vf < igb_pf.nvfs; vf++)
        if (req & (1u << vf) && igb_pf.vf[vf].present)
            serve(vf);
}
