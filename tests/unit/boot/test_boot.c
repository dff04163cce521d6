/*
 * test_boot.c: what the CPU driver takes from its boot loader, on the host:
 * the command line (kernel/boot/cmdline.c) and the multiboot2 boot
 * information (kernel/boot/multiboot2.c).
 *
 * The multiboot2 tests build info buffers tag by tag, laid out as in the
 * Multiboot2 Specification 2.0, section 3.6: an 8-byte header (total_size,
 * reserved), then tags of {type, size, payload}, each starting on an 8-byte
 * boundary, ended by a tag of type 0 and size 8.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <boot/cmdline.h>
#include <boot/multiboot2.h>
#include <string.h>

/* ---- the command line ---- */

/* Is a bare key found, and also a key given as key=value? */
static void test_cmdline_has(void **state)
{
    cmdline_set("halt=poweroff  acpi.dump boot.ignore_memmap");
    assert_true(cmdline_has("halt"));
    assert_true(cmdline_has("acpi.dump"));
    assert_true(cmdline_has("boot.ignore_memmap"));
    assert_false(cmdline_has("poweroff"));      /* a value is not a key */
    assert_false(cmdline_has("acpi"));          /* nor is a prefix */
    assert_false(cmdline_has("missing"));
    assert_string_equal(cmdline_raw(), "halt=poweroff  acpi.dump boot.ignore_memmap");
}

/* Is "crash" not confused with "crashx=1", nor "crashx" with "crash"? */
static void test_cmdline_prefix_keys(void **state)
{
    char v[16];
    cmdline_set("crashx=1 haltnow");
    assert_false(cmdline_has("crash"));
    assert_false(cmdline_value("crash", v, sizeof(v)));
    assert_false(cmdline_has("halt"));
    assert_true(cmdline_has("crashx"));
    cmdline_set("crash=divide");
    assert_false(cmdline_has("crashx"));
    assert_false(cmdline_has("crash=div"));
    assert_true(cmdline_value("crash", v, sizeof(v)));
    assert_string_equal(v, "divide");
}

/* Does cmdline_value copy the whole value, stop at the space, and refuse a
 * key that has no '=' or is absent? */
static void test_cmdline_value(void **state)
{
    char v[32];
    cmdline_set("a=1 crash=pagefault empty= flag");
    assert_true(cmdline_value("crash", v, sizeof(v)));
    assert_string_equal(v, "pagefault");
    assert_true(cmdline_value("a", v, sizeof(v)));
    assert_string_equal(v, "1");
    assert_true(cmdline_value("empty", v, sizeof(v)));
    assert_string_equal(v, "");
    memcpy(v, "untouched", 10);
    assert_false(cmdline_value("flag", v, sizeof(v)));
    assert_false(cmdline_value("nokey", v, sizeof(v)));
    assert_string_equal(v, "untouched");
}

/* Is a value longer than the buffer cut and NUL-terminated, and size 0
 * refused without writing? */
static void test_cmdline_value_truncation(void **state)
{
    char v[8];
    memset(v, 'X', sizeof(v));
    cmdline_set("k=0123456789 next");
    assert_true(cmdline_value("k", v, 5));
    assert_string_equal(v, "0123");
    assert_int_equal(v[5], 'X');
    assert_false(cmdline_value("k", v, 0));
    assert_true(cmdline_value("k", v, 1));
    assert_string_equal(v, "");
}

/* Is a NULL or over-long command line stored safely (empty, or cut to
 * CMDLINE_MAX - 1 characters)? */
static void test_cmdline_set_limits(void **state)
{
    cmdline_set(NULL);
    assert_string_equal(cmdline_raw(), "");
    assert_false(cmdline_has("x"));
    char long_line[CMDLINE_MAX + 100];
    memset(long_line, 'a', sizeof(long_line) - 1);
    long_line[sizeof(long_line) - 1] = '\0';
    cmdline_set(long_line);
    assert_int_equal(strlen(cmdline_raw()), CMDLINE_MAX - 1);
}

/* ---- multiboot2 ---- */

#define MBI_BYTES 4096

