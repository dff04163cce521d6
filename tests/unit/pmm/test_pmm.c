/*
 * test_pmm.c: the physical page allocator (kernel/mm/pmm.c) on the host.
 *
 * Each test describes a fake physical memory (a multiboot2-style region
 * list, up to 64 MiB) and the kernel's reserved ranges, builds an
 * allocator whose bitmaps live in a heap buffer of pmm_bitmap_bytes(top),
 * and checks which frames come out. No fake RAM is touched, only bitmaps.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <mm/pmm.h>
#include <string.h>

#define KiB 0x400ull
#define MiB 0x100000ull
#define N(a) (sizeof(a) / sizeof((a)[0]))

static void *storage;           /* the bitmaps of the test's allocator */

static int free_storage(void **state)
{
    free(storage);
    storage = NULL;
    return 0;
}

/* Build `p` over the map; fail the test if pmm_init does not return `want`. */
static void init_expect(struct pmm *p, const struct mem_region *r, size_t n,
                        const struct phys_range *res, size_t nres, errval_t want)
{
    size_t bytes = pmm_bitmap_bytes(pmm_usable_top(r, n));
    free(storage);
    storage = malloc(bytes ? bytes : 1);
    assert_non_null(storage);
    errval_t err = pmm_init(p, r, n, res, nres, storage, bytes);
    if (err != want)
        fail_msg("pmm_init gave error %d, expected %d", (int)err, (int)want);
}

static void init_ok(struct pmm *p, const struct mem_region *r, size_t n,
                    const struct phys_range *res, size_t nres)
{
    init_expect(p, r, n, res, nres, ERR_OK);
}

static uint64_t alloc1(struct pmm *p)
{
    uint64_t pa = ~0ull;
    assert_int_equal(pmm_alloc(p, 1, 1, &pa), ERR_OK);
    return pa;
}

/* Allocate single frames until the allocator refuses; check each is new
 * and passes `ok` (if given); return how many were handed out. */
static uint64_t drain(struct pmm *p, bool (*ok)(uint64_t pa))
{
    uint8_t *seen = calloc(p->npages, 1);
    assert_non_null(seen);
    uint64_t n = 0, pa;
    errval_t err;
    while ((err = pmm_alloc(p, 1, 1, &pa)) == ERR_OK) {
        if (pa % PAGE_SIZE || pa / PAGE_SIZE >= p->npages)
            fail_msg("pmm_alloc gave %#lx: unaligned or past the top", (unsigned long)pa);
        if (seen[pa / PAGE_SIZE]++)
            fail_msg("pmm_alloc gave %#lx twice", (unsigned long)pa);
        if (ok && !ok(pa))
            fail_msg("pmm_alloc gave %#lx, which it must never hand out", (unsigned long)pa);
        n++;
    }
    free(seen);
    assert_int_equal(err, MM_ERR_OUT_OF_MEMORY);
    assert_int_equal(p->free_pages, 0);
    return n;
}

/* 64 MiB in QEMU's shape: low RAM, a BIOS hole, RAM with an ACPI hole. */
static const struct mem_region map64[] = {
    { 0x0, 0x9fc00, MB2_MEM_AVAILABLE },
    { 0x9fc00, 0x400, MB2_MEM_RESERVED },
    { 0xf0000, 0x10000, MB2_MEM_RESERVED },
    { 1 * MiB, 47 * MiB, MB2_MEM_AVAILABLE },
    { 48 * MiB, 1 * MiB, MB2_MEM_ACPI_RECLAIM },
    { 49 * MiB, 15 * MiB, MB2_MEM_AVAILABLE },
    { 0xfffc0000, 0x40000, MB2_MEM_RESERVED },
};

/* Are the sizes right: top is the end of usable RAM, two bitmaps of one
 * bit per frame rounded to 64-bit words? */
