/*
 * rate.c: the rate specifier. The 82576 limits a transmit queue by a rate
 * factor = link speed / rate (RTTBCNRC, 8.12). The driver writes it and
 * reads it back; where the NIC does not keep it (QEMU's igb drops these
 * writes), it refuses with a named error instead of pretending.
 */
#include <net/igb/pf/vnic.h>
#include <net/igb/pf/pf.h>

errval_t igb_rate_set(unsigned vf, uint32_t holder, uint64_t bytes_per_s, uint64_t *mbps_out)
{
    if (!igb_vnic_held(vf, holder))
        return CAP_ERR_WRONG_TYPE;
    uint64_t mbps = bytes_per_s * 8 / 1000000;
    if (bytes_per_s && (mbps < 1 || mbps > IGB_LINK_MBPS))
        return RATE_ERR_RANGE;
    uint32_t want = 0;
    if (bytes_per_s) {
        uint64_t rf = ((uint64_t)IGB_LINK_MBPS << 14) / mbps;   /* 14-bit fraction */
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

