/** \file tsc.h \brief The time-stamp counter, for timeouts and measurements
 *  (its rate is in the dispatcher page: libos_tsc_hz()). */
#ifndef LIBOS_TSC_H
#define LIBOS_TSC_H
#include <stdint.h>
static inline uint64_t rdtsc_now(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}
#endif
