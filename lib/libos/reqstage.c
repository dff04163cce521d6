/*
 * reqstage.c: stage stamps of one request at a time, and a table of them
 * every n records (libos/reqstage.h says what each stage is and which
 * stamp a record keeps).
 *
 * Stamps come from several threads of one domain (lwIP's receive thread,
 * the application's, whoever sends): they are plain stores into the open
 * record, no lock, so a record is only as coherent as the traffic is
 * sequential; a record whose stamps are out of stage order is counted and
 * left out of the table. Closing a record and printing happen in the
 * thread that sends the reply (under lwIP's core lock).
 *
 * At most REQSTAGE_TABLES tables, then stamping stops: the console is a
 * UART, and when nobody reads it (a test's pty while a benchmark runs)
 * QEMU holds the transmitter busy and every print waits; a table every n
 * requests without end under 50 clients stalled the server that way.
 */
#include <libos/debug.h>
#include <libos/libos.h>
#include <libos/reqstage.h>
#include <libos/stagetab.h>
#include <libos/stats.h>
#include <fmt.h>

#define STALE_S 1                       /* a record older than this is dropped by a new frame */

volatile unsigned reqstage_every;

static const char *const names[REQ_STAGES] = {
    [REQ_RX] = "frame received (VF driver)",
    [REQ_LWIP] = "lwIP delivered",
    [REQ_READ] = "application read",
    [REQ_CMD] = "command done",
    [REQ_AOF] = "AOF write issued",
    [REQ_VSIC_POST] = "VSIC request posted",
    [REQ_VSIC_TAKEN] = "vsicd took it",
    [REQ_NVME_DONE] = "NVMe completion (vsicd)",
    [REQ_VSIC_SEEN] = "client saw response",
    [REQ_TX] = "reply transmitted",
};

static uint64_t rec[REQ_STAGES];        /* the open record: 0 = not stamped */
/* Per stage (REQ_STAGES: the total, RX to TX): cycles from the record's
 * previous stamp, one sample per in-order record that had the stage. */
static uint64_t samples[REQ_STAGES + 1][REQSTAGE_MAX];
static unsigned nsamples[REQ_STAGES + 1];
static unsigned records, closed, out_of_order, no_frame, merged, tables;

void reqstage_enable(unsigned n)
{
    reqstage_every = 0;
    for (int s = 0; s <= REQ_STAGES; s++)
        nsamples[s] = 0;
    for (int s = 0; s < REQ_STAGES; s++)
        rec[s] = 0;
    records = closed = out_of_order = no_frame = merged = tables = 0;
    reqstage_every = n > REQSTAGE_MAX ? REQSTAGE_MAX : n;
}

/* Whether the record has a stamp of a stage after `s`. */
static int later(enum req_stage s)
{
    for (int i = s + 1; i < REQ_STAGES; i++)
        if (rec[i])
            return 1;
    return 0;
}

static void print_table(void)
{
    uint64_t hz = libos_tsc_hz();
    tables++;
    debug_printf("reqstage: table %u: %u requests in stage order (%u closed, %u out of order, "
                 "%u without a received frame, %u reads into an open record), TSC %lu MHz\n",
                 tables, records, closed, out_of_order, no_frame, merged, hz / 1000000);
    debug_printf("reqstage:   %-28s %6s %10s %10s %10s\n", "stage (from the previous)", "n",
                 "median us", "p99 us", "mean us");
    uint64_t mean_sum = 0;
    for (int s = 0; s <= REQ_STAGES; s++) {
        unsigned n = nsamples[s];
        const char *name = s == REQ_STAGES ? "total (frame to reply)" : names[s];
        if (s == REQ_RX) {              /* where every kept record starts */
            debug_printf("reqstage:   %-28s %6u %10s %10s %10s\n", name, records, "start", "", "");
            continue;
        }
        /* Each stage's mean is over the records that had it; the total's
         * over all: weighted by n, the stages' means add up to the total's. */
        uint64_t sum = stagetab_row("reqstage", name, samples[s], n, hz);
        if (s < REQ_STAGES)
            mean_sum += sum;
    }
    char sum[24];
    stagetab_us(sum, sizeof sum, records ? mean_sum / records : 0, hz);
    debug_printf("reqstage:   %-28s %6s %10s %10s %10s\n", "stages summed (per request)", "", "",
                 "", sum);
    for (int s = 0; s <= REQ_STAGES; s++)
        nsamples[s] = 0;
    records = closed = out_of_order = no_frame = merged = 0;
    if (tables >= REQSTAGE_TABLES) {
        reqstage_every = 0;
        debug_printf("reqstage: %u tables printed: stamps off\n", tables);
    }
}

