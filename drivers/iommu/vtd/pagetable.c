/*
 * pagetable.c: second-level page tables of a VT-d domain (spec rev. 3.3,
 * 3.7 "Second-Level Translation", 9.8 entry format).
 *
 * A table is 512 64-bit entries. An entry is in use when R or W is set
 * (VT-d entries have no present bit); a non-leaf entry carries R|W so the
 * leaf alone decides the access (the hardware ANDs the permissions of
 * every level). Only 4 KiB leaves at level 1 are made; bit 7 (PS), SNP
 * and the other reserved bits are never set, which QEMU checks
 * (vtd_slpte_nonzero_rsvd). The walker still honours PS so it reads any
 * legal table.
 *
 * Invariants: root_pa is always a valid table; `pages` counts leaves with
 * R or W set; a failed map leaves the translation exactly as it was
 * (tables it allocated stay, empty, until vtd_pt_destroy). The caller
 * invalidates the IOTLB after unmap (and after map when CAP.CM is set).
 */
#include <iommu/vtd/pagetable.h>
#include <iommu/vtd/regs.h>

#define LEVEL_SHIFT(l) (12 + 9 * ((l) - 1))

static unsigned index_at(uint64_t iova, unsigned level)
{
    return (iova >> LEVEL_SHIFT(level)) & (VTD_SL_ENTRIES - 1);
}

static void set_entry(struct vtd_pt *pt, uint64_t *e, uint64_t v)
{
    *(volatile uint64_t *)e = v;
    if (pt->ops.flush)
        pt->ops.flush(pt->ops.ctx, e, sizeof(*e));
}

errval_t vtd_pt_init(struct vtd_pt *pt, const struct vtd_pt_ops *ops, unsigned levels,
                     unsigned iova_bits, unsigned pa_bits)
{
    if ((levels != 3 && levels != 4) || pa_bits < 32 || pa_bits > 52)
        return VTD_ERR_UNSUPPORTED;
    pt->ops = *ops;
    pt->levels = levels;
    pt->iova_bits = iova_bits < LEVEL_SHIFT(levels) + 9 ? iova_bits : LEVEL_SHIFT(levels) + 9;
    pt->pa_bits = pa_bits;
    pt->pages = 0;
    errval_t err = ops->alloc(ops->ctx, &pt->root_pa);
    pt->tables = err_is_ok(err);
    return err;
}

/* The level-1 entry for `iova`, making missing tables when `create`;
 * NULL (and ERR_OK) when a table is missing and not to be made, or when
 * a large-page leaf above level 1 covers the address (*leaf_level says). */
static errval_t walk(struct vtd_pt *pt, uint64_t iova, bool create, uint64_t **out,
                     unsigned *leaf_level)
{
    uint64_t table_pa = pt->root_pa;
    *out = NULL;
    for (unsigned level = pt->levels; level >= 1; level--) {
        uint64_t *e = &pt->ops.table(pt->ops.ctx, table_pa)[index_at(iova, level)];
        if (level == 1 || ((*e & (VTD_SL_R | VTD_SL_W)) && (*e & VTD_SL_PS))) {
            *out = e;
            if (leaf_level)
                *leaf_level = level;
            return ERR_OK;
        }
        if (!(*e & (VTD_SL_R | VTD_SL_W))) {
            if (!create)
                return ERR_OK;
            uint64_t pa;
            errval_t err = pt->ops.alloc(pt->ops.ctx, &pa);
            if (err_is_fail(err))
                return err;
            pt->tables++;
            set_entry(pt, e, (pa & VTD_SL_ADDR_MASK) | VTD_SL_R | VTD_SL_W);
        }
        table_pa = *e & VTD_SL_ADDR_MASK;
    }
    return ERR_OK;
}

static errval_t check_range(const struct vtd_pt *pt, uint64_t iova, uint64_t bytes)
{
    if (bytes == 0 || (iova | bytes) & (VTD_PAGE_SIZE - 1))
        return VTD_ERR_MISALIGNED;
    uint64_t limit = 1ull << pt->iova_bits;
    if (iova >= limit || bytes > limit - iova)
        return VTD_ERR_IOVA_RANGE;
    return ERR_OK;
}

