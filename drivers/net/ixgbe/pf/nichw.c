/*
 * nichw.c: what only the 82599's registers do for the VNIC layer
 * (drivers/net/nic keeps the book of VNICs, Filters, DMA Frames and
 * doorbells for both NICs, so a domain holds an 82599 VNIC through the
 * same capabilities as an 82576 one). On the NIC's core:
 *   - a VF's pool on or off (hw.c: PFVFRE/PFVFTE);
 *   - Filters: judged and compiled by filter_compile.c (address and tag
 *     per pool as on the 82576, plus five-tuple filters for protocol,
 *     local port and peer: FTQF/SDPQF/SAQF/L34TIMIR), written by hw.c;
 *     what it cannot say exactly is refused by name (filter.h);
 *   - the transmit rate limiter: RTTBCNRC for both of the VF's queues
 *     (hw.c), RATE_ERR_RANGE_10G outside (10 Mbit/s, link];
 *   - Kernel.nics' row of the PF or a VF.
 * NOT RUN ON HARDWARE here: tests/unit/nic runs the book against these
 * operations' pure halves; the register writes wait for an X520.
 */
#include <net/ixgbe/pf/ixgbe.h>
#include <net/nic/nic.h>
#include <string.h>

#define MBPS_MAX 0xffffffffull

static bool up(void) { return ixgbe_pf.up; }
static uint32_t owner_core(void) { return ixgbe_pf.owner_core; }
static unsigned nvfs(void) { return ixgbe_pf.nvfs; }
static uint16_t vf_rid(unsigned vf) { return vf < IXGBE_MAX_VFS ? ixgbe_pf.vf_rid[vf] : 0xffff; }

static void info(int vf, struct nic_info *out)
{
    out->rid = vf < 0 ? ixgbe_pf.rid : ixgbe_pf.vf_rid[vf];
    out->device = vf < 0 ? IXGBE_DEV_82599_SFP : IXGBE_DEV_82599_VF;
    out->link_up = (ixgbe_rd(IXGBE_LINKS) & IXGBE_LINKS_UP) != 0;
    out->pool = vf < 0 ? ixgbe_pf.nvfs : (uint32_t)vf;
    memcpy(out->mac, vf < 0 ? ixgbe_pf.mac : ixgbe_pf.vf[vf].mac, sizeof(out->mac));
}

static struct ixgbe_filter_rule rules_buf[IXGBE_FILTERS_MAX];   /* the NIC's core only */

static errval_t filter_apply(const struct nic_filter_rule *rules, unsigned n)
{
    static struct ixgbe_filter_hw hw;   /* 3 KiB: off the kernel stack */
    if (n > IXGBE_FILTERS_MAX)
        return FILTER_ERR_TABLE_FULL;   /* cannot be: the book keeps IXGBE_FILTERS_MAX */
    ixgbe_filter_rules_of(rules, n, rules_buf);
    errval_t err = ixgbe_filter_compile(rules_buf, n, &hw);
    if (err_is_ok(err))
        ixgbe_filter_apply(&hw);
    return err;
}

static errval_t rate_set(unsigned vf, uint64_t bytes_per_s, uint64_t *mbps_out)
{
    uint64_t mbps;
    if (!nic_rate_mbps(bytes_per_s, &mbps) || mbps > MBPS_MAX)
        return RATE_ERR_RANGE_10G;      /* ixgbe_rate_factor checks (10 Mbit/s, link] */
    errval_t err = ixgbe_rate_apply(vf, (uint32_t)mbps);
    if (err_is_ok(err))
        *mbps_out = mbps;
    return err;
}

static const struct nic_hw_ops ixgbe_hw_ops = {
    .name = "82599", .log = "ixgbe", .filters_max = IXGBE_FILTERS_MAX, .vfs_max = IXGBE_MAX_VFS,
    .vf_device = IXGBE_DEV_82599_VF, .vf_regs_bytes = IXGBE_VF_REGS_BYTES,
    .up = up, .owner_core = owner_core, .nvfs = nvfs, .vf_rid = vf_rid, .info = info,
    .vf_enable = ixgbe_vf_enable,
    .judge = &ixgbe_filter_judge,
    .filter_apply = filter_apply,
    .rate_set = rate_set,
};

struct nic *ixgbe_nic;

void ixgbe_nic_register(void)
{
    ixgbe_nic = nic_register(&ixgbe_hw_ops);
}
