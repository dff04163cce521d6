/**
 * \file stats.h
 * \brief Order statistics of measured samples (cycles), for the in-guest
 * benchmarks: sort in place, then read the median and percentiles.
 */
#ifndef LIBOS_STATS_H
#define LIBOS_STATS_H
#include <stddef.h>
#include <stdint.h>

/** Sort ascending in place (heapsort: no recursion, no extra memory). */
void stats_sort(uint64_t *a, size_t n);
/** The p-th percentile (0..100) of sorted samples. */
uint64_t stats_percentile(const uint64_t *sorted, size_t n, unsigned p);
#endif