static void test_top_and_bitmap_bytes(void **state)
{
    assert_int_equal(pmm_usable_top(map64, N(map64)), 64 * MiB);
    assert_int_equal(pmm_bitmap_bytes(64 * MiB), 2 * (64 * MiB / PAGE_SIZE / 8));
    assert_int_equal(pmm_bitmap_bytes(PAGE_SIZE), 16);          /* one word each */
    assert_int_equal(pmm_bitmap_bytes(65 * PAGE_SIZE), 32);     /* two words each */
    assert_int_equal(pmm_usable_top(map64, 3), 0x9f000);        /* rounded down */
    assert_int_equal(pmm_usable_top(&map64[1], 2), 0);          /* no usable entry */
}

static bool above_1m_not_acpi(uint64_t pa)
{
    return pa >= PMM_LOW_LIMIT && !(pa >= 48 * MiB && pa < 49 * MiB);
}

/* Allocating until OOM: exactly total_pages distinct frames, only from
 * usable RAM above 1 MiB, then MM_ERR_OUT_OF_MEMORY? */
static void test_alloc_until_oom(void **state)
{
    struct pmm p;
    init_ok(&p, map64, N(map64), NULL, 0);
    assert_int_equal(p.total_pages, (47 + 15) * MiB / PAGE_SIZE);
    assert_int_equal(p.free_pages, p.total_pages);
    assert_int_equal(drain(&p, above_1m_not_acpi), p.total_pages);
    uint64_t pa;
    assert_int_equal(pmm_alloc(&p, 1, 1, &pa), MM_ERR_OUT_OF_MEMORY);
}

/* Below 1 MiB is usable in the map, yet never handed out? */
static void test_low_memory_never_used(void **state)
{
    static const struct mem_region r[] = {
        { 0x0, 0x9fc00, MB2_MEM_AVAILABLE },
        { 0xff000, 0x3000, MB2_MEM_AVAILABLE },      /* straddles 1 MiB */
    };
    struct pmm p;
    init_ok(&p, r, N(r), NULL, 0);
    assert_int_equal(p.total_pages, 2);               /* 0x100000, 0x101000 */
    assert_int_equal(alloc1(&p), 0x100000);
    assert_int_equal(alloc1(&p), 0x101000);
    uint64_t pa;
    assert_int_equal(pmm_alloc(&p, 1, 1, &pa), MM_ERR_OUT_OF_MEMORY);
}

static const struct phys_range kernel_res[] = {
    { 1 * MiB, 1 * MiB + 300 * KiB + 5 },      /* kernel image, ragged end */
    { 0x10000 + 20 * MiB, 0x10000 + 20 * MiB + 1 },    /* one byte: one frame */
    { 60 * MiB, 61 * MiB },                    /* say, the bitmaps */
};

static bool outside_kernel_res(uint64_t pa)
{
    for (size_t i = 0; i < N(kernel_res); i++)
        if (pa + PAGE_SIZE > kernel_res[i].base && pa < kernel_res[i].end)
            return false;
    return above_1m_not_acpi(pa);
}

/* Are the kernel's reserved ranges (image, bitmaps) never handed out, down
 * to a frame touched by a single reserved byte? */
static void test_reserved_ranges_never_used(void **state)
{
    struct pmm p;
    init_ok(&p, map64, N(map64), kernel_res, N(kernel_res));
    uint64_t excluded = 76 /* 300 KiB + 5 bytes */ + 1 + 256;
    assert_int_equal(p.total_pages, (47 + 15) * MiB / PAGE_SIZE - excluded);
    assert_int_equal(drain(&p, outside_kernel_res), p.total_pages);
}

/* A reserved map entry lying inside a usable one: does reserved win, for
 * every frame it touches even partly? */
static void test_reserved_entry_overlapping_usable_wins(void **state)
{
    static const struct mem_region r[] = {
        { 1 * MiB, 7 * MiB, MB2_MEM_AVAILABLE },
        { 4 * MiB + 100, 100, MB2_MEM_RESERVED },        /* inside frame 4 MiB */
        { 6 * MiB - 1, 2, MB2_MEM_BAD },                 /* straddles two frames */
    };
    struct pmm p;
    init_ok(&p, r, N(r), NULL, 0);
    assert_int_equal(p.total_pages, 7 * MiB / PAGE_SIZE - 3);
    for (uint64_t bad = 0; bad < 3; bad++) {
        static const uint64_t frames[] = { 4 * MiB, 6 * MiB - PAGE_SIZE, 6 * MiB };
        assert_int_equal(pmm_free(&p, frames[bad], 1), MM_ERR_NOT_ALLOCATED);
    }
    uint64_t n = 0, pa;
    while (pmm_alloc(&p, 1, 1, &pa) == ERR_OK) {
        assert_true(pa != 4 * MiB && pa != 6 * MiB - PAGE_SIZE && pa != 6 * MiB);
        n++;
    }
    assert_int_equal(n, p.total_pages);
}

