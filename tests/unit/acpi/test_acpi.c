/*
 * test_acpi.c: the ACPI walkers (kernel/acpi/tables.c, madt.c, mcfg.c) fed
 * with tables captured from QEMU (fixtures/, made by tools/acpi-capture).
 *
 * A test loads a fixture into a fake machine: each table is copied to its
 * own heap block of exactly its length (so ASan reports any read past it),
 * and the map function serves a physical range only when it lies inside
 * one table, logging every address it was asked for. Tests corrupt the
 * copies and expect the walkers to refuse, never to read out of bounds.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <acpi/acpi.h>
#include <string.h>
#include "fixtures/bios-smp1.h"
#include "fixtures/bios-smp2.h"
#include "fixtures/bios-smp4.h"
#include "fixtures/uefi-smp4.h"

#define MAX_TABLES 16
#define MAX_MAPS   64

struct machine {
    uint8_t *rsdp;
    size_t rsdp_len;
    struct { uint64_t phys; uint8_t *bytes; uint32_t size; } t[MAX_TABLES];
    size_t ntables;
    uint64_t mapped[MAX_MAPS];      /* physical addresses asked for, in order */
    size_t nmapped;
};

static struct machine *m;           /* the test's machine; freed by teardown */

static uint8_t *copy(const void *p, size_t n)
{
    uint8_t *c = malloc(n);
    assert_non_null(c);
    memcpy(c, p, n);
    return c;
}

static void load(const struct acpi_fixture *fx)
{
    m = calloc(1, sizeof(*m));
    assert_non_null(m);
    m->rsdp = copy(fx->rsdp, fx->rsdp_len);
    m->rsdp_len = fx->rsdp_len;
    assert_true(fx->ntables <= MAX_TABLES);
    for (size_t i = 0; i < fx->ntables; i++) {
        m->t[i].phys = fx->tables[i].phys;
        m->t[i].size = fx->tables[i].length;
        m->t[i].bytes = copy(fx->tables[i].bytes, fx->tables[i].length);
    }
    m->ntables = fx->ntables;
}

static int unload(void **state)
{
    if (!m)
        return 0;
    free(m->rsdp);
    for (size_t i = 0; i < m->ntables; i++)
        free(m->t[i].bytes);
    free(m);
    m = NULL;
    return 0;
}

static const void *map(uint64_t phys, size_t len, void *ctx)
{
    struct machine *mm = ctx;
    if (mm->nmapped < MAX_MAPS)
        mm->mapped[mm->nmapped++] = phys;
    for (size_t i = 0; i < mm->ntables; i++)
        if (phys >= mm->t[i].phys && phys + len <= mm->t[i].phys + mm->t[i].size)
            return mm->t[i].bytes + (phys - mm->t[i].phys);
    return NULL;
}

static size_t table_index(const char sig[4])
{
    for (size_t i = 0; i < m->ntables; i++)
        if (memcmp(m->t[i].bytes, sig, 4) == 0)
            return i;
    fail_msg("fixture has no %.4s table", sig);
    return 0;
}

static uint8_t *table(const char sig[4])
{
    return m->t[table_index(sig)].bytes;
}

/* Swap in a new body for a table (same physical address). */
static void replace(const char sig[4], const void *bytes, uint32_t size)
{
    size_t i = table_index(sig);
    free(m->t[i].bytes);
    m->t[i].bytes = copy(bytes, size);
    m->t[i].size = size;
}

/* Make the byte sum of a table (or the RSDP's first 20 bytes) zero again. */
static void fix_checksum(uint8_t *p, size_t len, size_t at)
{
    uint8_t sum = 0;
    p[at] = 0;
    for (size_t i = 0; i < len; i++)
        sum += p[i];
    p[at] = (uint8_t)-sum;
}

static void fix_table_checksum(uint8_t *t)
{
    fix_checksum(t, ((struct acpi_sdt_header *)t)->length,
                 offsetof(struct acpi_sdt_header, checksum));
}

static errval_t init(struct acpi_tables *t)
{
    return acpi_init(t, m->rsdp, m->rsdp_len, map, m);
}

static void init_ok(struct acpi_tables *t)
{
    errval_t err = init(t);
    if (err != ERR_OK)
        fail_msg("acpi_init gave error %d, expected ERR_OK", (int)err);
}

