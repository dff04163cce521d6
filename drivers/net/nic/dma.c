/*
 * dma.c: the Frames a VF may reach. VNIC.register_dma maps a Frame the
 * domain holds into its VF's IOMMU domain (IOVA = physical address); only
 * those Frames are reachable. The set of them is the IOMMU's generic
 * struct vtd_dmaset (drivers/iommu/vtd/dmaset.c, shared with NVMe); what
 * is the VNIC layer's here is which NIC, VF and holder a call names, and
 * the errors VNIC callers know. When the Frame's capability goes, its
 * mapping goes too: on the NIC's core at once, and from another core by
 * telling the NIC's core, which is why each core follows the Frames it
 * registered through the NIC's core (a row per core, touched only by it).
 */
#include <net/nic/priv.h>
#include <iommu/vtd/vtd.h>
#include <core.h>

static struct vtd_dmaset_remote remote[MAX_CORES][VTD_DMASET_REMOTE_MAX];   /* a row per core */

/* The remote key: NIC, VF and holder, as a VNIC capability names them. */
#define KEY(n, vf, holder) nic_vnic_word(nic_index(n), (vf), (holder))

static errval_t vnic_err(errval_t err)
{
    return err_no(err) == DMA_ERR_TOO_MANY ? VNIC_ERR_TOO_MANY_DMA
         : err_no(err) == DMA_ERR_NOT_REGISTERED ? VNIC_ERR_NOT_REGISTERED : err;
}

errval_t nic_dma_register(struct nic *n, unsigned vf, uint32_t holder, uint64_t base, uint64_t bytes)
{
    if (!nic_book_held(&n->book, vf, holder))
        return CAP_ERR_WRONG_TYPE;
    return vnic_err(vtd_dmaset_add(&n->dma[vf], base, bytes));
}

errval_t nic_dma_unregister(struct nic *n, unsigned vf, uint32_t holder, uint64_t base)
{
    if (!nic_book_held(&n->book, vf, holder))
        return CAP_ERR_WRONG_TYPE;
    return vnic_err(vtd_dmaset_remove(&n->dma[vf], base));
}

bool nic_dma_follow(struct nic *n, struct cte *frame, unsigned vf, uint32_t holder, uint64_t base)
{
    if (nic_is_owner(n))                /* the VNIC's own entry names it */
        return nic_book_held(&n->book, vf, holder) && vtd_dmaset_name(&n->dma[vf], frame, base);
    return vtd_dmaset_remote_follow(remote[this_core()->id], frame, KEY(n, vf, holder), base);
}

/* The NIC's core unregisters by base, whichever copy of the Frame names
 * it; so must this table, or the entry of the copy that registered stays
 * and, when that copy goes, unregisters a later registration at the same
 * base that is still the holder's (found by capfuzz, seed 6 on core 2). */
void nic_dma_unfollow(const struct nic *n, unsigned vf, uint32_t holder, uint64_t base)
{
    vtd_dmaset_remote_unfollow(remote[this_core()->id], KEY(n, vf, holder), base);
}

void nic_dma_frame_removed(struct cte *frame)
{
    for (unsigned i = 0; i < nic_count; i++) {
        struct nic *n = &nic_nics[i];
        for (unsigned vf = 0; nic_is_owner(n) && vf < n->book.nvfs; vf++)
            if (n->book.holder[vf])
                vtd_dmaset_frame_removed(&n->dma[vf], frame);
    }
    uint64_t key, base;
    while (vtd_dmaset_remote_gone(remote[this_core()->id], frame, &key, &base)) {
        struct nic *n = nic_of(nic_vnic_word_nic(key));
        struct nic_req r = { .vf = nic_vnic_word_vf(key), .holder = nic_vnic_word_holder(key),
                             .a = base };
        if (n)
            nic_tell(n, NIC_OP_DMA_UNREGISTER, &r);
    }
}
