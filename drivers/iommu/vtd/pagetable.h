/**
 * \file pagetable.h
 * \brief VT-d second-level page tables (spec rev. 3.3, 3.7 and 9.8): the
 * IOVA -> physical map of one protection domain, 4 KiB pages only.
 *
 * Pure logic: tables come from, and are reached through, the callbacks in
 * `struct vtd_pt_ops`, so the builder runs on the host against fake
 * physical memory and in the kernel against the core's page allocator.
 */
#ifndef IOMMU_VTD_PAGETABLE_H
#define IOMMU_VTD_PAGETABLE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <kpi/errors.h>

#define VTD_PAGE_SIZE   4096ull
#define VTD_PERM_READ   0x1u        /* = VTD_SL_R */
#define VTD_PERM_WRITE  0x2u        /* = VTD_SL_W */

struct vtd_pt_ops {
    /** A zeroed, 4 KiB-aligned table; its physical address in *pa. */
    errval_t (*alloc)(void *ctx, uint64_t *pa);
    void (*free)(void *ctx, uint64_t pa);
    /** Where the CPU reaches the table at `pa`. */
    uint64_t *(*table)(void *ctx, uint64_t pa);
    /** Write back `n` bytes the CPU changed, when the IOMMU's table walks
     *  do not snoop caches (ECAP.C = 0); NULL if nothing to do. */
    void (*flush)(void *ctx, const void *p, size_t n);
    void *ctx;
};

struct vtd_pt {
    struct vtd_pt_ops ops;
    uint64_t root_pa;
    unsigned levels;                /* 3 (39-bit IOVA) or 4 (48-bit) */
    unsigned iova_bits;             /* min(12 + 9 levels, MGAW) */
    unsigned pa_bits;               /* host address width */
    uint64_t tables;                /* tables allocated, the root included */
    uint64_t pages;                 /* 4 KiB pages mapped */
};

/** An empty map with `levels` (3 or 4) levels; IOVAs below 2^iova_bits
 *  (capped at what the levels cover), targets below 2^pa_bits. */
errval_t vtd_pt_init(struct vtd_pt *pt, const struct vtd_pt_ops *ops, unsigned levels,
                     unsigned iova_bits, unsigned pa_bits);
/** Map [iova, iova + bytes) to [pa, pa + bytes) with `perm`
 *  (VTD_PERM_READ | VTD_PERM_WRITE). All or nothing: a range that
 *  overlaps a mapping is refused before anything changes. */
errval_t vtd_pt_map(struct vtd_pt *pt, uint64_t iova, uint64_t pa, uint64_t bytes,
                    unsigned perm);
/** Remove the mappings of [iova, iova + bytes); refused unless every page
 *  of the range is mapped. Tables stay until vtd_pt_destroy. */
errval_t vtd_pt_unmap(struct vtd_pt *pt, uint64_t iova, uint64_t bytes);
/** Walk the tables as the hardware does: physical address and
 *  permissions of `iova`, or VTD_ERR_NOT_MAPPED. */
errval_t vtd_pt_translate(const struct vtd_pt *pt, uint64_t iova, uint64_t *pa,
                          unsigned *perm);
/** Free every table. */
void vtd_pt_destroy(struct vtd_pt *pt);
#endif
