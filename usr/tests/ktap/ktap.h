/**
 * \file ktap.h
 * \brief The KTAP runner the in-guest test suites share (usr/tests/ktap).
 *
 * ktap_run() prints "KTAP version 1", "1..N", then for each test its
 * "# name: T ms" and "ok I name" (or "not ok I name" after "# FAIL" lines
 * from ktap_check), then "# SUITE: P of N tests passed in T ms". The
 * system tests read exactly this.
 */
#ifndef KTAP_H
#define KTAP_H
#include <stdbool.h>

struct ktap_test {
    const char *name;
    void (*fn)(void);
};

/** Records one fact of the running test; a false one prints a "# FAIL"
 *  diagnostic and fails the test. Safe from several threads. */
bool ktap_check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** CLOCK_MONOTONIC in nanoseconds. */
long long ktap_now_ns(void);
/** Runs the n tests in order; 0 if all passed, else 1 (the exit status). */
int ktap_run(const char *suite, const struct ktap_test *tests, int n);
#endif
