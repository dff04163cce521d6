/*
 * selftest.c: play VF 0's driver against the PF's mailbox (igb.selftest).
 *
 * Interface: igb_selftest(table), after igb_pf_init, on the NIC's core.
 * It maps VF 0's BAR 0, posts requests in VF 0's mailbox window as a VF
 * driver would (VFU, message, REQ), runs the PF's tick by hand and checks
 * each reply: VF_RESET -> ACK + 02:00:00:00:01:00, SET_MAC_ADDR of that
 * MAC -> ACK, of another -> NACK, SET_VLAN -> NACK. One result line.
 * The VF-side bits are from QEMU igbvf.c / Linux igbvf mbx.h.
 */
#include <net/igb/pf/pf.h>
#include <net/igb/shared/vfregs.h>
#include <arch/paging.h>
#include <console.h>


static volatile uint8_t *vfregs;

static bool vf_send(const uint32_t *w, unsigned n, uint32_t *reply)
{
    mmio_write32(vfregs + IGBVF_V2PMAILBOX, IGBVF_V2P_VFU);
    if (!(mmio_read32(vfregs + IGBVF_V2PMAILBOX) & IGBVF_V2P_VFU))
        return false;
    for (unsigned i = 0; i < n; i++)
        mmio_write32(vfregs + IGBVF_VMBMEM + 4 * i, w[i]);
    mmio_write32(vfregs + IGBVF_V2PMAILBOX, IGBVF_V2P_REQ);   /* post it; VFU off */
    igb_tick();
    if (!(mmio_read32(vfregs + IGBVF_V2PMAILBOX) & IGBVF_V2P_PFSTS))
        return false;
    for (unsigned i = 0; i < 4; i++)
        reply[i] = mmio_read32(vfregs + IGBVF_VMBMEM + 4 * i);
    mmio_write32(vfregs + IGBVF_V2PMAILBOX, IGBVF_V2P_ACK);
    igb_tick();                 /* the PF sees (and clears) the VF's ACK */
    return true;
}

/* Do the VMDq registers read back what pf.c and filter.c wrote (QEMU drops
 * writes to registers it does not implement)? VF 0 holds no Filter, so its
 * RAR entry is there but not valid and its pool accepts nothing. One line
 * per mismatch. */
static void check_readback(void)
{
    uint32_t ral, rah;
    igb_rar_encode(igb_pf.vf[0].mac, 0, &ral, &rah);
    const struct { const char *name; unsigned reg; uint32_t mask, want; } t[] = {
        {"MRQC", IGB_MRQC, IGB_MRQC_MRQE_MASK, IGB_MRQC_MRQE_VMDQ},
        {"VT_CTL", IGB_VT_CTL, IGB_VT_CTL_DEF_PL_MASK, IGB_PF_POOL << IGB_VT_CTL_DEF_PL_SHIFT},
        {"DTXSWC.LOOPBACK_EN", IGB_DTXSWC, IGB_DTXSWC_LOOPBACK_EN, IGB_DTXSWC_LOOPBACK_EN},
        {"RAL(1)", IGB_RAL(1), ~0u, ral},
        {"RAH(1)", IGB_RAH(1), ~0u, rah & ~IGB_RAH_AV},
        {"VMOLR(0)", IGB_VMOLR(0), IGB_VMOLR_BAM | IGB_VMOLR_AUPE | IGB_VMOLR_ROPE, 0},
        {"RCTL.VFE", IGB_RCTL, IGB_RCTL_VFE, IGB_RCTL_VFE},
        {"VFRE.pool0", IGB_VFRE, 1u, 1u},
        {"CTRL_EXT.PFRSTD", IGB_CTRL_EXT, IGB_CTRL_EXT_PFRSTD, IGB_CTRL_EXT_PFRSTD},
    };
    for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        uint32_t v = igb_rd(t[i].reg);
        if ((v & t[i].mask) != t[i].want)
            kprintf("igb: selftest: %s reads 0x%08x, want 0x%08x under mask 0x%08x\n", t[i].name,
                    v, t[i].want, t[i].mask);
    }
}

void igb_selftest(void)
{
    const char *fail = NULL;
    uint32_t w[3] = {0}, r[4];
    uint8_t mac[IGB_MAC_LEN], other[IGB_MAC_LEN];
    if (!igb_pf.up || !igb_pf.vf[0].present || !igb_pf.vf0_bar) {
        kprintf("igb: selftest: skipped (no PF up or no VF 0)\n");
        return;
    }
    volatile void *va;
    if (err_is_fail(paging_map_device(igb_pf.vf0_bar, 0x4000, &va))) {
        kprintf("igb: selftest: cannot map VF 0's BAR 0\n");
        return;
    }
    vfregs = va;
    check_readback();
    w[0] = IGB_VF_RESET;
    if (!vf_send(w, 1, r))
        fail = "VF_RESET: no reply";
    else if (r[0] != (IGB_VF_RESET | IGB_VT_MSGTYPE_ACK))
        fail = "VF_RESET: not ACKed";
    igb_words_to_mac(&r[1], mac);
    igb_vf_mac(0, other);
    for (int i = 0; !fail && i < IGB_MAC_LEN; i++)
        if (mac[i] != other[i])
            fail = "VF_RESET: wrong MAC";
    w[0] = IGB_VF_SET_MAC_ADDR;
    igb_mac_to_words(mac, &w[1]);
    if (!fail && (!vf_send(w, 3, r) || !(r[0] & IGB_VT_MSGTYPE_ACK) || !(r[0] & IGB_VT_MSGTYPE_CTS)))
        fail = "SET_MAC_ADDR of its own MAC: not ACKed with CTS";
    other[5] = 0x42;
    igb_mac_to_words(other, &w[1]);
    if (!fail && (!vf_send(w, 3, r) || !(r[0] & IGB_VT_MSGTYPE_NACK)))
        fail = "SET_MAC_ADDR of another MAC: not NACKed";
    w[0] = IGB_VF_SET_VLAN | 1u << IGB_VT_MSGINFO_SHIFT;
    w[1] = 100;
    if (!fail && (!vf_send(w, 2, r) || !(r[0] & IGB_VT_MSGTYPE_NACK)))
        fail = "SET_VLAN: not NACKed";
    if (fail)
        kprintf("igb: selftest: VF 0 mailbox FAILED: %s (reply 0x%08x)\n", fail, r[0]);
    else
        kprintf("igb: selftest: VF 0 mailbox ok: reset ACK with MAC, own MAC ACK, "
                "other MAC NACK, SET_VLAN NACK\n");
}
