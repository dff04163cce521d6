/*
 * sys/features.h: newlib's, plus the POSIX options this OS provides
 * (newlib only announces them for the systems it knows, like RTEMS).
 * lib/posix/include comes before newlib's headers (hake/toolchain.mk), so
 * every newlib program sees these: clocks and nanosleep (lib/newlib/time.c),
 * threads with timeouts, reader-writer locks and the UNIX 98 mutex types
 * (lib/posix).
 */
#ifndef POSIX_SYS_FEATURES_H
#define POSIX_SYS_FEATURES_H
#include_next <sys/features.h>

#define _POSIX_TIMERS                   1
#define _POSIX_MONOTONIC_CLOCK          200112L
#define _POSIX_CLOCK_SELECTION          200112L
#define _POSIX_CPUTIME                  1
#define _POSIX_THREAD_CPUTIME           1
#define _POSIX_THREADS                  1
#define _POSIX_TIMEOUTS                 1
#define _POSIX_READER_WRITER_LOCKS      200112L
#define _POSIX_THREAD_SAFE_FUNCTIONS    1
#define _UNIX98_THREAD_MUTEX_ATTRIBUTES 1
#endif