/* A multiboot2 info under construction. */
struct mbi {
    _Alignas(8) uint8_t buf[MBI_BYTES];
    uint32_t len;
};

static void mbi_begin(struct mbi *m)
{
    memset(m, 0, sizeof(*m));
    m->len = sizeof(struct mb2_info_header);
}

/* Append a tag (header + payload); returns it; advances to 8-byte alignment. */
static struct mb2_tag *mbi_tag(struct mbi *m, uint32_t type, const void *payload, uint32_t n)
{
    struct mb2_tag *t = (struct mb2_tag *)(m->buf + m->len);
    t->type = type;
    t->size = sizeof(*t) + n;
    if (n)
        memcpy(t + 1, payload, n);
    m->len += (t->size + 7) & ~7u;
    assert_true(m->len <= MBI_BYTES);
    return t;
}

static void mbi_string(struct mbi *m, uint32_t type, const char *s)
{
    mbi_tag(m, type, s, strlen(s) + 1);
}

static void mbi_module(struct mbi *m, uint32_t start, uint32_t end, const char *name)
{
    uint8_t p[64];
    memcpy(p, &start, 4);
    memcpy(p + 4, &end, 4);
    memcpy(p + 8, name, strlen(name) + 1);
    mbi_tag(m, MB2_TAG_MODULE, p, 8 + strlen(name) + 1);
}

/* A memory map tag with `entry_size`-byte entries (>= 24; the rest zero). */
static void mbi_mmap(struct mbi *m, uint32_t entry_size, const struct mb2_mmap_entry *e, size_t n)
{
    uint8_t p[1024] = { 0 };
    uint32_t hdr[2] = { entry_size, 0 };     /* entry_size, entry_version */
    memcpy(p, hdr, sizeof(hdr));
    for (size_t i = 0; i < n; i++)
        memcpy(p + sizeof(hdr) + i * entry_size, &e[i], sizeof(e[i]));
    mbi_tag(m, MB2_TAG_MMAP, p, sizeof(hdr) + n * entry_size);
}

/* Add the end tag and set total_size. */
static const void *mbi_end(struct mbi *m)
{
    mbi_tag(m, MB2_TAG_END, NULL, 0);
    ((struct mb2_info_header *)m->buf)->total_size = m->len;
    return m->buf;
}

static const struct mb2_mmap_entry qemu_map[] = {
    { 0x0, 0x9fc00, MB2_MEM_AVAILABLE, 0 },
    { 0x9fc00, 0x400, MB2_MEM_RESERVED, 0 },
    { 0xf0000, 0x10000, MB2_MEM_RESERVED, 0 },
    { 0x100000, 0x3fed7000, MB2_MEM_AVAILABLE, 0 },
    { 0x3ffd7000, 0x29000, MB2_MEM_ACPI_RECLAIM, 0 },
    { 0xfed1c000, 0x4000, MB2_MEM_NVS, 0 },
};
#define QEMU_MAP_N (sizeof(qemu_map) / sizeof(qemu_map[0]))

/* Does a full info (cmdline, loader name, mmap, modules) come out whole? */
static void test_mb2_full_info(void **state)
{
    struct mbi m;
    struct boot_info bi;
    mbi_begin(&m);
    mbi_string(&m, MB2_TAG_CMDLINE, "halt=poweroff acpi.dump");
    mbi_string(&m, MB2_TAG_LOADER_NAME, "GRUB 2.06");
    mbi_mmap(&m, sizeof(struct mb2_mmap_entry), qemu_map, QEMU_MAP_N);
    mbi_module(&m, 0x200000, 0x210000, "init");
    mbi_module(&m, 0x300000, 0x300123, "monitor arg=1");
    mbi_tag(&m, 4, "\x80\x02\x00\x00\x00\xfc\x0f\x00", 8);   /* basic meminfo: ignored */
    const void *info = mbi_end(&m);

    assert_int_equal(mb2_parse(info, &bi), ERR_OK);
    assert_int_equal(bi.total_size, m.len);
    assert_string_equal(bi.cmdline, "halt=poweroff acpi.dump");
    assert_string_equal(bi.loader_name, "GRUB 2.06");
    assert_true(bi.has_mmap);
    assert_int_equal(bi.nregions, QEMU_MAP_N);
    for (size_t i = 0; i < QEMU_MAP_N; i++) {
        assert_int_equal(bi.regions[i].base, qemu_map[i].base);
        assert_int_equal(bi.regions[i].length, qemu_map[i].length);
        assert_int_equal(bi.regions[i].type, qemu_map[i].type);
    }
    assert_int_equal(bi.nmodules, 2);
    assert_int_equal(bi.modules[0].start, 0x200000);
    assert_int_equal(bi.modules[0].end, 0x210000);
    assert_string_equal(bi.modules[0].name, "init");
    assert_int_equal(bi.modules[1].start, 0x300000);
    assert_string_equal(bi.modules[1].name, "monitor arg=1");
    assert_null(bi.rsdp);
}

