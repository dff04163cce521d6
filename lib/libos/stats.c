/*
 * stats.c: sorting and percentiles for benchmark samples. Heapsort keeps
 * the stack flat and needs no allocator (the benchmarks run before newlib).
 */
#include <libos/stats.h>

static void sift_down(uint64_t *a, size_t i, size_t n)
{
    for (size_t c; (c = 2 * i + 1) < n; i = c) {
        if (c + 1 < n && a[c + 1] > a[c])
            c++;
        if (a[i] >= a[c])
            return;
        uint64_t t = a[i];
        a[i] = a[c];
        a[c] = t;
    }
}

void stats_sort(uint64_t *a, size_t n)
{
    for (size_t k = n / 2; k-- > 0;)
        sift_down(a, k, n);
    for (size_t end = n; end-- > 1;) {
        uint64_t t = a[0];
        a[0] = a[end];
        a[end] = t;
        sift_down(a, 0, end);
    }
}

uint64_t stats_percentile(const uint64_t *sorted, size_t n, unsigned p)
{
    if (n == 0)
        return 0;
    size_t i = (size_t)((uint64_t)n * (p > 100 ? 100 : p) / 100);
    return sorted[i < n ? i : n - 1];
}