static const struct { const struct acpi_fixture *fx; size_t ncpus; bool xsdt; } machines[] = {
    { &bios_smp1, 1, false },
    { &bios_smp2, 2, false },
    { &bios_smp4, 4, false },
    { &uefi_smp4, 4, true },
};

/* Does each captured machine give its -smp count of cores, APIC IDs
 * 0..N-1 all enabled, the local APIC and the one I/O APIC? */
static void test_madt_counts_cores(void **state)
{
    for (size_t k = 0; k < sizeof(machines) / sizeof(machines[0]); k++) {
        load(machines[k].fx);
        struct acpi_tables t;
        const struct acpi_sdt_header *h;
        static struct madt_info madt;
        init_ok(&t);
        assert_int_equal(acpi_find(&t, "APIC", &h), ERR_OK);
        assert_int_equal(madt_parse(h, &madt), ERR_OK);
        if (madt.ncpus != machines[k].ncpus)
            fail_msg("%s: MADT lists %zu cores, expected %zu", machines[k].fx->name,
                     madt.ncpus, machines[k].ncpus);
        for (size_t i = 0; i < madt.ncpus; i++) {
            assert_int_equal(madt.cpus[i].apic_id, i);
            assert_int_equal(madt.cpus[i].uid, i);
            assert_true(madt.cpus[i].enabled);
        }
        assert_int_equal(madt.lapic_address, 0xfee00000);
        assert_int_equal(madt.nioapics, 1);
        assert_int_equal(madt.ioapics[0].id, 0);
        assert_int_equal(madt.ioapics[0].address, 0xfec00000);
        assert_int_equal(madt.ioapics[0].gsi_base, 0);
        unload(NULL);
    }
}

/* Does every machine's MCFG give one ECAM window at 0xb0000000, segment 0,
 * buses 0-255 (QEMU q35)? */
static void test_mcfg_ecam(void **state)
{
    for (size_t k = 0; k < sizeof(machines) / sizeof(machines[0]); k++) {
        load(machines[k].fx);
        struct acpi_tables t;
        const struct acpi_sdt_header *h;
        struct mcfg_info mcfg;
        init_ok(&t);
        assert_int_equal(acpi_find(&t, "MCFG", &h), ERR_OK);
        assert_int_equal(mcfg_parse(h, &mcfg), ERR_OK);
        assert_int_equal(mcfg.necam, 1);
        assert_int_equal(mcfg.ecam[0].base, 0xb0000000);
        assert_int_equal(mcfg.ecam[0].segment, 0);
        assert_int_equal(mcfg.ecam[0].bus_start, 0);
        assert_int_equal(mcfg.ecam[0].bus_end, 255);
        unload(NULL);
    }
}

/* BIOS: RSDP revision 0, so the RSDT; UEFI: revision 2, so the XSDT, and
 * the RSDT address is never even mapped. */
static void test_root_table_choice(void **state)
{
    for (size_t k = 0; k < sizeof(machines) / sizeof(machines[0]); k++) {
        load(machines[k].fx);
        const struct acpi_rsdp *r = (const void *)m->rsdp;
        struct acpi_tables t;
        init_ok(&t);
        assert_int_equal(t.xsdt, machines[k].xsdt);
        assert_int_equal(t.revision, machines[k].xsdt ? 2 : 0);
        assert_string_equal(t.oem_id, "BOCHS ");
        assert_memory_equal(t.root->signature, machines[k].xsdt ? "XSDT" : "RSDT", 4);
        assert_int_equal(m->mapped[0], machines[k].xsdt ? r->xsdt_address : r->rsdt_address);
        if (machines[k].xsdt) {
            const struct acpi_sdt_header *h;
            assert_int_equal(acpi_find(&t, "BGRT", &h), ERR_OK);
            for (size_t i = 0; i < m->nmapped; i++)
                assert_true(m->mapped[i] != r->rsdt_address || r->rsdt_address == r->xsdt_address);
        }
        unload(NULL);
    }
}

/* Does acpi_find return every table the root lists, at its address? */
static void test_find_every_table(void **state)
{
    for (size_t k = 0; k < sizeof(machines) / sizeof(machines[0]); k++) {
        load(machines[k].fx);
        struct acpi_tables t;
        init_ok(&t);
        for (size_t i = 1; i < m->ntables; i++) {
            const struct acpi_sdt_header *h = NULL;
            assert_int_equal(acpi_find(&t, (const char *)m->t[i].bytes, &h), ERR_OK);
            assert_ptr_equal(h, m->t[i].bytes);
        }
        unload(NULL);
    }
}