/* Minimal: just the end tag. Nothing found, no mmap, but not an error. */
static void test_mb2_only_end_tag(void **state)
{
    struct mbi m;
    struct boot_info bi;
    mbi_begin(&m);
    assert_int_equal(mb2_parse(mbi_end(&m), &bi), ERR_OK);
    assert_null(bi.cmdline);
    assert_null(bi.loader_name);
    assert_false(bi.has_mmap);
    assert_int_equal(bi.nregions, 0);
    assert_int_equal(bi.nmodules, 0);
}

/* Without a memory map tag, is has_mmap false (so the kernel can refuse)? */
static void test_mb2_no_mmap(void **state)
{
    struct mbi m;
    struct boot_info bi;
    mbi_begin(&m);
    mbi_string(&m, MB2_TAG_CMDLINE, "");
    assert_int_equal(mb2_parse(mbi_end(&m), &bi), ERR_OK);
    assert_false(bi.has_mmap);
    assert_string_equal(bi.cmdline, "");
}

/* Is a larger entry_size (a newer loader's longer entries) honoured, so
 * each entry is read at its own stride? */
static void test_mb2_mmap_entry_size_32(void **state)
{
    struct mbi m;
    struct boot_info bi;
    mbi_begin(&m);
    mbi_mmap(&m, 32, qemu_map, QEMU_MAP_N);
    assert_int_equal(mb2_parse(mbi_end(&m), &bi), ERR_OK);
    assert_int_equal(bi.nregions, QEMU_MAP_N);
    assert_int_equal(bi.regions[3].base, 0x100000);
    assert_int_equal(bi.regions[3].length, 0x3fed7000);
    assert_int_equal(bi.regions[5].base, 0xfed1c000);
    assert_int_equal(bi.regions[5].type, MB2_MEM_NVS);
}

/* An entry_size smaller than the spec's 24 bytes: the map is present but
 * no entry is read from it. */
static void test_mb2_mmap_entry_size_too_small(void **state)
{
    struct mbi m;
    struct boot_info bi;
    mbi_begin(&m);
    mbi_mmap(&m, 16, qemu_map, 2);
    assert_int_equal(mb2_parse(mbi_end(&m), &bi), ERR_OK);
    assert_true(bi.has_mmap);
    assert_int_equal(bi.nregions, 0);
}

/* Does the ACPI 2.0 RSDP win over the 1.0 one, in either order, and with
 * only the old one present is that used? */
