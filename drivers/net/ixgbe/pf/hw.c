/*
 * hw.c: writing what filter_compile.c computed, and the rate limiter.
 *   Filters: RAH.AV of each VF's RAR entry, VMOLR, VLVF/VLVFB, VFTA, then
 *   the five-tuple entries (SAQF, DAQF, SDPQF, L34TIMIR before FTQF, which
 *   makes the entry live) and the unused ones off; PFQDE makes every
 *   VF's queue 1 (the sink of unclaimed IPv4) drop instead of stall.
 *   Rate: RTTBCNRM (Linux: 0x4 without jumbo frames), then for each of the
 *   VF's two queues RTTDQSEL = queue, RTTBCNRC = factor (8.2.3.10.13-16;
 *   Linux ixgbe_set_vf_rate_limit), read back.
 *   A VF's pool on or off: PFVFRE/PFVFTE (8.2.3.27.7-8), when a holder
 *   takes or lets go of its VNIC.
 * NOT RUN ON HARDWARE here.
 */
#include <net/ixgbe/pf/ixgbe.h>

#define PFQDE_QDE       (1u << 0)
#define PFQDE_WE        (1u << 16)
#define PFQDE_IDX_SHIFT 8

void ixgbe_filter_apply(const struct ixgbe_filter_hw *hw)
{
    for (unsigned vf = 0; vf < ixgbe_pf.nvfs; vf++) {
        unsigned rar = 1 + vf;
        uint32_t rah = ixgbe_rd(IXGBE_RAH(rar)) & ~IXGBE_RAH_AV;
        ixgbe_wr(IXGBE_RAH(rar), rah | ((hw->rar_av >> vf & 1) ? IXGBE_RAH_AV : 0));
        ixgbe_wr(IXGBE_VMOLR(vf), hw->vmolr[vf]);
        ixgbe_wr(IXGBE_PFQDE, PFQDE_WE | PFQDE_QDE |
                              (IXGBE_QUEUES_PER_POOL * vf + 1) << PFQDE_IDX_SHIFT);
    }
    for (unsigned i = 0; i < IXGBE_NUM_VLVF; i++) {
        ixgbe_wr(IXGBE_VLVF(i), hw->vlvf[i]);
        ixgbe_wr(IXGBE_VLVFB(2 * i), hw->vlvfb[2 * i]);
        ixgbe_wr(IXGBE_VLVFB(2 * i + 1), hw->vlvfb[2 * i + 1]);
    }
    for (unsigned i = 0; i < IXGBE_VFTA_WORDS; i++)
        ixgbe_wr(IXGBE_VFTA(i), hw->vfta[i]);
    for (unsigned i = 0; i < IXGBE_NUM_5TUPLE; i++) {
        const struct ixgbe_5tuple *t = &hw->ft[i];
        ixgbe_wr(IXGBE_FTQF(i), 0);
        if (i >= hw->nft)
            continue;
        ixgbe_wr(IXGBE_SAQF(i), t->saqf);
        ixgbe_wr(IXGBE_DAQF(i), t->daqf);
        ixgbe_wr(IXGBE_SDPQF(i), t->sdpqf);
        ixgbe_wr(IXGBE_L34TIMIR(i), t->l34timir);
        ixgbe_wr(IXGBE_FTQF(i), t->ftqf);
    }
}

errval_t ixgbe_rate_apply(unsigned vf, uint32_t mbps)
{
    uint32_t v;
    errval_t err = ixgbe_rate_factor(ixgbe_pf.link_mbps ? ixgbe_pf.link_mbps : IXGBE_LINK_MBPS,
                                     mbps, &v);
    if (err_is_fail(err))
        return err;
    ixgbe_wr(IXGBE_RTTBCNRM, IXGBE_RTTBCNRM_MMW_1500);
    for (unsigned q = 0; q < IXGBE_QUEUES_PER_POOL; q++) {
        ixgbe_wr(IXGBE_RTTDQSEL, IXGBE_QUEUES_PER_POOL * vf + q);
        ixgbe_wr(IXGBE_RTTBCNRC, v);
        if (ixgbe_rd(IXGBE_RTTBCNRC) != v)
            return RATE_ERR_NO_HW_LIMITER;
    }
    return ERR_OK;
}

void ixgbe_vf_enable(unsigned vf, bool on)
{
    uint32_t bit = 1u << (vf % 32);
    uint32_t re = ixgbe_rd(IXGBE_PFVFRE(vf / 32)), te = ixgbe_rd(IXGBE_PFVFTE(vf / 32));
    ixgbe_wr(IXGBE_PFVFRE(vf / 32), on ? re | bit : re & ~bit);
    ixgbe_wr(IXGBE_PFVFTE(vf / 32), on ? te | bit : te & ~bit);
}