/* Unaligned region edges: trimmed inward to whole frames, never rounded
 * out into a neighbour? */
static void test_unaligned_edges_trimmed_inward(void **state)
{
    static const struct mem_region r[] = {
        { 2 * MiB + 1, 8 * PAGE_SIZE - 2, MB2_MEM_AVAILABLE },   /* 6 whole frames inside */
    };
    struct pmm p;
    init_ok(&p, r, N(r), NULL, 0);
    assert_int_equal(p.npages, (2 * MiB + 7 * PAGE_SIZE) / PAGE_SIZE);
    assert_int_equal(p.total_pages, 6);
    assert_int_equal(alloc1(&p), 2 * MiB + PAGE_SIZE);
    uint64_t pa;
    assert_int_equal(pmm_alloc(&p, 6, 1, &pa), MM_ERR_OUT_OF_MEMORY);
    assert_int_equal(pmm_alloc(&p, 5, 1, &pa), ERR_OK);
    assert_int_equal(pa, 2 * MiB + 2 * PAGE_SIZE);
    assert_int_equal(pmm_free(&p, 2 * MiB, 1), MM_ERR_NOT_ALLOCATED);   /* the trimmed head */
}

/* 16 contiguous frames aligned to 16: aligned, all free before, none of
 * them handed out again, even when the search must skip a used frame? */
static void test_contiguous_aligned(void **state)
{
    static const struct mem_region r[] = { { 1 * MiB, 1 * MiB, MB2_MEM_AVAILABLE } };
    struct pmm p;
    init_ok(&p, r, N(r), NULL, 0);
    uint64_t first = alloc1(&p);                       /* 1 MiB: breaks the first run */
    assert_int_equal(first, 1 * MiB);
    uint64_t pa;
    assert_int_equal(pmm_alloc(&p, 16, 16, &pa), ERR_OK);
    assert_int_equal(pa % (16 * PAGE_SIZE), 0);
    assert_int_equal(pa, 1 * MiB + 16 * PAGE_SIZE);
    assert_int_equal(p.free_pages, 256 - 17);
    for (uint64_t i = 0; i < 256 - 17; i++) {
        uint64_t q = alloc1(&p);
        assert_false(q >= pa && q < pa + 16 * PAGE_SIZE);
        assert_true(q != first);
    }
    assert_int_equal(pmm_free(&p, pa, 16), ERR_OK);
    assert_int_equal(pmm_alloc(&p, 16, 16, &pa), ERR_OK);
    assert_int_equal(pa, 1 * MiB + 16 * PAGE_SIZE);
}

/* Enough frames free in total but no aligned run: out of memory? */
static void test_contiguous_fragmented(void **state)
{
    static const struct mem_region r[] = { { 1 * MiB, 64 * PAGE_SIZE, MB2_MEM_AVAILABLE } };
    struct pmm p;
    init_ok(&p, r, N(r), NULL, 0);
    uint64_t pa[64];
    for (int i = 0; i < 64; i++)
        pa[i] = alloc1(&p);
    for (int i = 0; i < 64; i++)
        if (i % 8 != 0)                                /* keep every 8th */
            assert_int_equal(pmm_free(&p, pa[i], 1), ERR_OK);
    uint64_t got;
    assert_int_equal(p.free_pages, 56);
    assert_int_equal(pmm_alloc(&p, 8, 1, &got), MM_ERR_OUT_OF_MEMORY);
    assert_int_equal(pmm_alloc(&p, 4, 4, &got), ERR_OK);
    assert_int_equal(got % (4 * PAGE_SIZE), 0);
    assert_int_equal(pmm_alloc(&p, 7, 1, &got), ERR_OK);
    assert_int_equal((got / PAGE_SIZE) % 8, 1);
}

