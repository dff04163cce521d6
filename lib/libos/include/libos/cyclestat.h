/**
 * \file cyclestat.h
 * \brief Where a group commit's time goes: the stages of one durable
 * cycle of a server that answers many clients at once (lib/libos/cyclestat.c).
 *
 * libos/reqstage.h follows one request at a time (one client). With many
 * clients a server like Redis with `appendfsync always` works in cycles:
 * its event loop waits for requests, runs every command that arrived,
 * writes their log records in one write, makes them durable with one
 * fsync, then sends every reply. A cycle runs from one fsync's return to
 * the next; each layer stamps the TSC when the cycle passes its boundary,
 * and counts what the cycle held (commands, frames, waits). After every
 * `n` cycles one table goes to the console (at most CYCLESTAT_TABLES):
 * per stage the median, p99 and mean time from the previous stage; per
 * count its median, mean and maximum. The stages' means add up to the
 * total's, as reqstage's do.
 *
 * Stamps come from the thread that runs the event loop (epoll_wait, the
 * command, the file system, the VSIC), counts from any thread (the
 * receive thread counts frames): counts are atomic, stamps plain stores.
 */
#ifndef LIBOS_CYCLESTAT_H
#define LIBOS_CYCLESTAT_H
#include <stdint.h>
#include <libos/tsc.h>

enum cyc_stage {
    CYC_START,          /* the previous cycle's fsync returned */
    CYC_POLL,           /* the first event wait of the cycle (replies sent) */
    CYC_POLLED,         /* the wait that gave the cycle's first command returned */
    CYC_CMD,            /* the cycle's last command done */
    CYC_WRITE,          /* the first log write issued (lib/vsafs) */
    CYC_VSIC_POST,      /* the last VSIC request posted before the fsync returned */
    CYC_VSIC_TAKEN,     /* vsicd took the last one (its TSC) */
    CYC_NVME_DONE,      /* vsicd saw its NVMe completion (its TSC) */
    CYC_VSIC_SEEN,      /* the client saw its response */
    CYC_END,            /* fsync returned: closes the cycle, opens the next */
    CYC_STAGES,
    CYC_FSYNC = CYC_STAGES  /* fsync called: not a stage (the log write may be on its
                             * way before it: lib/tenacious sends a batch at once),
                             * its time to the return is a row of its own */
};

enum cyc_count {
    CYCN_CMDS,          /* commands done */
    CYCN_POLLS,         /* event waits returned */
    CYCN_READY,         /* ready descriptors they reported */
    CYCN_WRITES,        /* file writes */
    CYCN_VSIC_REQS,     /* VSIC requests posted */
    CYCN_VSIC_SLEEPS,   /* waits for the VSIC that slept on the doorbell */
    CYCN_RX_FRAMES,     /* frames the receive thread took */
    CYCN_TX_FRAMES,     /* frames handed to the VF */
    CYC_COUNTS
};

/** Cycles per table; 0: off (the default). */
extern volatile unsigned cyclestat_every;

/** Stamp every cycle from now on, a table every `n` cycles (at most
 *  CYCLESTAT_MAX), CYCLESTAT_TABLES tables, then off. */
void cyclestat_enable(unsigned n);
#define CYCLESTAT_MAX 256u
#define CYCLESTAT_TABLES 4u

/** Stage `s` of the open cycle happened at `tsc`. */
void cyclestat_at(enum cyc_stage s, uint64_t tsc);
/** Count `n` of `c` in the open cycle. */
void cyclestat_add(enum cyc_count c, unsigned n);

static inline void cyclestat_stamp(enum cyc_stage s)
{
    if (cyclestat_every)
        cyclestat_at(s, rdtsc_now());
}

static inline void cyclestat_count(enum cyc_count c, unsigned n)
{
    if (cyclestat_every)
        cyclestat_add(c, n);
}
#endif