static void test_mb2_acpi_new_preferred(void **state)
{
    uint8_t old_rsdp[20] = "RSD PTR old";
    uint8_t new_rsdp[36] = "RSD PTR new";
    struct mbi m;
    struct boot_info bi;

    mbi_begin(&m);
    mbi_tag(&m, MB2_TAG_ACPI_OLD, old_rsdp, sizeof(old_rsdp));
    mbi_tag(&m, MB2_TAG_ACPI_NEW, new_rsdp, sizeof(new_rsdp));
    assert_int_equal(mb2_parse(mbi_end(&m), &bi), ERR_OK);
    assert_memory_equal(bi.rsdp, new_rsdp, sizeof(new_rsdp));
    assert_int_equal(bi.rsdp_len, 36);

    mbi_begin(&m);
    mbi_tag(&m, MB2_TAG_ACPI_NEW, new_rsdp, sizeof(new_rsdp));
    mbi_tag(&m, MB2_TAG_ACPI_OLD, old_rsdp, sizeof(old_rsdp));
    assert_int_equal(mb2_parse(mbi_end(&m), &bi), ERR_OK);
    assert_memory_equal(bi.rsdp, new_rsdp, sizeof(new_rsdp));
    assert_int_equal(bi.rsdp_len, 36);

    mbi_begin(&m);
    mbi_tag(&m, MB2_TAG_ACPI_OLD, old_rsdp, sizeof(old_rsdp));
    assert_int_equal(mb2_parse(mbi_end(&m), &bi), ERR_OK);
    assert_memory_equal(bi.rsdp, old_rsdp, sizeof(old_rsdp));
    assert_int_equal(bi.rsdp_len, 20);
}

/* A tag whose size runs past total_size: BOOT_ERR_BAD_TAG, not a wild read.
 * (The info is copied to a heap block of exactly total_size bytes, so ASan
 * reports any read past it.) */
static void test_mb2_tag_past_total_size(void **state)
{
    struct mbi m;
    struct boot_info bi;
    mbi_begin(&m);
    mbi_string(&m, MB2_TAG_CMDLINE, "abc");
    size_t mmap_at = m.len;
    mbi_mmap(&m, sizeof(struct mb2_mmap_entry), qemu_map, 2);
    mbi_end(&m);
    struct mb2_tag *t = (struct mb2_tag *)(m.buf + mmap_at);
    t->size += 2 * sizeof(struct mb2_mmap_entry);    /* two entries past the end */
    void *exact = malloc(m.len);
    assert_non_null(exact);
    memcpy(exact, m.buf, m.len);
    errval_t err = mb2_parse(exact, &bi);
    free(exact);
    assert_int_equal(err, BOOT_ERR_BAD_TAG);
}

/* A tag smaller than its own 8-byte header would never advance: refused. */
static void test_mb2_tag_too_small(void **state)
{
    struct mbi m;
    struct boot_info bi;
    mbi_begin(&m);
    struct mb2_tag *t = mbi_tag(&m, MB2_TAG_CMDLINE, "abc", 4);
    mbi_end(&m);
    t->size = 4;
    assert_int_equal(mb2_parse(m.buf, &bi), BOOT_ERR_BAD_TAG);
    t->size = 0;
    assert_int_equal(mb2_parse(m.buf, &bi), BOOT_ERR_BAD_TAG);
}

/* No end tag before total_size runs out: an error. */
static void test_mb2_missing_end_tag(void **state)
{
    struct mbi m;
    struct boot_info bi;
    mbi_begin(&m);
    mbi_string(&m, MB2_TAG_CMDLINE, "x");
    mbi_end(&m);
    ((struct mb2_info_header *)m.buf)->total_size = m.len - 8;   /* cut off the end tag */
    assert_int_equal(mb2_parse(m.buf, &bi), BOOT_ERR_BAD_TAG);
}

/* A total_size too small for even the header and one tag is refused. */
static void test_mb2_total_size_too_small(void **state)
{
    struct mbi m;
    struct boot_info bi;
    mbi_begin(&m);
    mbi_end(&m);
    ((struct mb2_info_header *)m.buf)->total_size = 8;
    assert_int_equal(mb2_parse(m.buf, &bi), BOOT_ERR_BAD_TAG);
    ((struct mb2_info_header *)m.buf)->total_size = 0;
    assert_int_equal(mb2_parse(m.buf, &bi), BOOT_ERR_BAD_TAG);
}

