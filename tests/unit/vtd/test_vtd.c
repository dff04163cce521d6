/*
 * test_vtd.c: the pure halves of the VT-d driver on the host: the
 * second-level page-table builder (drivers/iommu/vtd/pagetable.c) over
 * fake physical memory, and the DMAR parser (dmar.c) against the DMAR
 * QEMU's q35 builds, as captured in tests/unit/acpi/fixtures.
 *
 * Fake memory: MAX_TABLES heap tables at physical 0x1000 * (slot + 1);
 * the allocator can be told to fail after N more tables, and every table
 * still allocated at teardown is a leak.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <string.h>
#include <iommu/vtd/dmar.h>
#include <iommu/vtd/pagetable.h>
#include <iommu/vtd/regs.h>
#include "acpi/fixtures/bios-smp4.h"
#include "acpi/fixtures/uefi-smp4.h"

#define MAX_TABLES 64
#define KiB 0x400ull
#define MiB 0x100000ull
#define GiB 0x40000000ull

static uint64_t *tables[MAX_TABLES];
static int allocs_left = -1;        /* -1: no limit */
static unsigned flushes;

static errval_t fake_alloc(void *ctx, uint64_t *pa)
{
    if (allocs_left == 0)
        return MM_ERR_OUT_OF_MEMORY;
    for (unsigned i = 0; i < MAX_TABLES; i++) {
        if (!tables[i]) {
            tables[i] = calloc(VTD_SL_ENTRIES, sizeof(uint64_t));
            assert_non_null(tables[i]);
            *pa = 0x1000ull * (i + 1);
            if (allocs_left > 0)
                allocs_left--;
            return ERR_OK;
        }
    }
    return MM_ERR_OUT_OF_MEMORY;
}

static uint64_t *fake_table(void *ctx, uint64_t pa)
{
    assert_true(pa % 0x1000 == 0 && pa >= 0x1000 && pa <= 0x1000ull * MAX_TABLES);
    uint64_t *t = tables[pa / 0x1000 - 1];
    assert_non_null(t);
    return t;
}

static void fake_free(void *ctx, uint64_t pa)
{
    fake_table(ctx, pa);
    free(tables[pa / 0x1000 - 1]);
    tables[pa / 0x1000 - 1] = NULL;
}

static void fake_flush(void *ctx, const void *p, size_t n)
{
    flushes++;
}

static const struct vtd_pt_ops ops = {
    .alloc = fake_alloc, .free = fake_free, .table = fake_table, .flush = fake_flush,
};

static unsigned live_tables(void)
{
    unsigned n = 0;
    for (unsigned i = 0; i < MAX_TABLES; i++)
        n += tables[i] != NULL;
    return n;
}

static struct vtd_pt pt;

static int setup4(void **state)
{
    allocs_left = -1;
    assert_int_equal(vtd_pt_init(&pt, &ops, 4, 48, 48), ERR_OK);
    return 0;
}

static int setup3(void **state)
{
    allocs_left = -1;
    assert_int_equal(vtd_pt_init(&pt, &ops, 3, 48, 46), ERR_OK);
    return 0;
}

static int teardown(void **state)
{
    vtd_pt_destroy(&pt);
    assert_int_equal(pt.tables, 0);
    assert_int_equal(live_tables(), 0);       /* every table was freed */
    return 0;
}

static void expect_pa(uint64_t iova, uint64_t want_pa, unsigned want_perm)
{
    uint64_t pa = 0;
    unsigned perm = 0;
    assert_int_equal(vtd_pt_translate(&pt, iova, &pa, &perm), ERR_OK);
    assert_int_equal(pa, want_pa);
    assert_int_equal(perm, want_perm);
}

static void expect_unmapped(uint64_t iova)
{
    uint64_t pa;
    unsigned perm;
    assert_int_equal(vtd_pt_translate(&pt, iova, &pa, &perm), VTD_ERR_NOT_MAPPED);
}

/* Does one page map, translate at every offset, and unmap? */
static void test_map_translate_unmap(void **state)
{
    expect_unmapped(0x5000);
    assert_int_equal(vtd_pt_map(&pt, 0x5000, 0x12345000, 0x1000, VTD_PERM_READ | VTD_PERM_WRITE), ERR_OK);
    expect_pa(0x5000, 0x12345000, VTD_PERM_READ | VTD_PERM_WRITE);
    expect_pa(0x5fff, 0x12345fff, VTD_PERM_READ | VTD_PERM_WRITE);
    expect_unmapped(0x4fff);
    expect_unmapped(0x6000);
    assert_int_equal(pt.pages, 1);
    assert_int_equal(pt.tables, 4);             /* root, PDPT, PD, PT */
    assert_true(flushes > 0);
    assert_int_equal(vtd_pt_unmap(&pt, 0x5000, 0x1000), ERR_OK);
    expect_unmapped(0x5000);
    assert_int_equal(pt.pages, 0);
}

