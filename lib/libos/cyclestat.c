/*
 * cyclestat.c: the stages and counts of a server's durable cycles, and a
 * table of them every n cycles (libos/cyclestat.h says what each is).
 *
 * Which stamp a cycle keeps: the first event wait; of the waits, the last
 * to return before the cycle's first command; the last command; the
 * first log write; the last VSIC request posted and the last response
 * seen (with vsicd's two stamps of it); fsync's first call. A cycle
 * without a command (an fsync of the server's own, a timer's) is dropped
 * and the next begins at its end; a cycle whose stamps are out of stage
 * order is counted and left out.
 *
 * Like reqstage.c, at most CYCLESTAT_TABLES tables, then off: the console
 * is a UART that stalls its writer when nobody reads it.
 */
#include <libos/cyclestat.h>
#include <libos/debug.h>
#include <libos/libos.h>
#include <libos/stagetab.h>
#include <libos/stats.h>
#include <fmt.h>

volatile unsigned cyclestat_every;

static const char *const names[CYC_STAGES] = {
    [CYC_START] = "previous fsync returned",
    [CYC_POLL] = "event wait entered",
    [CYC_POLLED] = "event wait returned",
    [CYC_CMD] = "last command done",
    [CYC_WRITE] = "log write issued",
    [CYC_VSIC_POST] = "VSIC request posted",
    [CYC_VSIC_TAKEN] = "vsicd took it",
    [CYC_NVME_DONE] = "NVMe completion (vsicd)",
    [CYC_VSIC_SEEN] = "client saw response",
    [CYC_END] = "fsync returned",
};

static const char *const count_names[CYC_COUNTS] = {
    [CYCN_CMDS] = "commands",
    [CYCN_POLLS] = "event waits returned",
    [CYCN_READY] = "ready descriptors",
    [CYCN_WRITES] = "file writes",
    [CYCN_VSIC_REQS] = "VSIC requests",
    [CYCN_VSIC_SLEEPS] = "VSIC waits asleep",
    [CYCN_RX_FRAMES] = "frames received",
    [CYCN_TX_FRAMES] = "frames sent",
};

static uint64_t rec[CYC_STAGES + 1];    /* the open cycle (+ CYC_FSYNC); 0: not stamped */
static uint64_t last_polled;            /* the last event wait's return */
static unsigned cnt[CYC_COUNTS];        /* the open cycle's counts (atomic) */
/* Stage samples (CYC_STAGES: the total, CYC_STAGES + 1: fsync's call to
 * its return), count samples, one per kept cycle. */
static uint64_t samples[CYC_STAGES + 2][CYCLESTAT_MAX];
static unsigned nsamples[CYC_STAGES + 2];
static uint64_t csamples[CYC_COUNTS][CYCLESTAT_MAX];
static unsigned kept, dropped, out_of_order, tables;

void cyclestat_enable(unsigned n)
{
    cyclestat_every = 0;
    for (int s = 0; s < CYC_STAGES + 2; s++)
        nsamples[s] = 0;
    for (int s = 0; s <= CYC_STAGES; s++)
        rec[s] = 0;
    for (int c = 0; c < CYC_COUNTS; c++)
        cnt[c] = 0;
    last_polled = 0;
    kept = dropped = out_of_order = tables = 0;
    cyclestat_every = n > CYCLESTAT_MAX ? CYCLESTAT_MAX : n;
}

void cyclestat_add(enum cyc_count c, unsigned n)
{
    if ((unsigned)c < CYC_COUNTS)
        __atomic_add_fetch(&cnt[c], n, __ATOMIC_RELAXED);
}

