/*
 * dma.c: the Frames a VF may reach. VNIC.register_dma maps a Frame the
 * domain holds into its VF's IOMMU domain (IOVA = physical address); only
 * those Frames are reachable. When the Frame's capability goes, its
 * mapping goes too: on the NIC's core at once, and from another core by
 * telling the NIC's core, which is why each core follows the Frames it
 * registered through the NIC's core (a row per core, touched only by it;
 * on the NIC's core the VNIC's own entry names the Frame).
 */
#include <net/igb/pf/vnic.h>
#include <net/igb/pf/forward.h>
#include <iommu/vtd/vtd.h>
#include <core.h>

#define REMOTE_DMA_MAX 16
struct remote_dma {
    struct cte *frame;
    uint32_t vf, holder;
    uint64_t base;
};
static struct remote_dma remote_dma[MAX_CORES][REMOTE_DMA_MAX];     /* a row per core */

static void unregister(struct igb_vnic *v, int i)
{
    vtd_domain_unmap(v->dom, v->dma[i].base, v->dma[i].bytes);
    v->dma[i].frame = NULL;
    v->dma[i].bytes = 0;
}

errval_t igb_dma_register(unsigned vf, uint32_t holder, uint64_t base, uint64_t bytes)
{
    struct igb_vnic *v = igb_vnic_held(vf, holder);
    if (!v)
        return CAP_ERR_WRONG_TYPE;
    int free_i = -1;
    for (int i = 0; i < IGB_VNIC_DMA_MAX; i++) {
        if (v->dma[i].bytes && v->dma[i].base == base)
            return MAP_ERR_ALREADY;
        if (!v->dma[i].bytes && free_i < 0)
            free_i = i;
    }
    if (free_i < 0)
        return VNIC_ERR_TOO_MANY_DMA;
    errval_t err = vtd_domain_map(v->dom, base, base, bytes, VTD_PERM_READ | VTD_PERM_WRITE);
    if (err_is_fail(err))
        return err;
    v->dma[free_i].frame = NULL;        /* igb_dma_follow names it */
    v->dma[free_i].base = base;
    v->dma[free_i].bytes = bytes;
    return ERR_OK;
}

errval_t igb_dma_unregister(unsigned vf, uint32_t holder, uint64_t base)
{
    struct igb_vnic *v = igb_vnic_held(vf, holder);
    if (!v)
        return CAP_ERR_WRONG_TYPE;
    for (int i = 0; i < IGB_VNIC_DMA_MAX; i++) {
        if (v->dma[i].bytes && v->dma[i].base == base) {
            unregister(v, i);
            return ERR_OK;
        }
    }
    return VNIC_ERR_NOT_REGISTERED;
}

void igb_dma_release_all(struct igb_vnic *v)
{
    for (int i = 0; i < IGB_VNIC_DMA_MAX; i++)
        if (v->dma[i].bytes)
            unregister(v, i);
}

bool igb_dma_follow(struct cte *frame, unsigned vf, uint32_t holder, uint64_t base)
{
    if (igb_is_owner()) {               /* the VNIC's own entry names it */
        struct igb_vnic *v = igb_vnic_held(vf, holder);
        for (int i = 0; v && i < IGB_VNIC_DMA_MAX; i++) {
            if (v->dma[i].bytes && v->dma[i].base == base) {
                v->dma[i].frame = frame;
                return true;
            }
        }
        return false;
    }
    struct remote_dma *row = remote_dma[this_core()->id];
    for (unsigned i = 0; i < REMOTE_DMA_MAX; i++) {
        if (!row[i].frame) {
            row[i] = (struct remote_dma){ frame, vf, holder, base };
            return true;
        }
    }
    return false;
}

/* The NIC's core unregisters by base, whichever copy of the Frame names
 * it; so must this table, or the entry of the copy that registered stays
 * and, when that copy goes, unregisters a later registration at the same
 * base that is still the holder's (found by capfuzz, seed 6 on core 2). */
void igb_dma_unfollow(unsigned vf, uint32_t holder, uint64_t base)
{
    struct remote_dma *row = remote_dma[this_core()->id];
    for (unsigned i = 0; i < REMOTE_DMA_MAX; i++)
        if (row[i].frame && row[i].vf == vf && row[i].holder == holder && row[i].base == base)
            row[i].frame = NULL;
}

void igb_dma_frame_removed(struct cte *frame)
{
    for (unsigned vf = 0; igb_is_owner() && vf < IGB_MAX_VFS; vf++)
        for (int i = 0; igb_vnics[vf].holder && i < IGB_VNIC_DMA_MAX; i++)
            if (igb_vnics[vf].dma[i].bytes && igb_vnics[vf].dma[i].frame == frame)
                unregister(&igb_vnics[vf], i);
    for (unsigned i = 0; i < REMOTE_DMA_MAX; i++) {
        struct remote_dma *r = &remote_dma[this_core()->id][i];
        if (r->frame != frame)
            continue;
        igb_tell(IGB_OP_DMA_UNREGISTER, &(struct igb_req){ .vf = r->vf, .holder = r->holder,
                                                           .a = r->base });
        r->frame = NULL;
    }
}
