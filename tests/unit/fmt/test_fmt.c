/*
 * test_fmt.c: the kernel's printf engine (lib/common/fmt.c) on the host.
 *
 * Three tables of cases (int, 64-bit, string arguments) are formatted by
 * both fmt_snprintf and the host's snprintf and must agree byte for byte
 * and in the returned length; the tests after them pin the cases where
 * the kernel differs on purpose (%p of NULL) or that no table can express
 * (truncation, '*', length modifiers).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <cmocka.h>
#include <fmt.h>
#include <string.h>

#define BUF 256

/* Both formatters on one case; fail naming the format and both results. */
static void agree(const char *what, int klen, const char *kbuf, int hlen, const char *hbuf)
{
    if (klen != hlen || strcmp(kbuf, hbuf) != 0)
        fail_msg("fmt_snprintf(%s) gave \"%s\" (%d), host snprintf gave \"%s\" (%d)",
                 what, kbuf, klen, hbuf, hlen);
}

/* Does every int conversion, flag, width and precision match the host? */
static void test_int_table_matches_host(void **state)
{
    static const struct { const char *fmt; int v; } cases[] = {
        { "%d", 0 }, { "%d", 42 }, { "%d", -42 }, { "%i", -7 },
        { "%d", INT32_MAX }, { "%d", INT32_MIN },
        { "%5d", 42 }, { "%-5d|", 42 }, { "%05d", -42 }, { "%-05d|", 42 },
        { "%+d", 42 }, { "%+d", -42 }, { "%+d", 0 }, { "% d", 42 }, { "% d", -42 },
        { "%+ d", 42 }, { "%.3d", 7 }, { "%.3d", -7 }, { "%8.3d", -7 },
        { "%08.3d", 7 }, { "%.0d", 0 }, { "%5.0d|", 0 }, { "%.0d", 1 },
        { "%u", 0 }, { "%u", -1 }, { "%x", 255 }, { "%X", 255 }, { "%x", -1 },
        { "%#x", 255 }, { "%#X", 255 }, { "%#x", 0 }, { "%#.0x", 0 }, { "%#08x", 255 },
        { "%#8x", 255 }, { "%-#8x|", 255 }, { "%#5.3x", 1 }, { "%o", 8 }, { "%#o", 8 },
        { "%#o", 0 }, { "%#.0o", 0 }, { "%#.5o", 8 }, { "%#08o", 8 }, { "%.0o", 0 },
        { "%c", 'A' }, { "%3c", 'A' }, { "%-3c|", 'A' }, { "%%", 0 }, { "100%%", 0 },
        { "%hhd", 200 }, { "%hhu", 300 }, { "%hhx", -1 }, { "%hd", 70000 },
        { "%hu", -1 }, { "%hx", 0x12345 },
        { "a%db", 1 }, { "", 0 }, { "no conversion", 0 },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char k[BUF], h[BUF], what[64];
        int kl = fmt_snprintf(k, sizeof(k), cases[i].fmt, cases[i].v);
        int hl = snprintf(h, sizeof(h), cases[i].fmt, cases[i].v);
        snprintf(what, sizeof(what), "\"%s\", %d", cases[i].fmt, cases[i].v);
        agree(what, kl, k, hl, h);
    }
}

/* Do the 64-bit modifiers (l, ll, j, z, t) reach INT64_MIN and UINT64_MAX? */
static void test_64bit_table_matches_host(void **state)
{
    static const struct { const char *fmt; int64_t v; } cases[] = {
        { "%ld", INT64_MIN }, { "%lld", INT64_MIN }, { "%jd", INT64_MIN },
        { "%ld", INT64_MAX }, { "%lld", -1 }, { "%+lld", 1 }, { "%22lld", INT64_MIN },
        { "%-22lld|", INT64_MIN }, { "%023lld", INT64_MIN },
        { "%lu", -1 }, { "%llu", -1 }, { "%ju", -1 }, { "%zu", -1 }, { "%lx", -1 },
        { "%#lX", -1 }, { "%lo", -1 }, { "%#llo", -1 }, { "%zx", 0x1234 },
        { "%zd", -5 }, { "%td", -5 }, { "%tu", 5 }, { "%tx", 0xabc },
        { "%.20lu", 1 }, { "%lx", 0x00000000ffffffffll }, { "%lx", 0x100000000ll },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char k[BUF], h[BUF], what[64];
        int kl = fmt_snprintf(k, sizeof(k), cases[i].fmt, cases[i].v);
        int hl = snprintf(h, sizeof(h), cases[i].fmt, cases[i].v);
        snprintf(what, sizeof(what), "\"%s\", %lld", cases[i].fmt, (long long)cases[i].v);
        agree(what, kl, k, hl, h);
    }
}

