/*
 * stagetab.c: the rows the stage-stamp tables (reqstage.c, cyclestat.c)
 * share; see libos/stagetab.h.
 */
#include <libos/debug.h>
#include <libos/stagetab.h>
#include <libos/stats.h>
#include <fmt.h>

void stagetab_us(char *buf, unsigned n, uint64_t cycles, uint64_t hz)
{
    uint64_t v = hz ? (uint64_t)((double)cycles * 1e8 / (double)hz + 0.5) : 0;
    fmt_snprintf(buf, n, "%lu.%02lu", v / 100, v % 100);
}

uint64_t stagetab_row(const char *who, const char *name, uint64_t *samples, unsigned n,
                      uint64_t hz)
{
    if (!n) {
        debug_printf("%s:   %-28s %6s %10s %10s %10s\n", who, name, "-", "-", "-", "-");
        return 0;
    }
    uint64_t sum = 0;
    for (unsigned i = 0; i < n; i++)
        sum += samples[i];
    stats_sort(samples, n);
    char med[24], p99[24], avg[24];
    stagetab_us(med, sizeof med, stats_percentile(samples, n, 50), hz);
    stagetab_us(p99, sizeof p99, stats_percentile(samples, n, 99), hz);
    stagetab_us(avg, sizeof avg, sum / n, hz);
    debug_printf("%s:   %-28s %6u %10s %10s %10s\n", who, name, n, med, p99, avg);
    return sum;
}
