/*
 * dma.c: the Frames a VF may reach. VNIC.register_dma maps a Frame the
 * domain holds into its VF's IOMMU domain (IOVA = physical address); only
 * those Frames are reachable. The set of them is the IOMMU's generic
 * struct vtd_dmaset (drivers/iommu/vtd/dmaset.c); what is igb's here is
 * which VF and holder a call names, and the errors VNIC callers know.
 * When the Frame's capability goes, its mapping goes too: on the NIC's
 * core at once, and from another core by telling the NIC's core, which is
 * why each core follows the Frames it registered through the NIC's core
 * (a row per core, touched only by it).
 */
#include <net/igb/pf/vnic.h>
#include <net/igb/pf/forward.h>
#include <iommu/vtd/vtd.h>
#include <core.h>

static struct vtd_dmaset_remote remote[MAX_CORES][VTD_DMASET_REMOTE_MAX];   /* a row per core */
#define KEY(vf, holder) ((uint64_t)(vf) | (uint64_t)(holder) << 32)

static errval_t vnic_err(errval_t err)
{
    return err_no(err) == DMA_ERR_TOO_MANY ? VNIC_ERR_TOO_MANY_DMA
         : err_no(err) == DMA_ERR_NOT_REGISTERED ? VNIC_ERR_NOT_REGISTERED : err;
}

errval_t igb_dma_register(unsigned vf, uint32_t holder, uint64_t base, uint64_t bytes)
{
    struct igb_vnic *v = igb_vnic_held(vf, holder);
    return v ? vnic_err(vtd_dmaset_add(&v->dma, base, bytes)) : CAP_ERR_WRONG_TYPE;
}

errval_t igb_dma_unregister(unsigned vf, uint32_t holder, uint64_t base)
{
    struct igb_vnic *v = igb_vnic_held(vf, holder);
    return v ? vnic_err(vtd_dmaset_remove(&v->dma, base)) : CAP_ERR_WRONG_TYPE;
}

bool igb_dma_follow(struct cte *frame, unsigned vf, uint32_t holder, uint64_t base)
{
    if (igb_is_owner()) {               /* the VNIC's own entry names it */
        struct igb_vnic *v = igb_vnic_held(vf, holder);
        return v && vtd_dmaset_name(&v->dma, frame, base);
    }
    return vtd_dmaset_remote_follow(remote[this_core()->id], frame, KEY(vf, holder), base);
}

/* The NIC's core unregisters by base, whichever copy of the Frame names
 * it; so must this table, or the entry of the copy that registered stays
 * and, when that copy goes, unregisters a later registration at the same
 * base that is still the holder's (found by capfuzz, seed 6 on core 2). */
void igb_dma_unfollow(unsigned vf, uint32_t holder, uint64_t base)
{
    vtd_dmaset_remote_unfollow(remote[this_core()->id], KEY(vf, holder), base);
}

void igb_dma_frame_removed(struct cte *frame)
{
    for (unsigned vf = 0; igb_is_owner() && vf < IGB_MAX_VFS; vf++)
        if (igb_vnics[vf].holder)
            vtd_dmaset_frame_removed(&igb_vnics[vf].dma, frame);
    uint64_t key, base;
    while (vtd_dmaset_remote_gone(remote[this_core()->id], frame, &key, &base))
        igb_tell(IGB_OP_DMA_UNREGISTER, &(struct igb_req){ .vf = (uint32_t)(key & 0xffffffff),
                                                           .holder = (uint32_t)(key >> 32),
                                                           .a = base });
}