/* Do width, '-' and precision cut and pad strings as the host does? */
static void test_string_table_matches_host(void **state)
{
    static const struct { const char *fmt; const char *s; } cases[] = {
        { "%s", "hello" }, { "%s", "" }, { "%8s|", "hello" }, { "%-8s|", "hello" },
        { "%.3s", "hello" }, { "%.0s|", "hello" }, { "%.10s", "hello" },
        { "%8.3s|", "hello" }, { "%-8.3s|", "hello" }, { "%2s", "hello" },
        { "[%s]", "a b" }, { "%s", "(null)" }, { "%s%%", "100" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char k[BUF], h[BUF], what[64];
        int kl = fmt_snprintf(k, sizeof(k), cases[i].fmt, cases[i].s);
        int hl = snprintf(h, sizeof(h), cases[i].fmt, cases[i].s);
        snprintf(what, sizeof(what), "\"%s\", \"%s\"", cases[i].fmt, cases[i].s);
        agree(what, kl, k, hl, h);
    }
}

/* Does the kernel itself get the well-known answers (not just agree)? */
static void test_known_values(void **state)
{
    char b[BUF];
    assert_int_equal(fmt_snprintf(b, sizeof(b), "%d", INT32_MIN), 11);
    assert_string_equal(b, "-2147483648");
    assert_int_equal(fmt_snprintf(b, sizeof(b), "%lld", (long long)INT64_MIN), 20);
    assert_string_equal(b, "-9223372036854775808");
    assert_int_equal(fmt_snprintf(b, sizeof(b), "%llu", (unsigned long long)UINT64_MAX), 20);
    assert_string_equal(b, "18446744073709551615");
    fmt_snprintf(b, sizeof(b), "%lx", (unsigned long)UINT64_MAX);
    assert_string_equal(b, "ffffffffffffffff");
    fmt_snprintf(b, sizeof(b), "%#lo", (unsigned long)UINT64_MAX);
    assert_string_equal(b, "01777777777777777777777");
    fmt_snprintf(b, sizeof(b), "%+05d|% -4d|%-+4d|", 3, 3, 3);
    assert_string_equal(b, "+0003| 3  |+3  |");
}

/* Does a NULL string print as "(null)", padded like any string? */
static void test_null_string(void **state)
{
    char b[BUF];
    const char *volatile null = NULL;      /* hidden from -Wformat-overflow */
    assert_int_equal(fmt_snprintf(b, sizeof(b), "%s", null), 6);
    assert_string_equal(b, "(null)");
    fmt_snprintf(b, sizeof(b), "[%8s]", null);
    assert_string_equal(b, "[  (null)]");
}

/* What does %p print: 0x-prefixed hex, and "0" (not glibc's "(nil)") for NULL? */
static void test_pointer(void **state)
{
    char b[BUF];
    fmt_snprintf(b, sizeof(b), "%p", (void *)0xffff800000001000ull);
    assert_string_equal(b, "0xffff800000001000");
    fmt_snprintf(b, sizeof(b), "%p", (void *)0x10);
    assert_string_equal(b, "0x10");
    fmt_snprintf(b, sizeof(b), "[%8p]", (void *)0x10);
    assert_string_equal(b, "[    0x10]");
    fmt_snprintf(b, sizeof(b), "%p", NULL);
    assert_string_equal(b, "0");
}

/* Do '*' width and precision take int arguments, negative width meaning
 * '-' and negative precision meaning none? */
static void test_star_width_precision(void **state)
{
    char b[BUF];
    fmt_snprintf(b, sizeof(b), "[%*d]", 5, 42);
    assert_string_equal(b, "[   42]");
    fmt_snprintf(b, sizeof(b), "[%*d]", -5, 42);
    assert_string_equal(b, "[42   ]");
    fmt_snprintf(b, sizeof(b), "[%.*d]", 4, 42);
    assert_string_equal(b, "[0042]");
    fmt_snprintf(b, sizeof(b), "[%.*s]", 2, "hello");
    assert_string_equal(b, "[he]");
    fmt_snprintf(b, sizeof(b), "[%.*s]", -1, "hello");
    assert_string_equal(b, "[hello]");
    fmt_snprintf(b, sizeof(b), "[%*.*s]", 6, 3, "hello");
    assert_string_equal(b, "[   hel]");
    /* The '*' arguments are consumed in order: the next conversion sees 7. */
    fmt_snprintf(b, sizeof(b), "%*d,%d", 3, 1, 7);
    assert_string_equal(b, "  1,7");
}

/* Do hh and h truncate to char and short before printing? */
static void test_short_modifiers_truncate(void **state)
{
    char b[BUF];
    fmt_snprintf(b, sizeof(b), "%hhd %hhu %hd %hu", 0x180, 0x1ff, 0x18000, 0x1ffff);
    assert_string_equal(b, "-128 255 -32768 65535");
}

/* When the buffer is too small: cut, NUL-terminated, and the full length
 * returned so the caller can tell? */
static void test_truncation(void **state)
{
    char b[8];
    memset(b, 'X', sizeof(b));
    assert_int_equal(fmt_snprintf(b, sizeof(b), "hello, %s", "world"), 12);
    assert_string_equal(b, "hello, ");
    memset(b, 'X', sizeof(b));
    assert_int_equal(fmt_snprintf(b, 5, "%d", 123456789), 9);
    assert_string_equal(b, "1234");
    assert_int_equal(b[5], 'X');            /* nothing written past size */
    memset(b, 'X', sizeof(b));
    assert_int_equal(fmt_snprintf(b, 1, "abc"), 3);
    assert_int_equal(b[0], '\0');
    assert_int_equal(b[1], 'X');
    /* Exactly fitting: 7 characters and the NUL in 8 bytes. */
    assert_int_equal(fmt_snprintf(b, sizeof(b), "%7d", 1), 7);
    assert_string_equal(b, "      1");
}

/* With size 0, is nothing written (buf may be NULL) and the length still
 * returned? */
static void test_size_zero(void **state)
{
    char b[4] = { 'X', 'X', 'X', 'X' };
    assert_int_equal(fmt_snprintf(b, 0, "%s", "abcdef"), 6);
    assert_int_equal(b[0], 'X');
    assert_int_equal(fmt_snprintf(NULL, 0, "%d-%d", 10, 20), 5);
}

/* Does fmt_vformat count characters and call the sink once per character,
 * including an embedded NUL from %c? */
static void count_out(char c, void *arg)
{
    size_t *n = arg;
    (*n)++;
}

static int vformat(fmt_out_fn out, void *arg, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vformat(out, arg, fmt, ap);
    va_end(ap);
    return n;
}

static void test_vformat_counts(void **state)
{
    size_t calls = 0;
    assert_int_equal(vformat(count_out, &calls, "a%cb%5d", '\0', 1), 8);
    assert_int_equal(calls, 8);
}

/* Does an unknown conversion print as written, and a '%' (or a half
 * conversion) at the very end stop without reading past the string? */
static void test_malformed_formats(void **state)
{
    char b[BUF];
    const char *unknown = "%y|%5k";
    assert_int_equal(fmt_snprintf(b, sizeof(b), unknown, 1), 5);
    assert_string_equal(b, "%y|%k");
    static const char *const tails[] = { "ab%", "ab%5", "ab%-", "ab%l", "ab%hh", "ab%.", "ab%#0" };
    for (size_t i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
        assert_int_equal(fmt_snprintf(b, sizeof(b), tails[i], 0), 2);
        assert_string_equal(b, "ab");
    }
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_int_table_matches_host),
        cmocka_unit_test(test_64bit_table_matches_host),
        cmocka_unit_test(test_string_table_matches_host),
        cmocka_unit_test(test_known_values),
        cmocka_unit_test(test_null_string),
        cmocka_unit_test(test_pointer),
        cmocka_unit_test(test_star_width_precision),
        cmocka_unit_test(test_short_modifiers_truncate),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_size_zero),
        cmocka_unit_test(test_vformat_counts),
        cmocka_unit_test(test_malformed_formats),
    };
    return cmocka_run_group_tests_name("fmt", tests, NULL, NULL);
}
