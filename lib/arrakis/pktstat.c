/*
 * pktstat.c: per-packet accounting tables (arrakis/pktstat.h).
 */
#include <arrakis/pktstat.h>
#include <libos/debug.h>
#include <libos/libos.h>
#include <fmt.h>

static const char *const names[PKT_STAGES] = {
    "network stack in", "copy in", "application", "copy out", "network stack out",
};

void pktstat_reset(struct pktstat *s)
{
    *s = (struct pktstat){ 0 };
}

/* Square root by Newton's method: no libm in every world this links into. */
static double root(double x)
{
    if (x <= 0)
        return 0;
    double r = x > 1 ? x / 2 : 1;
    for (int i = 0; i < 64; i++)
        r = (r + x / r) / 2;
    return r;
}

/* The console has no %f: print x with two decimals. */
static void fixed2(char *buf, unsigned n, double x)
{
    uint64_t v = (uint64_t)(x * 100 + 0.5);
    fmt_snprintf(buf, n, "%lu.%02lu", v / 100, v % 100);
}

void pktstat_print(const struct pktstat *s, const char *title)
{
    double hz = (double)libos_tsc_hz();
    double total = 0;
    debug_printf("pktstat: %s (%lu requests)\n", title, s->requests);
    debug_printf("pktstat:   %-18s %9s %12s %12s %10s %10s\n", "stage", "packets", "mean cyc",
                 "sd cyc", "mean us", "sd us");
    for (int i = 0; i < PKT_STAGES; i++) {
        if (!s->n[i]) {
            debug_printf("pktstat:   %-18s %9s %12s %12s %10s %10s\n", names[i], "-", "-", "-", "-", "-");
            continue;
        }
        double mean = (double)s->sum[i] / (double)s->n[i];
        double var = s->sumsq[i] / (double)s->n[i] - mean * mean;
        double sd = root(var);
        total += mean;
        char mus[24], sdus[24];
        fixed2(mus, sizeof(mus), hz ? mean * 1e6 / hz : 0);
        fixed2(sdus, sizeof(sdus), hz ? sd * 1e6 / hz : 0);
        debug_printf("pktstat:   %-18s %9lu %12lu %12lu %10s %10s\n", names[i], s->n[i],
                     (uint64_t)mean, (uint64_t)sd, mus, sdus);
    }
    char tus[24];
    fixed2(tus, sizeof(tus), hz ? total * 1e6 / hz : 0);
    debug_printf("pktstat:   %-18s %9s %12lu %12s %10s\n", "total (means)", "", (uint64_t)total, "", tus);
}