/* More modules than BOOT_MAX_MODULES: the first ones are kept, no overflow. */
static void test_mb2_too_many_modules(void **state)
{
    struct mbi m;
    struct boot_info bi;
    mbi_begin(&m);
    for (uint32_t i = 0; i < BOOT_MAX_MODULES + 4; i++)
        mbi_module(&m, 0x1000 * i, 0x1000 * i + 0x800, "m");
    assert_int_equal(mb2_parse(mbi_end(&m), &bi), ERR_OK);
    assert_int_equal(bi.nmodules, BOOT_MAX_MODULES);
    assert_int_equal(bi.modules[BOOT_MAX_MODULES - 1].start, 0x1000 * (BOOT_MAX_MODULES - 1));
}

/* Does every memory type have its name, and an unknown one "unknown"? */
static void test_mb2_mem_type_names(void **state)
{
    assert_string_equal(mb2_mem_type_name(MB2_MEM_AVAILABLE), "usable");
    assert_string_equal(mb2_mem_type_name(MB2_MEM_RESERVED), "reserved");
    assert_string_equal(mb2_mem_type_name(MB2_MEM_ACPI_RECLAIM), "ACPI data");
    assert_string_equal(mb2_mem_type_name(MB2_MEM_NVS), "ACPI NVS");
    assert_string_equal(mb2_mem_type_name(MB2_MEM_BAD), "bad RAM");
    assert_string_equal(mb2_mem_type_name(0), "unknown");
    assert_string_equal(mb2_mem_type_name(6), "unknown");
    assert_string_equal(mb2_mem_type_name(0xffffffff), "unknown");
}

/* ---- console= (kernel/boot/console_arg.c) ---- */

/* Are ttyS0-3 the PC's COM1-4, uart,io,0xADDR any port, and a baud that
 * divides 115200 taken? */
static void test_console_arg(void **state)
{
    struct console_port c;
    assert_true(console_arg_parse("ttyS0", &c));
    assert_int_equal(c.port, 0x3f8);
    assert_int_equal(c.baud, 115200);
    assert_true(console_arg_parse("ttyS1", &c));
    assert_int_equal(c.port, 0x2f8);
    assert_true(console_arg_parse("ttyS3,57600", &c));
    assert_int_equal(c.port, 0x2e8);
    assert_int_equal(c.baud, 57600);
    assert_true(console_arg_parse("uart,io,0x2F8,9600", &c));
    assert_int_equal(c.port, 0x2f8);
    assert_int_equal(c.baud, 9600);
}

/* Is anything else refused, leaving the port as it was? */
static void test_console_arg_refused(void **state)
{
    static const char *const bad[] = {
        "ttyS4", "ttyS", "ttyS1x", "ttyS1,", "ttyS1,0", "ttyS1,115201", "ttyS1,9600,8n1",
        "tty0", "uart,io,0x", "uart,io,0x0", "uart,io,0xfffff", "uart,mmio,0xfe000000",
        "ttyS99999999999", "",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct console_port c = { .port = 7, .baud = 7 };
        if (console_arg_parse(bad[i], &c))
            fail_msg("console=%s was accepted", bad[i]);
        assert_int_equal(c.port, 7);
    }
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cmdline_has),
        cmocka_unit_test(test_cmdline_prefix_keys),
        cmocka_unit_test(test_cmdline_value),
        cmocka_unit_test(test_cmdline_value_truncation),
        cmocka_unit_test(test_cmdline_set_limits),
        cmocka_unit_test(test_mb2_full_info),
        cmocka_unit_test(test_mb2_only_end_tag),
        cmocka_unit_test(test_mb2_no_mmap),
        cmocka_unit_test(test_mb2_mmap_entry_size_32),
        cmocka_unit_test(test_mb2_mmap_entry_size_too_small),
        cmocka_unit_test(test_mb2_acpi_new_preferred),
        cmocka_unit_test(test_mb2_tag_past_total_size),
        cmocka_unit_test(test_mb2_tag_too_small),
        cmocka_unit_test(test_mb2_missing_end_tag),
        cmocka_unit_test(test_mb2_total_size_too_small),
        cmocka_unit_test(test_mb2_too_many_modules),
        cmocka_unit_test(test_mb2_mem_type_names),
        cmocka_unit_test(test_console_arg),
        cmocka_unit_test(test_console_arg_refused),
    };
    return cmocka_run_group_tests_name("boot", tests, NULL, NULL);
}