/* A table that is not there: ACPI_ERR_TABLE_NOT_FOUND, output untouched. */
static void test_missing_table(void **state)
{
    load(&bios_smp2);
    struct acpi_tables t;
    const struct acpi_sdt_header *h = (const void *)0x1;
    init_ok(&t);
    assert_int_equal(acpi_find(&t, "SSDT", &h), ACPI_ERR_TABLE_NOT_FOUND);
    assert_int_equal(acpi_find(&t, "DSDT", &h), ACPI_ERR_TABLE_NOT_FOUND);  /* behind FADT */
    assert_ptr_equal(h, (const void *)0x1);
}

/* One flipped byte in the root: acpi_init says ACPI_ERR_BAD_CHECKSUM. */
static void test_root_bad_checksum(void **state)
{
    load(&bios_smp1);
    struct acpi_tables t;
    table("RSDT")[20] ^= 0x01;
    assert_int_equal(init(&t), ACPI_ERR_BAD_CHECKSUM);
    unload(NULL);
    load(&uefi_smp4);
    table("XSDT")[40] ^= 0x80;
    assert_int_equal(init(&t), ACPI_ERR_BAD_CHECKSUM);
}

/* One flipped byte in the MADT: acpi_find skips it (ACPI_ERR_TABLE_NOT_FOUND)
 * and still finds the good tables after it. */
static void test_table_bad_checksum_skipped(void **state)
{
    load(&bios_smp4);
    struct acpi_tables t;
    const struct acpi_sdt_header *h;
    init_ok(&t);
    table("APIC")[50] ^= 0x10;
    assert_int_equal(acpi_find(&t, "APIC", &h), ACPI_ERR_TABLE_NOT_FOUND);
    assert_int_equal(acpi_find(&t, "MCFG", &h), ERR_OK);
    assert_ptr_equal(h, table("MCFG"));
}

/* A bad RSDP: wrong signature, wrong checksum, too short, absent. */
static void test_bad_rsdp(void **state)
{
    struct acpi_tables t;
    load(&bios_smp1);
    m->rsdp[3] = 'X';                               /* "RSX PTR " */
    fix_checksum(m->rsdp, 20, offsetof(struct acpi_rsdp, checksum));
    assert_int_equal(init(&t), ACPI_ERR_BAD_SIGNATURE);
    unload(NULL);

    load(&bios_smp1);
    m->rsdp[10] ^= 0x01;                            /* OEM ID */
    assert_int_equal(init(&t), ACPI_ERR_BAD_CHECKSUM);
    assert_int_equal(acpi_init(&t, m->rsdp, 19, map, m), ACPI_ERR_NO_RSDP);
    assert_int_equal(acpi_init(&t, NULL, 36, map, m), ACPI_ERR_NO_RSDP);
    unload(NULL);

    /* ACPI 2.0: the first 20 bytes fine, the extended checksum wrong. */
    load(&uefi_smp4);
    m->rsdp[24] ^= 0x01;                            /* XSDT address */
    assert_int_equal(init(&t), ACPI_ERR_BAD_CHECKSUM);
}

/* An RSDP whose length field claims more than the caller has: refused,
 * not checksummed past the end of the buffer. */
static void test_rsdp_length_past_buffer(void **state)
{
    struct acpi_tables t;
    load(&uefi_smp4);
    struct acpi_rsdp *r = (void *)m->rsdp;
    r->length = 4096;
    fix_checksum(m->rsdp, sizeof(*r), offsetof(struct acpi_rsdp, extended_checksum));
    assert_int_equal(init(&t), ACPI_ERR_TRUNCATED);
}

/* The RSDP points at a table that is not an RSDT: ACPI_ERR_BAD_SIGNATURE;
 * at nothing mapped: ACPI_ERR_TRUNCATED. */
static void test_root_pointer_wrong(void **state)
{
    struct acpi_tables t;
    load(&bios_smp2);
    struct acpi_rsdp *r = (void *)m->rsdp;
    r->rsdt_address = (uint32_t)m->t[table_index("FACP")].phys;
    fix_checksum(m->rsdp, 20, offsetof(struct acpi_rsdp, checksum));
    assert_int_equal(init(&t), ACPI_ERR_BAD_SIGNATURE);
    r->rsdt_address = 0x1000;
    fix_checksum(m->rsdp, 20, offsetof(struct acpi_rsdp, checksum));
    assert_int_equal(init(&t), ACPI_ERR_TRUNCATED);
}

