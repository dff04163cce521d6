/* Host tests of lib/common/timeconv.c: calendar dates to Unix seconds,
 * checked against the host C library's timegm for many dates. */
#define _DEFAULT_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <time.h>
#include <cmocka.h>
#include <timeconv.h>

/* Is the epoch itself 0, and a known date right? */
static void test_known_dates(void **state)
{
    int64_t t;
    assert_true(civil_to_unix(&(struct civil_time){ 1970, 1, 1, 0, 0, 0 }, &t));
    assert_int_equal(t, 0);
    assert_true(civil_to_unix(&(struct civil_time){ 2000, 3, 1, 0, 0, 0 }, &t));
    assert_int_equal(t, 951868800);
    assert_true(civil_to_unix(&(struct civil_time){ 2026, 11, 22, 3, 45, 10 }, &t));
    assert_int_equal(t, 1795319110);
}

/* Are impossible dates refused (Feb 29 outside leap years, month 13)? */
static void test_invalid_dates(void **state)
{
    int64_t t;
    assert_false(civil_to_unix(&(struct civil_time){ 2023, 2, 29, 0, 0, 0 }, &t));
    assert_true(civil_to_unix(&(struct civil_time){ 2024, 2, 29, 0, 0, 0 }, &t));
    assert_false(civil_to_unix(&(struct civil_time){ 1900, 2, 29, 0, 0, 0 }, &t));
    assert_true(civil_to_unix(&(struct civil_time){ 2000, 2, 29, 0, 0, 0 }, &t));
    assert_false(civil_to_unix(&(struct civil_time){ 2024, 13, 1, 0, 0, 0 }, &t));
    assert_false(civil_to_unix(&(struct civil_time){ 2024, 4, 31, 0, 0, 0 }, &t));
    assert_false(civil_to_unix(&(struct civil_time){ 2024, 4, 1, 24, 0, 0 }, &t));
}

/* Does every day from 1970 to 2200 agree with the host's timegm? */
static void test_agrees_with_timegm(void **state)
{
    for (int y = 1970; y <= 2200; y++)
        for (int m = 1; m <= 12; m++)
            for (int d = 1; d <= 28; d += 9) {
                struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d,
                                 .tm_hour = 13, .tm_min = 7, .tm_sec = 59 };
                int64_t t;
                assert_true(civil_to_unix(&(struct civil_time){ y, m, d, 13, 7, 59 }, &t));
                assert_int_equal(t, (int64_t)timegm(&tm));
            }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_dates),
        cmocka_unit_test(test_invalid_dates),
        cmocka_unit_test(test_agrees_with_timegm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
