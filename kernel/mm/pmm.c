/*
 * pmm.c: physical page allocator (see mm/pmm.h for the rules).
 *
 * Two bitmaps: usable_map is fixed at init (which frames the allocator
 * owns), free_map changes with every alloc/free. Keeping both lets
 * pmm_free() refuse a double free or a frame it never owned, instead of
 * corrupting the allocator. Allocation is first-fit from a moving hint.
 */
#include <mm/pmm.h>
#include <string.h>

static inline bool bit_get(const uint64_t *m, uint64_t i) { return (m[i / 64] >> (i % 64)) & 1; }
static inline void bit_set(uint64_t *m, uint64_t i) { m[i / 64] |= 1ull << (i % 64); }
static inline void bit_clear(uint64_t *m, uint64_t i) { m[i / 64] &= ~(1ull << (i % 64)); }

static uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }
static uint64_t align_down(uint64_t v, uint64_t a) { return v & ~(a - 1); }

uint64_t pmm_usable_top(const struct mem_region *r, size_t n)
{
    uint64_t top = 0;
    for (size_t i = 0; i < n; i++)
        if (r[i].type == MB2_MEM_AVAILABLE && r[i].base + r[i].length > top)
            top = r[i].base + r[i].length;
    return align_down(top, PAGE_SIZE);
}

static uint64_t map_words(uint64_t top)
{
    return (top / PAGE_SIZE + 63) / 64;
}

size_t pmm_bitmap_bytes(uint64_t top)
{
    return (size_t)(2 * map_words(top) * sizeof(uint64_t));
}

static bool overlaps(uint64_t b, uint64_t e, const struct phys_range *res, size_t nres,
                     uint64_t *skip_to)
{
    for (size_t i = 0; i < nres; i++) {
        if (b < res[i].end && res[i].base < e) {
            *skip_to = align_up(res[i].end, PAGE_SIZE);
            return true;
        }
    }
    return false;
}

/* A frame is owned by the allocator when only usable entries cover it. */
static bool claimed_by_other(uint64_t b, uint64_t e, const struct mem_region *r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (r[i].type != MB2_MEM_AVAILABLE && b < r[i].base + r[i].length && r[i].base < e)
            return true;
    return false;
}

errval_t pmm_place_bitmap(const struct mem_region *r, size_t n,
                          const struct phys_range *reserved, size_t nres,
                          size_t bytes, uint64_t *pa_out)
{
    uint64_t want = align_up(bytes, PAGE_SIZE);
    for (size_t i = 0; i < n; i++) {
        if (r[i].type != MB2_MEM_AVAILABLE)
            continue;
        uint64_t b = align_up(r[i].base < PMM_LOW_LIMIT ? PMM_LOW_LIMIT : r[i].base, PAGE_SIZE);
        uint64_t e = align_down(r[i].base + r[i].length, PAGE_SIZE);
        while (b + want <= e && b + want > b) {
            uint64_t skip;
            if (overlaps(b, b + want, reserved, nres, &skip)) {
                b = skip;
                continue;
            }
            if (claimed_by_other(b, b + want, r, n)) {
                b += PAGE_SIZE;
                continue;
            }
            *pa_out = b;
            return ERR_OK;
        }
    }
    return BOOT_ERR_NO_USABLE_MEMORY;
}

errval_t pmm_init(struct pmm *p, const struct mem_region *r, size_t n,
                  const struct phys_range *reserved, size_t nres,
                  void *storage, size_t storage_bytes)
{
    uint64_t top = pmm_usable_top(r, n);
    if (top <= PMM_LOW_LIMIT)
        return BOOT_ERR_NO_USABLE_MEMORY;
    if (storage_bytes < pmm_bitmap_bytes(top))
        return MM_ERR_BAD_ADDRESS;
    memset(storage, 0, pmm_bitmap_bytes(top));
    p->free_map = storage;
    p->usable_map = p->free_map + map_words(top);
    p->npages = top / PAGE_SIZE;
    p->total_pages = p->free_pages = p->hint = 0;

    for (size_t i = 0; i < n; i++) {
        if (r[i].type != MB2_MEM_AVAILABLE)
            continue;
        uint64_t b = align_up(r[i].base, PAGE_SIZE);
        uint64_t e = align_down(r[i].base + r[i].length, PAGE_SIZE);
        for (uint64_t pa = b < PMM_LOW_LIMIT ? PMM_LOW_LIMIT : b; pa < e; pa += PAGE_SIZE) {
            uint64_t skip;
            if (overlaps(pa, pa + PAGE_SIZE, reserved, nres, &skip) ||
                claimed_by_other(pa, pa + PAGE_SIZE, r, n) || bit_get(p->usable_map, pa / PAGE_SIZE))
                continue;
            bit_set(p->usable_map, pa / PAGE_SIZE);
            bit_set(p->free_map, pa / PAGE_SIZE);
            p->total_pages++;
        }
    }
    p->free_pages = p->total_pages;
    return p->total_pages ? ERR_OK : BOOT_ERR_NO_USABLE_MEMORY;
}

static bool run_is_free(const struct pmm *p, uint64_t first, size_t npages)
{
    for (size_t i = 0; i < npages; i++)
        if (!bit_get(p->free_map, first + i))
            return false;
    return true;
}

errval_t pmm_alloc(struct pmm *p, size_t npages, size_t align_pages, uint64_t *pa_out)
{
    if (npages == 0 || align_pages == 0 || (align_pages & (align_pages - 1)))
        return MM_ERR_BAD_ADDRESS;
    if (npages > p->free_pages)
        return MM_ERR_OUT_OF_MEMORY;
    /* Two passes: from the hint to the end, then from the start. */
    for (int pass = 0; pass < 2; pass++) {
        uint64_t start = pass == 0 ? p->hint : 0;
        uint64_t limit = pass == 0 ? p->npages : p->hint + npages;
        if (limit > p->npages)
            limit = p->npages;
        for (uint64_t f = align_up(start, align_pages); f + npages <= limit; f += align_pages) {
            if (!run_is_free(p, f, npages))
                continue;
            for (size_t i = 0; i < npages; i++)
                bit_clear(p->free_map, f + i);
            p->free_pages -= npages;
            p->hint = f + npages;
            *pa_out = f * PAGE_SIZE;
            return ERR_OK;
        }
    }
    return MM_ERR_OUT_OF_MEMORY;
}

errval_t pmm_free(struct pmm *p, uint64_t pa, size_t npages)
{
    if (pa % PAGE_SIZE || npages == 0)
        return MM_ERR_BAD_ADDRESS;
    uint64_t first = pa / PAGE_SIZE;
    if (first >= p->npages || npages > p->npages - first)
        return MM_ERR_BAD_ADDRESS;
    for (size_t i = 0; i < npages; i++)
        if (!bit_get(p->usable_map, first + i) || bit_get(p->free_map, first + i))
            return MM_ERR_NOT_ALLOCATED;
    for (size_t i = 0; i < npages; i++)
        bit_set(p->free_map, first + i);
    p->free_pages += npages;
    return ERR_OK;
}
