/* suite.h: what the test files of libos_suite share (see suite.c). */
#ifndef LIBOS_SUITE_H
#define LIBOS_SUITE_H
#include <stdbool.h>
#include "../ktap/ktap.h"

/* suite_threads.c */
void test_mutex_counter(void);
void test_mutex_kinds(void);
void test_heap_other_cores(void);
void test_condvar(void);
void test_cond_timeout(void);
void test_tls(void);
void test_rwlock_once_keys(void);
void test_waits_park(void);
#endif
