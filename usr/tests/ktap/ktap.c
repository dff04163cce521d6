/*
 * ktap.c: the KTAP runner of the in-guest test suites (ktap.h).
 */
#include "ktap.h"
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static int failed_checks;

bool ktap_check(bool ok, const char *fmt, ...)
{
    if (ok)
        return true;
    __atomic_add_fetch(&failed_checks, 1, __ATOMIC_RELAXED);
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    printf("# FAIL %s\n", line);
    return false;
}

long long ktap_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int ktap_run(const char *suite, const struct ktap_test *tests, int n)
{
    printf("KTAP version 1\n1..%d\n", n);
    long long t0 = ktap_now_ns();
    int passed = 0;
    for (int i = 0; i < n; i++) {
        int before = __atomic_load_n(&failed_checks, __ATOMIC_RELAXED);
        long long t = ktap_now_ns();
        tests[i].fn();
        bool ok = __atomic_load_n(&failed_checks, __ATOMIC_RELAXED) == before;
        passed += ok;
        printf("# %s: %lld ms\n", tests[i].name, (ktap_now_ns() - t) / 1000000);
        printf("%sok %d %s\n", ok ? "" : "not ", i + 1, tests[i].name);
    }
    printf("# %s: %d of %d tests passed in %lld ms\n", suite, passed, n,
           (ktap_now_ns() - t0) / 1000000);
    return passed == n ? 0 : 1;
}