/* Does the search wrap around: a frame freed behind the hint is found? */
static void test_alloc_wraps_to_freed_frame(void **state)
{
    static const struct mem_region r[] = { { 1 * MiB, 8 * PAGE_SIZE, MB2_MEM_AVAILABLE } };
    struct pmm p;
    init_ok(&p, r, N(r), NULL, 0);
    for (int i = 0; i < 8; i++)
        alloc1(&p);
    assert_int_equal(pmm_free(&p, 1 * MiB + 2 * PAGE_SIZE, 1), ERR_OK);
    assert_int_equal(alloc1(&p), 1 * MiB + 2 * PAGE_SIZE);
}

/* Bad arguments to pmm_alloc: zero pages, zero or non-power-of-two
 * alignment, more pages than free. */
static void test_alloc_bad_arguments(void **state)
{
    static const struct mem_region r[] = { { 1 * MiB, 1 * MiB, MB2_MEM_AVAILABLE } };
    struct pmm p;
    uint64_t pa = 0x1234;
    init_ok(&p, r, N(r), NULL, 0);
    assert_int_equal(pmm_alloc(&p, 0, 1, &pa), MM_ERR_BAD_ADDRESS);
    assert_int_equal(pmm_alloc(&p, 1, 0, &pa), MM_ERR_BAD_ADDRESS);
    assert_int_equal(pmm_alloc(&p, 1, 3, &pa), MM_ERR_BAD_ADDRESS);
    assert_int_equal(pmm_alloc(&p, 257, 1, &pa), MM_ERR_OUT_OF_MEMORY);
    assert_int_equal(pmm_alloc(&p, 1, 512, &pa), MM_ERR_OUT_OF_MEMORY);  /* no 2 MiB frame */
    assert_int_equal(pa, 0x1234);                      /* untouched on failure */
    assert_int_equal(p.free_pages, 256);
}

/* Double free, partly double free of a run, and freeing frames the
 * allocator never owned: MM_ERR_NOT_ALLOCATED, and nothing changes. */
static void test_free_refusals(void **state)
{
    struct pmm p;
    init_ok(&p, map64, N(map64), kernel_res, N(kernel_res));
    uint64_t pa;
    assert_int_equal(pmm_alloc(&p, 4, 1, &pa), ERR_OK);
    uint64_t free_before = p.free_pages;
    assert_int_equal(pmm_free(&p, pa + PAGE_SIZE, 1), ERR_OK);
    assert_int_equal(pmm_free(&p, pa + PAGE_SIZE, 1), MM_ERR_NOT_ALLOCATED);
    assert_int_equal(pmm_free(&p, pa, 4), MM_ERR_NOT_ALLOCATED);   /* one of 4 is free */
    assert_int_equal(p.free_pages, free_before + 1);
    assert_int_equal(pmm_free(&p, pa, 1), ERR_OK);
    assert_int_equal(pmm_free(&p, pa + 2 * PAGE_SIZE, 2), ERR_OK);
    assert_int_equal(p.free_pages, free_before + 4);

    assert_int_equal(pmm_free(&p, 0x9000, 1), MM_ERR_NOT_ALLOCATED);        /* below 1 MiB */
    assert_int_equal(pmm_free(&p, 48 * MiB, 1), MM_ERR_NOT_ALLOCATED);      /* ACPI data */
    assert_int_equal(pmm_free(&p, 1 * MiB, 1), MM_ERR_NOT_ALLOCATED);       /* kernel image */
    assert_int_equal(p.free_pages, free_before + 4);
}