/* Is a multi-page range mapped page by page, crossing table boundaries? */
static void test_range_crosses_tables(void **state)
{
    uint64_t iova = 2 * MiB - 2 * 0x1000;       /* last two pages of a PT, first two of the next */
    assert_int_equal(vtd_pt_map(&pt, iova, 0x40000000, 4 * 0x1000, VTD_PERM_READ), ERR_OK);
    for (unsigned i = 0; i < 4; i++)
        expect_pa(iova + i * 0x1000 + 8, 0x40000000 + i * 0x1000 + 8, VTD_PERM_READ);
    assert_int_equal(pt.tables, 5);             /* two leaf tables */
    assert_int_equal(vtd_pt_unmap(&pt, iova + 0x1000, 2 * 0x1000), ERR_OK);
    expect_pa(iova, 0x40000000, VTD_PERM_READ);
    expect_unmapped(iova + 0x1000);
    expect_unmapped(iova + 0x2000);
    expect_pa(iova + 0x3000, 0x40003000, VTD_PERM_READ);
}

/* What bits does a leaf carry? R and W as asked, nothing reserved. */
static void test_permission_bits(void **state)
{
    assert_int_equal(vtd_pt_map(&pt, 0x0, 0x1000000, 0x1000, VTD_PERM_READ), ERR_OK);
    assert_int_equal(vtd_pt_map(&pt, 0x1000, 0x1001000, 0x1000, VTD_PERM_WRITE), ERR_OK);
    assert_int_equal(vtd_pt_map(&pt, 0x2000, 0x1002000, 0x1000, VTD_PERM_READ | VTD_PERM_WRITE), ERR_OK);
    expect_pa(0x0, 0x1000000, VTD_PERM_READ);
    expect_pa(0x1000, 0x1001000, VTD_PERM_WRITE);
    expect_pa(0x2000, 0x1002000, VTD_PERM_READ | VTD_PERM_WRITE);
    /* Follow the tables by hand: non-leaf entries are R|W, leaves exact. */
    uint64_t table = pt.root_pa;
    for (unsigned level = 4; level > 1; level--) {
        uint64_t e = fake_table(NULL, table)[0];
        assert_int_equal(e & ~VTD_SL_ADDR_MASK, VTD_SL_R | VTD_SL_W);
        table = e & VTD_SL_ADDR_MASK;
    }
    uint64_t *leaf = fake_table(NULL, table);
    assert_int_equal(leaf[0], 0x1000000 | VTD_SL_R);
    assert_int_equal(leaf[1], 0x1001000 | VTD_SL_W);
    assert_int_equal(leaf[2], 0x1002000 | VTD_SL_R | VTD_SL_W);
    assert_int_equal(leaf[3], 0);
    assert_int_equal(vtd_pt_map(&pt, 0x3000, 0x1003000, 0x1000, 0), VTD_ERR_BAD_PERM);
    assert_int_equal(vtd_pt_map(&pt, 0x3000, 0x1003000, 0x1000, 0x4), VTD_ERR_BAD_PERM);
}

/* What if the addresses or length are not 4 KiB multiples? */
static void test_refuses_misaligned(void **state)
{
    assert_int_equal(vtd_pt_map(&pt, 0x1800, 0x1000, 0x1000, VTD_PERM_READ), VTD_ERR_MISALIGNED);
    assert_int_equal(vtd_pt_map(&pt, 0x1000, 0x1800, 0x1000, VTD_PERM_READ), VTD_ERR_MISALIGNED);
    assert_int_equal(vtd_pt_map(&pt, 0x1000, 0x1000, 0x800, VTD_PERM_READ), VTD_ERR_MISALIGNED);
    assert_int_equal(vtd_pt_map(&pt, 0x1000, 0x1000, 0, VTD_PERM_READ), VTD_ERR_MISALIGNED);
    assert_int_equal(vtd_pt_unmap(&pt, 0x1001, 0x1000), VTD_ERR_MISALIGNED);
    assert_int_equal(pt.pages, 0);
    assert_int_equal(pt.tables, 1);             /* nothing was built */
}

