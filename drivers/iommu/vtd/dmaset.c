/*
 * dmaset.c: the Frames a device may reach (dmaset.h). Registering maps a
 * Frame into the device's VT-d domain at IOVA = physical address; the
 * entry remembers which capability made it, so that its deletion unmaps
 * it. Unregistering goes by base, whichever copy of the Frame asks (a
 * follower table keyed by the copy would otherwise undo a later
 * registration at the same base: found by capfuzz in igb's copy of this).
 */
#include <iommu/vtd/dmaset.h>
#include <iommu/vtd/vtd.h>

errval_t vtd_dmaset_add(struct vtd_dmaset *s, uint64_t base, uint64_t bytes)
{
    int free_i = -1;
    unsigned used = 0, max = s->max && s->max < VTD_DMASET_MAX ? s->max : VTD_DMASET_MAX;
    for (int i = 0; i < VTD_DMASET_MAX; i++) {
        if (s->e[i].bytes && s->e[i].base == base)
            return MAP_ERR_ALREADY;
        used += s->e[i].bytes != 0;
        if (!s->e[i].bytes && free_i < 0)
            free_i = i;
    }
    if (free_i < 0 || used >= max)
        return DMA_ERR_TOO_MANY;
    errval_t err = vtd_domain_map(s->dom, base, base, bytes, VTD_PERM_READ | VTD_PERM_WRITE);
    if (err_is_fail(err))
        return err;
    s->e[free_i].frame = NULL;
    s->e[free_i].base = base;
    s->e[free_i].bytes = bytes;
    return ERR_OK;
}

static void drop(struct vtd_dmaset *s, int i)
{
    vtd_domain_unmap(s->dom, s->e[i].base, s->e[i].bytes);
    s->e[i].frame = NULL;
    s->e[i].bytes = 0;
}

errval_t vtd_dmaset_remove(struct vtd_dmaset *s, uint64_t base)
{
    for (int i = 0; i < VTD_DMASET_MAX; i++) {
        if (s->e[i].bytes && s->e[i].base == base) {
            drop(s, i);
            return ERR_OK;
        }
    }
    return DMA_ERR_NOT_REGISTERED;
}

void vtd_dmaset_clear(struct vtd_dmaset *s)
{
    for (int i = 0; s->dom && i < VTD_DMASET_MAX; i++)
        if (s->e[i].bytes)
            drop(s, i);
}

bool vtd_dmaset_name(struct vtd_dmaset *s, struct cte *frame, uint64_t base)
{
    for (int i = 0; i < VTD_DMASET_MAX; i++) {
        if (s->e[i].bytes && s->e[i].base == base) {
            s->e[i].frame = frame;
            return true;
        }
    }
    return false;
}

void vtd_dmaset_frame_removed(struct vtd_dmaset *s, struct cte *frame)
{
    for (int i = 0; s->dom && i < VTD_DMASET_MAX; i++)
        if (s->e[i].bytes && s->e[i].frame == frame)
            drop(s, i);
}

bool vtd_dmaset_remote_follow(struct vtd_dmaset_remote *row, struct cte *frame, uint64_t key,
                              uint64_t base)
{
    for (unsigned i = 0; i < VTD_DMASET_REMOTE_MAX; i++) {
        if (!row[i].frame) {
            row[i] = (struct vtd_dmaset_remote){ frame, key, base };
            return true;
        }
    }
    return false;
}

void vtd_dmaset_remote_unfollow(struct vtd_dmaset_remote *row, uint64_t key, uint64_t base)
{
    for (unsigned i = 0; i < VTD_DMASET_REMOTE_MAX; i++)
        if (row[i].frame && row[i].key == key && row[i].base == base)
            row[i].frame = NULL;
}

bool vtd_dmaset_remote_gone(struct vtd_dmaset_remote *row, struct cte *frame, uint64_t *key,
                            uint64_t *base)
{
    for (unsigned i = 0; i < VTD_DMASET_REMOTE_MAX; i++) {
        if (row[i].frame == frame) {
            *key = row[i].key;
            *base = row[i].base;
            row[i].frame = NULL;
            return true;
        }
    }
    return false;
}