/* Misaligned, zero-length and out-of-range frees: MM_ERR_BAD_ADDRESS. */
static void test_free_bad_address(void **state)
{
    struct pmm p;
    init_ok(&p, map64, N(map64), NULL, 0);
    uint64_t pa = alloc1(&p);
    assert_int_equal(pmm_free(&p, pa + 1, 1), MM_ERR_BAD_ADDRESS);
    assert_int_equal(pmm_free(&p, pa + PAGE_SIZE / 2, 1), MM_ERR_BAD_ADDRESS);
    assert_int_equal(pmm_free(&p, pa, 0), MM_ERR_BAD_ADDRESS);
    assert_int_equal(pmm_free(&p, 64 * MiB, 1), MM_ERR_BAD_ADDRESS);        /* the top */
    assert_int_equal(pmm_free(&p, 64 * MiB - PAGE_SIZE, 2), MM_ERR_BAD_ADDRESS);
    assert_int_equal(pmm_free(&p, 0xfffc0000, 1), MM_ERR_BAD_ADDRESS);      /* reserved, above top */
    assert_int_equal(pmm_free(&p, pa, SIZE_MAX), MM_ERR_BAD_ADDRESS);       /* wraps */
    assert_int_equal(pmm_free(&p, pa, 1), ERR_OK);     /* still allocated until now */
}

/* Does the bitmap go to usable RAM above 1 MiB, past the reserved ranges
 * and reserved map entries, and then stay out of the allocator's hands? */
static void test_place_bitmap(void **state)
{
    static const struct mem_region r[] = {
        { 0x0, 0x9fc00, MB2_MEM_AVAILABLE },
        { 1 * MiB, 3 * MiB, MB2_MEM_AVAILABLE },
        { 3 * MiB + 3 * KiB, 10, MB2_MEM_RESERVED },
        { 8 * MiB, 56 * MiB, MB2_MEM_AVAILABLE },
    };
    struct phys_range res[3] = { { 1 * MiB, 2 * MiB + 1 }, { 2 * MiB + 8 * KiB, 2 * MiB + 12 * KiB } };
    size_t bytes = pmm_bitmap_bytes(pmm_usable_top(r, N(r)));
    assert_int_equal(bytes, 4096);
    uint64_t pa = 0;

    /* First fit: frame 2 MiB + 4 KiB (after the image, before the second range). */
    assert_int_equal(pmm_place_bitmap(r, N(r), res, 2, bytes, &pa), ERR_OK);
    assert_int_equal(pa, 2 * MiB + 4 * KiB);

    /* 12 KiB does not fit between the two ranges: it goes after the second. */
    assert_int_equal(pmm_place_bitmap(r, N(r), res, 2, 12 * KiB, &pa), ERR_OK);
    assert_int_equal(pa, 2 * MiB + 12 * KiB);

    /* 1 MiB: the reserved map entry at 3 MiB + 3 KiB blocks every start in
     * the first region, so the bitmap goes to the next one. */
    assert_int_equal(pmm_place_bitmap(r, N(r), res, 2, 1 * MiB, &pa), ERR_OK);
    assert_int_equal(pa, 8 * MiB);

    /* Then the allocator never hands the placed bitmap out. */
    assert_int_equal(pmm_place_bitmap(r, N(r), res, 2, bytes, &pa), ERR_OK);
    res[2] = (struct phys_range){ pa, pa + bytes };
    struct pmm p;
    init_ok(&p, r, N(r), res, 3);
    uint64_t q;
    while (pmm_alloc(&p, 1, 1, &q) == ERR_OK)
        assert_true(q != pa);
    assert_int_equal(pmm_free(&p, pa, 1), MM_ERR_NOT_ALLOCATED);

    /* A bitmap bigger than any region: no place. */
    assert_int_equal(pmm_place_bitmap(r, N(r), res, 2, 57 * MiB, &pa),
                     BOOT_ERR_NO_USABLE_MEMORY);
}

/* A reserved map entry inside the only candidate spot pushes the bitmap on. */
static void test_place_bitmap_skips_reserved_entry(void **state)
{
    static const struct mem_region r[] = {
        { 1 * MiB, 1 * MiB, MB2_MEM_AVAILABLE },
        { 1 * MiB + 5 * KiB, 1, MB2_MEM_NVS },
    };
    uint64_t pa;
    assert_int_equal(pmm_place_bitmap(r, N(r), NULL, 0, 8 * KiB, &pa), ERR_OK);
    assert_int_equal(pa, 1 * MiB + 8 * KiB);
}

