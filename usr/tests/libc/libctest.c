/*
 * libctest.c: the C library (newlib on libos) from a program's side.
 *
 * Each test is a function in libc_tests[]; it calls check() once per fact
 * and prints what it computed, so a failure line names the call, what it
 * got and what was expected. Covers stdio formatting (integers, strings,
 * floats through SSE), snprintf truncation, strtol/strtoul/strtod, qsort
 * and bsearch, a few hundred malloc/realloc/free blocks with their
 * contents checked, libm, setjmp/longjmp, constructors run by the start-up
 * hook, and a not-implemented call failing with ENOSYS. Ends with
 * "libctest: all N checks passed" and status 0, or status 1; an atexit
 * handler shows that exit() is newlib's.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int libc_checks, libc_failures;

static void check(int ok, const char *what, const char *got, const char *expected)
{
    libc_checks++;
    if (ok)
        return;
    libc_failures++;
    printf("libctest: FAIL %s: got \"%s\", expected \"%s\"\n", what, got, expected);
}

static void check_str(const char *what, const char *got, const char *expected)
{
    check(strcmp(got, expected) == 0, what, got, expected);
}

static void check_long(const char *what, long got, long expected)
{
    char g[32], e[32];
    snprintf(g, sizeof g, "%ld", got);
    snprintf(e, sizeof e, "%ld", expected);
    check(got == expected, what, g, e);
}

/* A small deterministic generator, so a failure repeats. */
static uint32_t libc_rand_state = 12345;
static uint32_t libc_rand(void)
{
    libc_rand_state = libc_rand_state * 1103525245u + 12345u;
    return libc_rand_state >> 8;
}

static void test_printf(void)
{
    char buf[128];
    printf("libctest: printf %%d %d %%s %s %%x %x %%.3f %.3f\n", -42, "newlib", 0xbeefu, 3.14159);
    snprintf(buf, sizeof buf, "%d %s %x %.3f", -42, "newlib", 0xbeefu, 3.14159);
    check_str("snprintf(\"%d %s %x %.3f\")", buf, "-42 newlib beef 3.142");
    snprintf(buf, sizeof buf, "%lld %zu %-4s| %08.2f %.2e %c%%", -9000000000LL, (size_t)7, "ab",
             -2.5, 12345.678, 'z');
    check_str("snprintf(long long, size_t, width, %e)", buf, "-9000000000 7 ab  | -0002.50 1.23e+04 z%");
}

static void test_snprintf(void)
{
    char buf[8];
    const char *volatile digits = "0123456789";    /* hides the truncation from -Werror */
    int n = snprintf(buf, sizeof buf, "%s", digits);
    check_long("snprintf truncating: return value", n, 10);
    check_str("snprintf truncating: buffer", buf, "0123456");
    check_long("snprintf(NULL, 0): length", snprintf(NULL, 0, "%d", 123456), 6);
    printf("libctest: snprintf truncates \"0123456789\" to \"%s\" and returns %d\n", buf, n);
}