static void print_table(void)
{
    uint64_t hz = libos_tsc_hz();
    tables++;
    debug_printf("cyclestat: table %u: %u cycles in stage order (%u without a command, %u out "
                 "of order), TSC %lu MHz\n", tables, kept, dropped, out_of_order, hz / 1000000);
    debug_printf("cyclestat:   %-28s %6s %10s %10s %10s\n", "stage (from the previous)", "n",
                 "median us", "p99 us", "mean us");
    uint64_t mean_sum = 0;
    for (int s = 0; s < CYC_STAGES + 2; s++) {
        unsigned n = nsamples[s];
        const char *name = s == CYC_STAGES ? "total (fsync to fsync)"
                         : s == CYC_STAGES + 1 ? "(fsync call to return)" : names[s];
        if (s == CYC_START) {
            debug_printf("cyclestat:   %-28s %6u %10s %10s %10s\n", name, kept, "start", "", "");
            continue;
        }
        uint64_t sum = stagetab_row("cyclestat", name, samples[s], n, hz);
        if (s < CYC_STAGES)
            mean_sum += sum;
    }
    char sum[24];
    stagetab_us(sum, sizeof sum, kept ? mean_sum / kept : 0, hz);
    debug_printf("cyclestat:   %-28s %6s %10s %10s %10s\n", "stages summed (per cycle)", "", "",
                 "", sum);
    debug_printf("cyclestat:   %-28s %10s %10s %10s %10s\n", "per cycle", "median", "mean",
                 "max", "total");
    for (int c = 0; c < CYC_COUNTS && kept; c++) {
        uint64_t total = 0;
        for (unsigned i = 0; i < kept; i++)
            total += csamples[c][i];
        stats_sort(csamples[c], kept);
        uint64_t mean100 = total * 100 / kept;
        char mean[24];
        fmt_snprintf(mean, sizeof mean, "%lu.%02lu", mean100 / 100, mean100 % 100);
        debug_printf("cyclestat:   %-28s %10lu %10s %10lu %10lu\n", count_names[c],
                     stats_percentile(csamples[c], kept, 50), mean, csamples[c][kept - 1], total);
    }
    for (int s = 0; s < CYC_STAGES + 2; s++)
        nsamples[s] = 0;
    kept = dropped = out_of_order = 0;
    if (tables >= CYCLESTAT_TABLES) {
        cyclestat_every = 0;
        debug_printf("cyclestat: %u tables printed: stamps off\n", tables);
    }
}

/* fsync returned at `tsc`: keep the cycle if it had a command and its
 * stamps are in order; the next one starts here. */
static void close_cycle(uint64_t tsc)
{
    unsigned c[CYC_COUNTS];
    for (int i = 0; i < CYC_COUNTS; i++)
        c[i] = __atomic_exchange_n(&cnt[i], 0, __ATOMIC_RELAXED);
    rec[CYC_END] = tsc;
    if (rec[CYC_START] && rec[CYC_CMD]) {
        int ok = 1;
        for (int s = CYC_START + 1, p = CYC_START; s < CYC_STAGES; s++) {
            if (!rec[s])
                continue;
            ok &= rec[s] >= rec[p];
            p = s;
        }
        if (!ok) {
            out_of_order++;
        } else {
            for (int s = CYC_START + 1, p = CYC_START; s < CYC_STAGES; s++) {
                if (!rec[s])
                    continue;
                samples[s][nsamples[s]++] = rec[s] - rec[p];
                p = s;
            }
            samples[CYC_STAGES][nsamples[CYC_STAGES]++] = tsc - rec[CYC_START];
            if (rec[CYC_FSYNC] && rec[CYC_FSYNC] <= tsc)
                samples[CYC_STAGES + 1][nsamples[CYC_STAGES + 1]++] = tsc - rec[CYC_FSYNC];
            for (int i = 0; i < CYC_COUNTS; i++)
                csamples[i][kept] = c[i];
            kept++;
        }
    } else if (rec[CYC_START]) {
        dropped++;
    }
    for (int s = 0; s <= CYC_STAGES; s++)
        rec[s] = 0;
    rec[CYC_START] = tsc;
    if (kept >= cyclestat_every)
        print_table();
}

void cyclestat_at(enum cyc_stage s, uint64_t tsc)
{
    if (!cyclestat_every || (unsigned)s > CYC_STAGES)
        return;
    switch ((int)s) {
    case CYC_START:                     /* opened by CYC_END */
        return;
    case CYC_POLL:
        if (!rec[CYC_POLL] && !rec[CYC_CMD])
            rec[CYC_POLL] = tsc;
        return;
    case CYC_POLLED:
        last_polled = tsc;
        return;
    case CYC_CMD:
        if (!rec[CYC_CMD])
            rec[CYC_POLLED] = last_polled;
        rec[CYC_CMD] = tsc;
        return;
    case CYC_WRITE:
    case CYC_FSYNC:
        if (rec[CYC_CMD] && !rec[s])
            rec[s] = tsc;
        return;
    case CYC_VSIC_POST:
    case CYC_VSIC_TAKEN:
    case CYC_NVME_DONE:
    case CYC_VSIC_SEEN:
        if (rec[CYC_WRITE])
            rec[s] = tsc;
        return;
    case CYC_END:
        close_cycle(tsc);
        return;
    }
}