/* No usable RAM above 1 MiB, in each way a map can say so:
 * BOOT_ERR_NO_USABLE_MEMORY from pmm_init and pmm_place_bitmap. */
static void test_no_usable_memory(void **state)
{
    static const struct mem_region low_only[] = {
        { 0x0, 0x9fc00, MB2_MEM_AVAILABLE },
        { 1 * MiB, 63 * MiB, MB2_MEM_RESERVED },
    };
    static const struct mem_region all_claimed[] = {
        { 0x0, 0x9fc00, MB2_MEM_AVAILABLE },
        { 1 * MiB, 4 * MiB, MB2_MEM_AVAILABLE },
        { 1 * MiB, 4 * MiB, MB2_MEM_RESERVED },     /* same range, reserved wins */
    };
    static const struct mem_region usable_kernel_only[] = {
        { 1 * MiB, 1 * MiB, MB2_MEM_AVAILABLE },
    };
    static const struct phys_range whole[] = { { 0, 2 * MiB } };
    struct pmm p;
    uint64_t pa;
    init_expect(&p, low_only, N(low_only), NULL, 0, BOOT_ERR_NO_USABLE_MEMORY);
    init_expect(&p, all_claimed, N(all_claimed), NULL, 0, BOOT_ERR_NO_USABLE_MEMORY);
    init_expect(&p, usable_kernel_only, 1, whole, 1, BOOT_ERR_NO_USABLE_MEMORY);
    init_expect(&p, NULL, 0, NULL, 0, BOOT_ERR_NO_USABLE_MEMORY);
    assert_int_equal(pmm_place_bitmap(low_only, N(low_only), NULL, 0, 16, &pa),
                     BOOT_ERR_NO_USABLE_MEMORY);
    assert_int_equal(pmm_place_bitmap(all_claimed, N(all_claimed), NULL, 0, 16, &pa),
                     BOOT_ERR_NO_USABLE_MEMORY);
    assert_int_equal(pmm_place_bitmap(usable_kernel_only, 1, whole, 1, 16, &pa),
                     BOOT_ERR_NO_USABLE_MEMORY);
}

/* Storage smaller than pmm_bitmap_bytes(top): refused before any write. */
static void test_storage_too_small(void **state)
{
    struct pmm p;
    size_t bytes = pmm_bitmap_bytes(64 * MiB);
    uint8_t *small = malloc(bytes - 8);
    assert_non_null(small);
    assert_int_equal(pmm_init(&p, map64, N(map64), NULL, 0, small, bytes - 8),
                     MM_ERR_BAD_ADDRESS);
    free(small);
}

/* Two usable entries describing the same RAM: each frame counted once? */
static void test_duplicate_usable_entries(void **state)
{
    static const struct mem_region r[] = {
        { 1 * MiB, 2 * MiB, MB2_MEM_AVAILABLE },
        { 2 * MiB, 2 * MiB, MB2_MEM_AVAILABLE },
    };
    struct pmm p;
    init_ok(&p, r, N(r), NULL, 0);
    assert_int_equal(p.total_pages, 3 * MiB / PAGE_SIZE);
    assert_int_equal(drain(&p, NULL), 3 * MiB / PAGE_SIZE);
}

#define T(fn) cmocka_unit_test_teardown(fn, free_storage)

int main(void)
{
    static const struct CMUnitTest tests[] = {
        T(test_top_and_bitmap_bytes),
        T(test_alloc_until_oom),
        T(test_low_memory_never_used),
        T(test_reserved_ranges_never_used),
        T(test_reserved_entry_overlapping_usable_wins),
        T(test_unaligned_edges_trimmed_inward),
        T(test_contiguous_aligned),
        T(test_contiguous_fragmented),
        T(test_alloc_wraps_to_freed_frame),
        T(test_alloc_bad_arguments),
        T(test_free_refusals),
        T(test_free_bad_address),
        T(test_place_bitmap),
        T(test_place_bitmap_skips_reserved_entry),
        T(test_no_usable_memory),
        T(test_storage_too_small),
        T(test_duplicate_usable_entries),
    };
    return cmocka_run_group_tests_name("pmm", tests, NULL, NULL);
}