/* A table header whose length is below 36 or beyond what is mapped: the
 * table is skipped, so it is not found. */
static void test_table_length_bad(void **state)
{
    struct acpi_tables t;
    const struct acpi_sdt_header *h;
    load(&bios_smp1);
    init_ok(&t);
    struct acpi_sdt_header *mcfg = (void *)table("MCFG");
    mcfg->length = 20;                  /* and the 20 bytes sum to zero */
    fix_checksum((uint8_t *)mcfg, 20, offsetof(struct acpi_sdt_header, checksum));
    assert_int_equal(acpi_find(&t, "MCFG", &h), ACPI_ERR_TABLE_NOT_FOUND);
    mcfg->length = 4096;
    assert_int_equal(acpi_find(&t, "MCFG", &h), ACPI_ERR_TABLE_NOT_FOUND);
    assert_int_equal(acpi_find(&t, "WAET", &h), ERR_OK);
}

/* A MADT entry whose length runs past the table, or is 0 (which would
 * never advance): ACPI_ERR_TRUNCATED. */
static void test_madt_entry_truncated(void **state)
{
    struct acpi_tables t;
    const struct acpi_sdt_header *h;
    static struct madt_info madt;
    load(&bios_smp4);
    init_ok(&t);
    uint8_t *apic = table("APIC");
    uint32_t len = ((struct acpi_sdt_header *)apic)->length;
    assert_int_equal(apic[len - 6], 4);             /* the last entry: LAPIC NMI, 6 bytes */
    apic[len - 5] = 7;
    fix_table_checksum(apic);
    assert_int_equal(acpi_find(&t, "APIC", &h), ERR_OK);
    assert_int_equal(madt_parse(h, &madt), ACPI_ERR_TRUNCATED);
    apic[len - 5] = 0;
    fix_table_checksum(apic);
    assert_int_equal(madt_parse(h, &madt), ACPI_ERR_TRUNCATED);
    apic[44 + 1] = 1;                               /* first entry shorter than 2 */
    assert_int_equal(madt_parse(h, &madt), ACPI_ERR_TRUNCATED);
}

/* A MADT shorter than its fixed part, or parsed as another signature. */
static void test_madt_mcfg_bad_headers(void **state)
{
    static struct madt_info madt;
    struct mcfg_info mcfg;
    load(&bios_smp1);
    struct acpi_sdt_header *apic = (void *)table("APIC"), *mc = (void *)table("MCFG");
    assert_int_equal(madt_parse(mc, &madt), ACPI_ERR_BAD_SIGNATURE);
    assert_int_equal(mcfg_parse(apic, &mcfg), ACPI_ERR_BAD_SIGNATURE);
    apic->length = 40;
    assert_int_equal(madt_parse(apic, &madt), ACPI_ERR_TRUNCATED);
    mc->length = 43;
    assert_int_equal(mcfg_parse(mc, &mcfg), ACPI_ERR_TRUNCATED);
    mc->length = 44 + 15;                           /* a partial entry: ignored */
    assert_int_equal(mcfg_parse(mc, &mcfg), ERR_OK);
    assert_int_equal(mcfg.necam, 0);
}

/* The captured smp2 MADT plus entries: a duplicate xAPIC ID, the same ID
 * again as x2APIC, a disabled core (flags 0), an online-capable core, a
 * new x2APIC core, an entry of an unknown type, and an x2APIC entry too
 * short to hold its fields (last, so reading it whole would overrun). */