/* What if the range runs past the IOVA width or the host address width? */
static void test_refuses_out_of_width(void **state)
{
    uint64_t top = 1ull << 48;
    assert_int_equal(vtd_pt_map(&pt, top, 0x1000, 0x1000, VTD_PERM_READ), VTD_ERR_IOVA_RANGE);
    assert_int_equal(vtd_pt_map(&pt, top - 0x1000, 0x1000, 0x2000, VTD_PERM_READ), VTD_ERR_IOVA_RANGE);
    assert_int_equal(vtd_pt_map(&pt, 0xfffffffffffff000ull, 0x1000, 0x2000, VTD_PERM_READ),
                     VTD_ERR_IOVA_RANGE);       /* wraps */
    assert_int_equal(vtd_pt_map(&pt, 0x1000, top, 0x1000, VTD_PERM_READ), VTD_ERR_PA_RANGE);
    assert_int_equal(vtd_pt_map(&pt, 0x1000, top - 0x1000, 0x2000, VTD_PERM_READ), VTD_ERR_PA_RANGE);
    assert_int_equal(vtd_pt_map(&pt, top - 0x1000, top - 0x1000, 0x1000, VTD_PERM_READ), ERR_OK);
    expect_pa(top - 1, top - 1, VTD_PERM_READ);
    uint64_t pa;
    unsigned perm;
    assert_int_equal(vtd_pt_translate(&pt, top, &pa, &perm), VTD_ERR_IOVA_RANGE);
}

/* A 3-level table covers 39 bits, whatever MGAW says; PA width 46. */
static void test_three_levels(void **state)
{
    assert_int_equal(pt.iova_bits, 39);
    uint64_t top = 1ull << 39;
    assert_int_equal(vtd_pt_map(&pt, top, 0x1000, 0x1000, VTD_PERM_READ), VTD_ERR_IOVA_RANGE);
    assert_int_equal(vtd_pt_map(&pt, 0x1000, 1ull << 46, 0x1000, VTD_PERM_READ), VTD_ERR_PA_RANGE);
    assert_int_equal(vtd_pt_map(&pt, top - 0x1000, 5 * GiB, 0x1000, VTD_PERM_WRITE), ERR_OK);
    expect_pa(top - 0x1000 + 0x10, 5 * GiB + 0x10, VTD_PERM_WRITE);
    assert_int_equal(pt.tables, 3);
}

/* What if a map overlaps an existing one? Refused, and nothing changes. */
static void test_refuses_overlap(void **state)
{
    assert_int_equal(vtd_pt_map(&pt, 0x10000, 0x800000, 0x3000, VTD_PERM_READ), ERR_OK);
    assert_int_equal(vtd_pt_map(&pt, 0xe000, 0x900000, 0x3000, VTD_PERM_WRITE), VTD_ERR_OVERLAP);
    assert_int_equal(vtd_pt_map(&pt, 0x12000, 0x900000, 0x1000, VTD_PERM_WRITE), VTD_ERR_OVERLAP);
    expect_unmapped(0xe000);                    /* the refused map left no page */
    expect_unmapped(0xf000);
    expect_pa(0x12000, 0x802000, VTD_PERM_READ);
    assert_int_equal(pt.pages, 3);
    /* Unmapping a range with a hole is refused too, and changes nothing. */
    assert_int_equal(vtd_pt_unmap(&pt, 0x10000, 0x4000), VTD_ERR_NOT_MAPPED);
    expect_pa(0x10000, 0x800000, VTD_PERM_READ);
    assert_int_equal(vtd_pt_unmap(&pt, 0x10000, 0x3000), ERR_OK);
    assert_int_equal(vtd_pt_map(&pt, 0xe000, 0x900000, 0x3000, VTD_PERM_WRITE), ERR_OK);
}

/* What if table allocation fails midway? The pages mapped so far are
 * taken back: the translation is as before the call. */
static void test_alloc_failure_rolls_back(void **state)
{
    uint64_t iova = 2 * MiB - 0x2000;           /* needs a second leaf table */
    allocs_left = 3;                            /* PDPT, PD, first PT */
    assert_int_equal(vtd_pt_map(&pt, iova, 0x100000, 0x4000, VTD_PERM_READ), MM_ERR_OUT_OF_MEMORY);
    for (unsigned i = 0; i < 4; i++)
        expect_unmapped(iova + i * 0x1000);
    assert_int_equal(pt.pages, 0);
    allocs_left = -1;
    assert_int_equal(vtd_pt_map(&pt, iova, 0x100000, 0x4000, VTD_PERM_READ), ERR_OK);
}