/* The reply left: the record is one request's; keep it if its stamps are
 * in stage order. */
static void close_record(void)
{
    closed++;
    int first = -1, prev = -1, ok = 1;
    for (int s = 0; s < REQ_STAGES; s++) {
        if (!rec[s])
            continue;
        if (first < 0)
            first = s;
        if (prev >= 0 && rec[s] < rec[prev])
            ok = 0;
        prev = s;
    }
    if (first != REQ_RX)
        no_frame++;
    else if (!ok)
        out_of_order++;
    else {
        for (int s = REQ_RX + 1, p = REQ_RX; s < REQ_STAGES; s++) {
            if (!rec[s])
                continue;
            samples[s][nsamples[s]++] = rec[s] - rec[p];
            p = s;
        }
        samples[REQ_STAGES][nsamples[REQ_STAGES]++] = rec[REQ_TX] - rec[REQ_RX];
        records++;
    }
    for (int s = 0; s < REQ_STAGES; s++)
        rec[s] = 0;
    if (records >= reqstage_every)
        print_table();
}

void reqstage_at(enum req_stage s, uint64_t tsc)
{
    if (!reqstage_every || (unsigned)s >= REQ_STAGES)
        return;
    /* Storage work counts only after the command that caused it: I/O the
     * file system does on its own (a late response, a checkpoint) would
     * otherwise open a record no reply closes. */
    static const signed char needs[REQ_STAGES] = {
        [REQ_RX] = -1, [REQ_LWIP] = -1, [REQ_READ] = -1, [REQ_CMD] = -1, [REQ_TX] = -1,
        [REQ_AOF] = REQ_CMD, [REQ_VSIC_POST] = REQ_AOF, [REQ_VSIC_TAKEN] = REQ_VSIC_POST,
        [REQ_NVME_DONE] = REQ_VSIC_POST, [REQ_VSIC_SEEN] = REQ_VSIC_POST,
    };
    if (needs[s] >= 0 && (!rec[needs[s]] || rec[REQ_TX]))
        return;
    switch (s) {
    case REQ_RX:                        /* the last frame before lwIP delivered */
        if (later(s)) {
            uint64_t oldest = tsc;
            for (int i = 0; i < REQ_STAGES; i++)
                if (rec[i] && rec[i] < oldest)
                    oldest = rec[i];
            if (tsc - oldest < libos_tsc_hz() * STALE_S)
                return;
            for (int i = 0; i < REQ_STAGES; i++)
                rec[i] = 0;
        }
        rec[s] = tsc;
        return;
    case REQ_NVME_DONE:                 /* the last I/O's */
    case REQ_VSIC_SEEN:
        rec[s] = tsc;
        return;
    case REQ_TX:
        if (!rec[REQ_CMD])              /* not a reply (an echo of data, a retransmission) */
            return;
        rec[s] = tsc;
        close_record();
        return;
    default:                            /* the first */
        if (rec[s] || later(s)) {
            merged += s == REQ_READ;    /* another request's, or more of this one's */
            return;
        }
        rec[s] = tsc;
        return;
    }
}

int reqstage_tcp_payload(const uint8_t *f, unsigned len)
{
    if (len < 14 + 20 + 20 || f[12] != 0x08 || f[13] != 0x00)
        return 0;
    const uint8_t *ip = f + 14;
    unsigned ihl = (ip[0] & 0xfu) * 4u, total = (unsigned)ip[2] << 8 | ip[3];
    if ((ip[0] >> 4) != 4 || ip[9] != 6 || ihl < 20 || len < 14 + ihl + 20)
        return 0;
    unsigned thl = (ip[ihl + 12] >> 4) * 4u;
    return total > ihl + thl;
}