static void test_madt_duplicates_and_disabled(void **state)
{
    struct acpi_tables t;
    const struct acpi_sdt_header *h;
    static struct madt_info madt;
    load(&bios_smp2);
    init_ok(&t);
    static const uint8_t extra[] = {
        0, 8, 5, 1, 1, 0, 0, 0,                         /* LAPIC uid 5, id 1 again */
        9, 16, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 6, 0, 0, 0, /* x2APIC id 1 again */
        0, 8, 7, 9, 0, 0, 0, 0,                         /* LAPIC id 9, disabled */
        0, 8, 8, 10, 2, 0, 0, 0,                        /* LAPIC id 10, online-capable */
        9, 16, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 9, 0, 0, 0, /* x2APIC id 256 */
        0x7f, 4, 0xaa, 0xbb,                            /* unknown type: skipped */
        9, 8, 0, 0, 0x20, 0, 0, 0,                      /* x2APIC cut short: skipped */
    };
    const uint8_t *old = table("APIC");
    uint32_t len = ((const struct acpi_sdt_header *)old)->length;
    uint8_t *grown = malloc(len + sizeof(extra));
    assert_non_null(grown);
    memcpy(grown, old, len);
    memcpy(grown + len, extra, sizeof(extra));
    ((struct acpi_sdt_header *)grown)->length = len + sizeof(extra);
    fix_table_checksum(grown);
    replace("APIC", grown, len + sizeof(extra));
    free(grown);

    assert_int_equal(acpi_find(&t, "APIC", &h), ERR_OK);
    assert_int_equal(madt_parse(h, &madt), ERR_OK);
    assert_int_equal(madt.ncpus, 4);
    static const struct madt_cpu want[] = {
        { 0, 0, true }, { 1, 1, true }, { 10, 8, false }, { 256, 9, true },
    };
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(madt.cpus[i].apic_id, want[i].apic_id);
        assert_int_equal(madt.cpus[i].uid, want[i].uid);
        assert_int_equal(madt.cpus[i].enabled, want[i].enabled);
    }
    assert_int_equal(madt.nioapics, 1);
}

/* More cores than ACPI_MAX_CPUS: ACPI_ERR_TOO_MANY, not an overflow. */
static void test_madt_too_many_cpus(void **state)
{
    size_t n = ACPI_MAX_CPUS + 1;
    size_t len = sizeof(struct acpi_madt) + n * 8;
    uint8_t *t = calloc(1, len);
    assert_non_null(t);
    memcpy(t, "APIC", 4);
    ((struct acpi_sdt_header *)t)->length = (uint32_t)len;
    for (size_t i = 0; i < n; i++) {
        uint8_t *e = t + sizeof(struct acpi_madt) + i * 8;
        e[0] = MADT_LOCAL_APIC;
        e[1] = 8;
        e[2] = e[3] = (uint8_t)i;
        e[4] = MADT_CPU_ENABLED;
    }
    static struct madt_info madt;
    /* xAPIC IDs are 8 bits: 256 distinct ones fill the table exactly... */
    assert_int_equal(madt_parse((void *)t, &madt), ERR_OK);
    assert_int_equal(madt.ncpus, 256);
    free(t);

    /* ...so the 257th must be an x2APIC entry. */
    len = sizeof(struct acpi_madt) + n * 16;
    t = calloc(1, len);
    assert_non_null(t);
    memcpy(t, "APIC", 4);
    ((struct acpi_sdt_header *)t)->length = (uint32_t)len;
    for (size_t i = 0; i < n; i++) {
        uint8_t *e = t + sizeof(struct acpi_madt) + i * 16;
        uint32_t id = (uint32_t)i, flags = MADT_CPU_ENABLED;
        e[0] = MADT_LOCAL_X2APIC;
        e[1] = 16;
        memcpy(e + 4, &id, 4);
        memcpy(e + 8, &flags, 4);
    }
    assert_int_equal(madt_parse((void *)t, &madt), ACPI_ERR_TOO_MANY);
    free(t);
}

/* The checksum helper: sums to zero or not, and the empty range is fine. */
static void test_checksum(void **state)
{
    static const uint8_t ok[] = { 0x01, 0x02, 0xfd };
    static const uint8_t bad[] = { 0x01, 0x02, 0xfc };
    assert_true(acpi_checksum_ok(ok, sizeof(ok)));
    assert_false(acpi_checksum_ok(bad, sizeof(bad)));
    assert_true(acpi_checksum_ok(bad, 0));
    assert_true(acpi_checksum_ok(bios_smp4.tables[0].bytes, bios_smp4.tables[0].length));
}

/* ---- the clocks the boot calibration may use (kernel/acpi/timers.c) ---- */

/* Does every captured machine's HPET table give a memory-space base, and
 * its FADT an I/O PM timer? (q35: HPET at 0xfed00000, PM timer at 0x608,
 * 24 bits; these numbers are the fixtures', the kernel reads them.) */