/* The walker reads a 2 MiB leaf (PS) as hardware would. */
static void test_walk_large_page(void **state)
{
    assert_int_equal(vtd_pt_map(&pt, 0x0, 0x1000, 0x1000, VTD_PERM_READ), ERR_OK);
    uint64_t *pml4 = fake_table(NULL, pt.root_pa);
    uint64_t *pdpt = fake_table(NULL, pml4[0] & VTD_SL_ADDR_MASK);
    uint64_t *pd = fake_table(NULL, pdpt[0] & VTD_SL_ADDR_MASK);
    pd[3] = 0x80000000 | VTD_SL_PS | VTD_SL_R | VTD_SL_W;      /* iova 6 MiB -> 2 GiB */
    expect_pa(6 * MiB + 0x12345, 0x80012345, VTD_PERM_READ | VTD_PERM_WRITE);
    assert_int_equal(vtd_pt_map(&pt, 7 * MiB, 0x1000, 0x1000, VTD_PERM_READ), VTD_ERR_OVERLAP);
    pd[3] = 0;
}

/* --- DMAR ------------------------------------------------------------ */

static const struct acpi_sdt_header *find_dmar(const struct acpi_fixture *fx, size_t *len)
{
    for (size_t i = 0; i < fx->ntables; i++)
        if (memcmp(fx->tables[i].signature, "DMAR", 4) == 0) {
            *len = fx->tables[i].length;
            return (const void *)fx->tables[i].bytes;
        }
    fail_msg("%s: no DMAR in the fixture", fx->name);
    return NULL;
}

static struct dmar_info info;

static void check_qemu_dmar(const struct acpi_fixture *fx)
{
    size_t len;
    const struct acpi_sdt_header *h = find_dmar(fx, &len);
    assert_int_equal(dmar_parse(h, &info), ERR_OK);
    assert_int_equal(info.haw, 48);
    assert_true(info.flags & DMAR_FLAG_INTR_REMAP);
    assert_int_equal(info.nunits, 1);
    assert_int_equal(info.nrmrr, 0);
    const struct dmar_drhd *u = &info.units[0];
    assert_int_equal(u->base, 0xfed90000);
    assert_int_equal(u->segment, 0);
    assert_false(u->include_pci_all);
    /* QEMU lists the IOAPIC, then every device on bus 0, bridges as such. */
    assert_int_equal(u->nscopes, 8);
    assert_int_equal(u->scopes[0].type, DMAR_SCOPE_IOAPIC);
    assert_int_equal(u->scopes[0].bus, 0xff);
    assert_int_equal(u->scopes[0].enum_id, 0);
    assert_int_equal(u->scopes[3].type, DMAR_SCOPE_BRIDGE);     /* root port 00:02.0 */
    assert_int_equal(u->scopes[3].dev, 2);
    assert_true(dmar_scope_lists(u, 0, 0x1f, 2));               /* SATA */
    assert_true(dmar_scope_lists(u, 0, 3, 0));                  /* root port */
    assert_false(dmar_scope_lists(u, 0xff, 0, 0));              /* IOAPIC is not PCI */
    assert_false(dmar_scope_lists(u, 1, 0, 0));                 /* behind a bridge */
}

/* Does the DMAR QEMU's q35 gives SeaBIOS and OVMF parse as expected? */
static void test_dmar_qemu_bios(void **state) { check_qemu_dmar(&bios_smp4); }
static void test_dmar_qemu_uefi(void **state) { check_qemu_dmar(&uefi_smp4); }

/* Corrupted copies are refused, never read past their end (ASan). */
static uint8_t *dmar_copy(size_t *len)
{
    const struct acpi_sdt_header *h = find_dmar(&bios_smp4, len);
    uint8_t *c = malloc(*len);
    assert_non_null(c);
    memcpy(c, h, *len);
    return c;
}

static void set_len(uint8_t *t, uint32_t len) { memcpy(t + 4, &len, 4); }