static void test_strtol(void)
{
    char *end;
    long v = strtol("  -1234xyz", &end, 10);
    check_long("strtol(\"  -1234xyz\")", v, -1234);
    check(*end == 'x', "strtol end pointer", end, "xyz");
    check_long("strtol(\"0x7f\", base 0)", strtol("0x7f", NULL, 0), 127);
    check_long("strtol(\"777\", base 8)", strtol("777", NULL, 8), 511);
    errno = 0;
    unsigned long big = strtoul("99999999999999999999", NULL, 10);
    check(big == ULONG_MAX && errno == ERANGE, "strtoul overflow", "not ULONG_MAX/ERANGE",
          "ULONG_MAX/ERANGE");
    double d = strtod("2.5e3", NULL);
    check(d == 2500.0, "strtod(\"2.5e3\")", "not 2500", "2500");
    printf("libctest: strtol -1234 0x7f=%ld 0777=%ld strtod %.1f\n", strtol("0x7f", NULL, 0),
           strtol("777", NULL, 8), d);
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

#define QSORT_N 1000
static void test_qsort(void)
{
    static int v[QSORT_N];
    for (int i = 0; i < QSORT_N; i++)
        v[i] = (int)(libc_rand() % 100000) - 50000;
    v[QSORT_N / 2] = 777777;                 /* one value bsearch must find */
    qsort(v, QSORT_N, sizeof v[0], cmp_int);
    int sorted = 1;
    for (int i = 1; i < QSORT_N; i++)
        if (v[i - 1] > v[i])
            sorted = 0;
    check(sorted, "qsort order", "unsorted", "ascending");
    check(v[QSORT_N - 1] == 777777, "qsort maximum", "not 777777", "777777");
    int key = 777777;
    int *hit = bsearch(&key, v, QSORT_N, sizeof v[0], cmp_int);
    check(hit == &v[QSORT_N - 1], "bsearch", "wrong element", "the last element");
    printf("libctest: qsort %d ints: min %d max %d\n", QSORT_N, v[0], v[QSORT_N - 1]);
}

/* Block i holds bytes (i * 31 + j) & 0xff, j its offset. */
static int block_ok(const unsigned char *p, size_t n, unsigned i)
{
    for (size_t j = 0; j < n; j++)
        if (p[j] != (unsigned char)(i * 31 + j))
            return 0;
    return 1;
}

static void block_fill(unsigned char *p, size_t from, size_t n, unsigned i)
{
    for (size_t j = from; j < n; j++)
        p[j] = (unsigned char)(i * 31 + j);
}

#define MALLOC_N 400
static void test_malloc(void)
{
    static unsigned char *blk[MALLOC_N];
    static size_t len[MALLOC_N];
    int allocated = 1, intact = 1, realloc_ok = 1;
    for (unsigned i = 0; i < MALLOC_N; i++) {
        len[i] = 1 + libc_rand() % 4000;
        blk[i] = malloc(len[i]);
        if (!blk[i] || ((uintptr_t)blk[i] & 15)) {
            allocated = 0;
            break;
        }
        block_fill(blk[i], 0, len[i], i);
    }
    check(allocated, "malloc 400 blocks, 16-aligned", "NULL or misaligned", "all");
    if (!allocated)
        return;
    for (unsigned i = 0; i < MALLOC_N; i++)
        intact &= block_ok(blk[i], len[i], i);
    check(intact, "malloc block contents", "overwritten", "intact");
    for (unsigned i = 0; i < MALLOC_N; i += 2) {         /* grow half, shrink a quarter */
        size_t n = i % 4 ? len[i] / 2 + 1 : len[i] * 3;
        unsigned char *p = realloc(blk[i], n);
        if (!p) {
            realloc_ok = 0;
            break;
        }
        size_t keep = n < len[i] ? n : len[i];
        realloc_ok &= block_ok(p, keep, i);
        block_fill(p, keep, n, i);
        blk[i] = p;
        len[i] = n;
    }
    check(realloc_ok, "realloc keeps contents", "lost", "kept");
    intact = 1;
    for (unsigned i = 0; i < MALLOC_N; i++)
        intact &= block_ok(blk[i], len[i], i);
    check(intact, "contents after realloc", "overwritten", "intact");
    for (unsigned i = 0; i < MALLOC_N; i++) {            /* free in a scrambled order */
        unsigned k = (i * 7919u) % MALLOC_N;
        free(blk[k]);
        blk[k] = NULL;
    }
    void *big = malloc(4u << 20);
    check(big != NULL, "malloc(4 MiB) after freeing everything", "NULL", "a block");
    if (big)
        memset(big, 0xa5, 4u << 20);
    free(big);
    void *huge = malloc(64u << 20);
    check(huge == NULL && errno == ENOMEM, "malloc(64 MiB) beyond the heap", "not NULL/ENOMEM",
          "NULL/ENOMEM");
    char *s = strdup("duplicated");
    check_str("strdup", s ? s : "(null)", "duplicated");
    free(s);
    printf("libctest: malloc/realloc/free of %d blocks, then 4 MiB: ok\n", MALLOC_N);
}

static void test_math(void)
{
    volatile double two = 2.0, half_pi = M_PI / 2;
    double r = sqrt(two), s = sin(half_pi), p = pow(two, 10.0);
    check(fabs(r - 1.41421356237) < 1e-9, "sqrt(2)", "wrong", "1.41421356");
    check(fabs(s - 1.0) < 1e-12, "sin(pi/2)", "wrong", "1");
    check(p == 1024.0, "pow(2, 10)", "wrong", "1024");
    printf("libctest: libm sqrt(2)=%.6f sin(pi/2)=%.3f pow(2,10)=%.0f\n", r, s, p);
}

static jmp_buf libc_jmp;
static void jump_back(int v)
{
    longjmp(libc_jmp, v);
}

static void test_setjmp(void)
{
    volatile int passes = 0;
    int v = setjmp(libc_jmp);
    passes++;
    if (v == 0)
        jump_back(42);
    check_long("longjmp value", v, 42);
    check_long("setjmp returns twice", passes, 2);
}

static int libc_constructor_ran;
__attribute__((constructor)) static void libc_constructor(void)
{
    libc_constructor_ran = 1;
}

static void test_startup(void)
{
    check(libc_constructor_ran, "constructor before main", "not run", "run");
}

static void test_enosys(void)
{
    errno = 0;
    int ret = link("/a", "/b");
    check(ret == -1 && errno == ENOSYS, "link() with no links", "not -1/ENOSYS", "-1/ENOSYS");
    errno = 0;
    ret = link("/again", "/b");             /* no second "not implemented" line */
    check(ret == -1 && errno == ENOSYS, "link() again", "not -1/ENOSYS", "-1/ENOSYS");
    FILE *f = fopen("/no-such-file", "r");  /* the in-memory file system answers */
    check(f == NULL && errno == ENOENT, "fopen() of a missing file", "not NULL/ENOENT",
          "NULL/ENOENT");
}

static void libc_atexit(void)
{
    printf("libctest: atexit handler ran\n");
}

static const struct {
    void (*fn)(void);
    const char *name;
} libc_tests[] = {
    { test_startup, "startup" },
    { test_printf, "printf" },
    { test_snprintf, "snprintf" },
    { test_strtol, "strtol" },
    { test_qsort, "qsort" },
    { test_malloc, "malloc" },
    { test_math, "math" },
    { test_setjmp, "setjmp" },
    { test_enosys, "enosys" },
};

int main(int argc, char *argv[])
{
    atexit(libc_atexit);
    for (size_t i = 0; i < sizeof libc_tests / sizeof libc_tests[0]; i++) {
        int before = libc_failures;
        libc_tests[i].fn();
        if (libc_failures != before)
            printf("libctest: test %s failed\n", libc_tests[i].name);
    }
    if (libc_failures) {
        printf("libctest: %d of %d checks failed\n", libc_failures, libc_checks);
        return 1;
    }
    printf("libctest: all %d checks passed\n", libc_checks);
    return 0;
}