static void test_clocks_found(void **state)
{
    for (size_t k = 0; k < sizeof(machines) / sizeof(machines[0]); k++) {
        load(machines[k].fx);
        struct acpi_tables t;
        const struct acpi_sdt_header *h;
        struct acpi_clock c;
        init_ok(&t);
        assert_int_equal(acpi_find(&t, "HPET", &h), ERR_OK);
        assert_int_equal(hpet_parse(h, &c), ERR_OK);
        assert_int_equal(c.space, ACPI_GAS_MEMORY);
        assert_int_equal(c.address, 0xfed00000);
        assert_int_equal(acpi_find(&t, "FACP", &h), ERR_OK);
        assert_int_equal(fadt_pm_timer(h, &c), ERR_OK);
        assert_int_equal(c.space, ACPI_GAS_IO);
        assert_int_equal(c.address, 0x608);
        assert_true(c.bits == 24 || c.bits == 32);
        unload(NULL);
    }
}

/* A FADT without X_PM_TMR_BLK falls back to PM_TMR_BLK; one with neither
 * (hardware-reduced ACPI) has no PM timer; TMR_VAL_EXT makes it 32 bits;
 * an X_PM_TMR_BLK in memory space is taken as such. */
static void test_pm_timer_variants(void **state)
{
    load(&bios_smp4);
    uint8_t f[244];
    memcpy(f, table("FACP"), sizeof(f));
    struct acpi_clock c;
    memset(f + 208, 0, 12);                         /* no X_PM_TMR_BLK */
    f[112 + 1] |= 1;                                /* flags bit 8: TMR_VAL_EXT */
    assert_int_equal(fadt_pm_timer((const void *)f, &c), ERR_OK);
    assert_int_equal(c.space, ACPI_GAS_IO);
    assert_int_equal(c.address, 0x608);
    assert_int_equal(c.bits, 32);
    memset(f + 76, 0, 4);                           /* no PM_TMR_BLK either */
    assert_int_equal(fadt_pm_timer((const void *)f, &c), ACPI_ERR_NO_CLOCK);
    f[208] = ACPI_GAS_MEMORY;
    f[212] = 0x10; f[213] = 0x20; f[215] = 0xfe;    /* 0xfe002010 */
    assert_int_equal(fadt_pm_timer((const void *)f, &c), ERR_OK);
    assert_int_equal(c.space, ACPI_GAS_MEMORY);
    assert_int_equal(c.address, 0xfe002010);
    ((struct acpi_sdt_header *)f)->length = 100;    /* ACPI 1.0 length cut short */
    assert_int_equal(fadt_pm_timer((const void *)f, &c), ACPI_ERR_TRUNCATED);
    assert_int_equal(fadt_pm_timer((const void *)table("HPET"), &c), ACPI_ERR_BAD_SIGNATURE);
}

/* An HPET table whose base is in I/O space, is zero, or is cut short is
 * refused; so is another table passed as the HPET's. */
static void test_hpet_refusals(void **state)
{
    load(&uefi_smp4);
    uint8_t h[56];
    struct acpi_clock c;
    memcpy(h, table("HPET"), sizeof(h));
    h[40] = ACPI_GAS_IO;
    assert_int_equal(hpet_parse((const void *)h, &c), ACPI_ERR_NO_CLOCK);
    memcpy(h, table("HPET"), sizeof(h));
    memset(h + 44, 0, 8);
    assert_int_equal(hpet_parse((const void *)h, &c), ACPI_ERR_NO_CLOCK);
    memcpy(h, table("HPET"), sizeof(h));
    ((struct acpi_sdt_header *)h)->length = 52;
    assert_int_equal(hpet_parse((const void *)h, &c), ACPI_ERR_TRUNCATED);
    assert_int_equal(hpet_parse((const void *)table("FACP"), &c), ACPI_ERR_BAD_SIGNATURE);
}

#define T(fn) cmocka_unit_test_teardown(fn, unload)

int main(void)
{
    static const struct CMUnitTest tests[] = {
        T(test_madt_counts_cores),
        T(test_mcfg_ecam),
        T(test_root_table_choice),
        T(test_find_every_table),
        T(test_missing_table),
        T(test_root_bad_checksum),
        T(test_table_bad_checksum_skipped),
        T(test_bad_rsdp),
        T(test_rsdp_length_past_buffer),
        T(test_root_pointer_wrong),
        T(test_table_length_bad),
        T(test_madt_entry_truncated),
        T(test_madt_mcfg_bad_headers),
        T(test_madt_duplicates_and_disabled),
        T(test_madt_too_many_cpus),
        T(test_checksum),
        T(test_clocks_found),
        T(test_pm_timer_variants),
        T(test_hpet_refusals),
    };
    return cmocka_run_group_tests_name("acpi", tests, NULL, NULL);
}