/* What if a structure or a scope claims a length that does not fit? */
static void test_dmar_malformed(void **state)
{
    size_t len;
    uint8_t *t = dmar_copy(&len);
    uint16_t drhd_len;
    memcpy(&drhd_len, t + 48 + 2, 2);
    assert_int_equal(48 + drhd_len, len);
    /* The table ends inside the DRHD. */
    uint8_t *shorter = malloc(len - 8);
    memcpy(shorter, t, len - 8);
    set_len(shorter, (uint32_t)len - 8);
    assert_int_equal(dmar_parse((void *)shorter, &info), VTD_ERR_DMAR_MALFORMED);
    free(shorter);
    /* A DRHD length of 0 would loop forever. */
    uint8_t *c = malloc(len);
    memcpy(c, t, len);
    c[48 + 2] = 0, c[48 + 3] = 0;
    assert_int_equal(dmar_parse((void *)c, &info), VTD_ERR_DMAR_MALFORMED);
    /* A scope with an odd path length, one shorter than its header, one too long. */
    uint8_t bad[] = { 7, 5, 3, 0x7f };
    for (unsigned i = 0; i < sizeof(bad); i++) {
        memcpy(c, t, len);
        c[48 + 16 + 1] = bad[i];
        assert_int_equal(dmar_parse((void *)c, &info), VTD_ERR_DMAR_MALFORMED);
    }
    /* A table shorter than the DMAR header; the wrong signature. */
    memcpy(c, t, len);
    set_len(c, 40);
    assert_int_equal(dmar_parse((void *)c, &info), ACPI_ERR_TRUNCATED);
    memcpy(c, t, len);
    memcpy(c, "APIC", 4);
    assert_int_equal(dmar_parse((void *)c, &info), ACPI_ERR_BAD_SIGNATURE);
    free(c);
    free(t);
}

/* A hand-built DMAR: INCLUDE_PCI_ALL unit, an RMRR, a multi-hop scope
 * and an ATSR the parser skips. */
static void test_dmar_built(void **state)
{
    uint8_t t[48 + 16 + 24 + 10 + 8] = { 'D', 'M', 'A', 'R' };
    set_len(t, sizeof(t));
    t[36] = 38;                                 /* HAW 39 */
    uint8_t *p = t + 48;
    p[0] = DMAR_TYPE_DRHD, p[2] = 16, p[4] = DRHD_INCLUDE_PCI_ALL, p[8 + 2] = 0xd9, p[8 + 3] = 0xfe;
    p += 16;
    p[0] = DMAR_TYPE_RMRR, p[2] = 24 + 10;
    p[8 + 1] = 0x10;                            /* base 0x1000 */
    p[16] = 0xff, p[17] = 0x1f;                 /* limit 0x1fff */
    p[24] = DMAR_SCOPE_ENDPOINT, p[25] = 10, p[29] = 0;         /* bus 0 */
    p[30] = 0x1d, p[31] = 0, p[32] = 0, p[33] = 7;              /* 00:1d.0 -> 00.7 */
    p += 24 + 10;
    p[0] = DMAR_TYPE_ATSR, p[2] = 8;
    assert_int_equal(dmar_parse((void *)t, &info), ERR_OK);
    assert_int_equal(info.haw, 39);
    assert_int_equal(info.nunits, 1);
    assert_true(info.units[0].include_pci_all);
    assert_int_equal(info.units[0].base, 0xfed90000);
    assert_int_equal(info.units[0].nscopes, 0);
    assert_int_equal(info.nrmrr, 1);
    assert_int_equal(info.rmrr[0].base, 0x1000);
    assert_int_equal(info.rmrr[0].limit, 0x1fff);
    assert_int_equal(info.rmrr[0].nscopes, 1);
    assert_true(info.rmrr[0].scopes[0].multi_hop);
    assert_int_equal(info.rmrr[0].scopes[0].dev, 0);
    assert_int_equal(info.rmrr[0].scopes[0].fn, 7);
    assert_int_equal(info.nother, 1);
    /* A register base that is not page-aligned is refused. */
    t[48 + 8] = 0x10;
    assert_int_equal(dmar_parse((void *)t, &info), VTD_ERR_DMAR_MALFORMED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_map_translate_unmap, setup4, teardown),
        cmocka_unit_test_setup_teardown(test_range_crosses_tables, setup4, teardown),
        cmocka_unit_test_setup_teardown(test_permission_bits, setup4, teardown),
        cmocka_unit_test_setup_teardown(test_refuses_misaligned, setup4, teardown),
        cmocka_unit_test_setup_teardown(test_refuses_out_of_width, setup4, teardown),
        cmocka_unit_test_setup_teardown(test_three_levels, setup3, teardown),
        cmocka_unit_test_setup_teardown(test_refuses_overlap, setup4, teardown),
        cmocka_unit_test_setup_teardown(test_alloc_failure_rolls_back, setup4, teardown),
        cmocka_unit_test_setup_teardown(test_walk_large_page, setup4, teardown),
        cmocka_unit_test(test_dmar_qemu_bios),
        cmocka_unit_test(test_dmar_qemu_uefi),
        cmocka_unit_test(test_dmar_malformed),
        cmocka_unit_test(test_dmar_built),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
