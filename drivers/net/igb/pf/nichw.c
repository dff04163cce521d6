/*
 * nichw.c: what only the 82576's registers do for the VNIC layer
 * (drivers/net/nic: it keeps the book of VNICs, Filters, DMA Frames and
 * doorbells for both NICs). On the NIC's core:
 *   - a VF's pool on or off (VFRE/VFTE) when a holder takes or releases it;
 *   - Filters: what the 82576 in VMDq mode can steer by (filter_compile.c
 *     judges and compiles) written to RAR valid bits, VMOLR, VLVF, VFTA;
 *     ethertype and 5-tuple predicates refused by name;
 *   - the transmit rate limiter (RTTBCNRC, 8.12), written and read back:
 *     where the NIC does not keep it (QEMU's igb drops these writes) it
 *     is refused (RATE_ERR_NO_HW_LIMITER) instead of pretended;
 *   - Kernel.nics' row of the PF or a VF.
 */
#include <net/igb/pf/nichw.h>
#include <net/igb/pf/filter.h>
#include <net/igb/pf/pf.h>
#include <net/nic/nic.h>
#include <string.h>

#define NIC_DEVICE_PF    0x10c9

static bool igb_up(void) { return igb_pf.up; }
static uint32_t owner_core(void) { return igb_pf.owner_core; }
static unsigned nvfs(void) { return igb_pf.nvfs; }
static uint16_t vf_rid(unsigned vf) { return vf < IGB_MAX_VFS ? igb_pf.vf_rid[vf] : 0xffff; }

static void info(int vf, struct nic_info *out)
{
    out->rid = vf < 0 ? igb_pf.rid : igb_pf.vf_rid[vf];
    out->device = vf < 0 ? NIC_DEVICE_PF : IGB_VF_DEVICE_ID;
    out->link_up = (igb_rd(IGB_STATUS) & IGB_STATUS_LU) != 0;
    out->pool = vf < 0 ? IGB_PF_POOL : (uint32_t)vf;
    memcpy(out->mac, vf < 0 ? igb_pf.mac : igb_pf.vf[vf].mac, sizeof(out->mac));
}

static void vf_enable(unsigned vf, bool on)
{
    uint32_t bit = 1u << vf;
    igb_wr(IGB_VFRE, on ? igb_rd(IGB_VFRE) | bit : igb_rd(IGB_VFRE) & ~bit);
    igb_wr(IGB_VFTE, on ? igb_rd(IGB_VFTE) | bit : igb_rd(IGB_VFTE) & ~bit);
}

static struct igb_filter_rule rules_buf[IGB_FILTERS_MAX];   /* the NIC's core only */

static unsigned igb_rules(const struct nic_filter_rule *rules, unsigned n)
{
    if (n > IGB_FILTERS_MAX)
        n = IGB_FILTERS_MAX;        /* cannot be: the book keeps IGB_FILTERS_MAX */
    for (unsigned i = 0; i < n; i++)
        rules_buf[i] = igb_filter_rule_of(&rules[i]);
    return n;
}

/* Write the registers for the live filters; the PF's pool keeps its own
 * VMOLR. VLAN filtering stays on so that a VNIC without a VLAN filter
 * never sees tagged frames. */
static errval_t filter_apply(const struct nic_filter_rule *rules, unsigned n)
{
    struct igb_filter_hw hw;
    errval_t err = igb_filter_compile(rules_buf, igb_rules(rules, n), &hw);
    if (err_is_fail(err))
        return err;
    for (unsigned vf = 0; vf < igb_pf.nvfs; vf++) {
        uint32_t ral, rah;
        igb_rar_encode(igb_pf.vf[vf].mac, vf, &ral, &rah);
        if (!(hw.rah_av & 1u << vf))
            rah &= ~IGB_RAH_AV;
        igb_wr(IGB_RAH(1 + vf), 0);     /* invalid while half-written */
        igb_wr(IGB_RAL(1 + vf), ral);
        igb_wr(IGB_RAH(1 + vf), rah);
        igb_wr(IGB_VMOLR(vf), hw.vmolr[vf]);
    }
    for (unsigned i = 0; i < IGB_NUM_VLVF; i++)
        igb_wr(IGB_VLVF(i), hw.vlvf[i]);
    for (unsigned i = 0; i < IGB_VFTA_WORDS; i++)
        igb_wr(IGB_VFTA(i), hw.vfta[i]);
    igb_wr(IGB_RCTL, igb_rd(IGB_RCTL) | IGB_RCTL_VFE);
    return ERR_OK;
}

/* The rate factor = link speed / rate (RTTBCNRC, 8.12), 14-bit fraction. */
static errval_t rate_set(unsigned vf, uint64_t bytes_per_s, uint64_t *mbps_out)
{
    uint64_t mbps;
    if (!nic_rate_mbps(bytes_per_s, &mbps) || mbps > IGB_LINK_MBPS)
        return RATE_ERR_RANGE;
    uint32_t want = 0;
    if (bytes_per_s) {
        uint64_t rf = ((uint64_t)IGB_LINK_MBPS << 14) / mbps;
        want = IGB_RTTBCNRC_RS_ENA | (uint32_t)(rf & (IGB_RTTBCNRC_RF_INT_MASK | IGB_RTTBCNRC_RF_DEC_MASK));
    }
    igb_wr(IGB_RTTDQSEL, vf);           /* VF n owns queue n */
    igb_wr(IGB_RTTBCNRC, want | (want ? 0 : IGB_RTTBCNRC_RS_ENA));   /* probe with RS_ENA */
    uint32_t got = igb_rd(IGB_RTTBCNRC);
    if (!(got & IGB_RTTBCNRC_RS_ENA))
        return RATE_ERR_NO_HW_LIMITER;
    igb_wr(IGB_RTTBCNRC, want);
    *mbps_out = mbps;
    return ERR_OK;
}

static const struct nic_hw_ops igb_hw_ops = {
    .name = "82576", .log = "igb", .filters_max = IGB_FILTERS_MAX,
    .vfs_max = IGB_MAX_VFS,
    .vf_device = IGB_VF_DEVICE_ID, .vf_regs_bytes = IGB_VF_REGS_BYTES,
    .up = igb_up, .owner_core = owner_core, .nvfs = nvfs, .vf_rid = vf_rid, .info = info,
    .vf_enable = vf_enable,
    .judge = &igb_filter_judge,
    .filter_apply = filter_apply,
    .rate_set = rate_set,
};

struct nic *igb_nic;

void igb_nic_register(void)
{
    igb_nic = nic_register(&igb_hw_ops);
}
