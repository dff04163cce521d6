/**
 * \file pmm.h
 * \brief The physical page allocator of one CPU driver.
 *
 * A bitmap over 4 KiB frames from 0 to the top of usable RAM. A frame is
 * free only if the loader's memory map calls it usable, no other map entry
 * claims it (reserved wins over usable), it lies above 1 MiB and outside
 * every range the kernel reserved (its image, the boot information,
 * modules, the bitmaps themselves). Pure logic: tested on the host.
 */
#ifndef MM_PMM_H
#define MM_PMM_H
#include <stdint.h>
#include <stddef.h>
#include <boot/multiboot2.h>

#define PAGE_SIZE  4096ul
#define PAGE_SHIFT 12
#define PMM_LOW_LIMIT 0x100000ul     /* below 1 MiB: firmware, AP trampoline */

struct phys_range { uint64_t base, end; };   /* [base, end) */

struct pmm {
    uint64_t *free_map;     /* bit set: frame is free */
    uint64_t *usable_map;   /* bit set: frame belongs to the allocator */
    uint64_t npages;        /* frames covered, from physical 0 */
    uint64_t total_pages;   /* usable frames */
    uint64_t free_pages;
    uint64_t hint;          /* where the next search starts */
};

/** Highest end address of usable RAM in the map (0 if none). */
uint64_t pmm_usable_top(const struct mem_region *r, size_t n);
/** Bytes needed for both bitmaps for RAM up to `top`. */
size_t pmm_bitmap_bytes(uint64_t top);
/** A page-aligned home of `bytes` for the bitmaps in usable RAM above 1 MiB
 *  that overlaps no reserved range. */
errval_t pmm_place_bitmap(const struct mem_region *r, size_t n,
                          const struct phys_range *reserved, size_t nres,
                          size_t bytes, uint64_t *pa_out);
/** Build the allocator; `storage` holds pmm_bitmap_bytes(top) bytes. */
errval_t pmm_init(struct pmm *p, const struct mem_region *r, size_t n,
                  const struct phys_range *reserved, size_t nres,
                  void *storage, size_t storage_bytes);
/** Allocate `npages` contiguous frames aligned to `align_pages` (power of 2). */
errval_t pmm_alloc(struct pmm *p, size_t npages, size_t align_pages, uint64_t *pa_out);
/** Free frames allocated by pmm_alloc; refuses frames that are not allocated. */
errval_t pmm_free(struct pmm *p, uint64_t pa, size_t npages);
#endif