errval_t vtd_pt_translate(const struct vtd_pt *pt, uint64_t iova, uint64_t *pa,
                          unsigned *perm)
{
    if (iova >> pt->iova_bits)
        return VTD_ERR_IOVA_RANGE;
    uint64_t *e;
    unsigned level = 1;
    /* walk() only writes when asked to create. */
    errval_t err = walk((struct vtd_pt *)pt, iova, false, &e, &level);
    if (err_is_fail(err))
        return err;
    if (!e || !(*e & (VTD_SL_R | VTD_SL_W)))
        return VTD_ERR_NOT_MAPPED;
    uint64_t page_mask = (1ull << LEVEL_SHIFT(level)) - 1;
    *pa = (*e & VTD_SL_ADDR_MASK & ~page_mask) | (iova & page_mask);
    *perm = *e & (VTD_SL_R | VTD_SL_W);
    return ERR_OK;
}

static bool page_mapped(struct vtd_pt *pt, uint64_t iova)
{
    uint64_t pa;
    unsigned perm;
    return err_is_ok(vtd_pt_translate(pt, iova, &pa, &perm));
}

static void clear_pages(struct vtd_pt *pt, uint64_t iova, uint64_t bytes)
{
    for (uint64_t off = 0; off < bytes; off += VTD_PAGE_SIZE) {
        uint64_t *e;
        walk(pt, iova + off, false, &e, NULL);
        if (e && (*e & (VTD_SL_R | VTD_SL_W))) {
            set_entry(pt, e, 0);
            pt->pages--;
        }
    }
}

errval_t vtd_pt_map(struct vtd_pt *pt, uint64_t iova, uint64_t pa, uint64_t bytes,
                    unsigned perm)
{
    errval_t err = check_range(pt, iova, bytes);
    if (err_is_fail(err))
        return err;
    if (pa & (VTD_PAGE_SIZE - 1))
        return VTD_ERR_MISALIGNED;
    uint64_t pa_limit = 1ull << pt->pa_bits;
    if (pa >= pa_limit || bytes > pa_limit - pa)
        return VTD_ERR_PA_RANGE;
    if (perm == 0 || (perm & ~(VTD_PERM_READ | VTD_PERM_WRITE)))
        return VTD_ERR_BAD_PERM;
    for (uint64_t off = 0; off < bytes; off += VTD_PAGE_SIZE)
        if (page_mapped(pt, iova + off))
            return VTD_ERR_OVERLAP;
    for (uint64_t off = 0; off < bytes; off += VTD_PAGE_SIZE) {
        uint64_t *e;
        err = walk(pt, iova + off, true, &e, NULL);
        if (err_is_fail(err)) {
            clear_pages(pt, iova, off);
            return err;
        }
        set_entry(pt, e, ((pa + off) & VTD_SL_ADDR_MASK) | perm);
        pt->pages++;
    }
    return ERR_OK;
}

errval_t vtd_pt_unmap(struct vtd_pt *pt, uint64_t iova, uint64_t bytes)
{
    errval_t err = check_range(pt, iova, bytes);
    if (err_is_fail(err))
        return err;
    for (uint64_t off = 0; off < bytes; off += VTD_PAGE_SIZE)
        if (!page_mapped(pt, iova + off))
            return VTD_ERR_NOT_MAPPED;
    clear_pages(pt, iova, bytes);
    return ERR_OK;
}

static void free_level(struct vtd_pt *pt, uint64_t table_pa, unsigned level)
{
    if (level > 1) {
        uint64_t *t = pt->ops.table(pt->ops.ctx, table_pa);
        for (unsigned i = 0; i < VTD_SL_ENTRIES; i++)
            if ((t[i] & (VTD_SL_R | VTD_SL_W)) && !(t[i] & VTD_SL_PS))
                free_level(pt, t[i] & VTD_SL_ADDR_MASK, level - 1);
    }
    pt->ops.free(pt->ops.ctx, table_pa);
    pt->tables--;
}

void vtd_pt_destroy(struct vtd_pt *pt)
{
    if (pt->tables)
        free_level(pt, pt->root_pa, pt->levels);
    pt->root_pa = 0;
    pt->pages = 0;
}
