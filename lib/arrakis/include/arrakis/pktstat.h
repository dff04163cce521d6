/**
 * \file pktstat.h
 * \brief Per-packet accounting in the shape of the Arrakis paper's table
 * (lib/arrakis/pktstat.c): where the cycles of one request go.
 *
 * A server stamps the TSC at the stage boundaries of each packet and adds
 * the differences here; `pktstat_print` gives, per stage, the count and
 * the mean and standard deviation in cycles and microseconds. Stages (a
 * stage a path does not have stays empty, and is printed as "-"):
 *   stack in   the receive path below the application: driver + network
 *              stack, from noticing the frame to the data being ready
 *   copy in    copying the payload out of the packet buffer (POSIX recv)
 *   app        the application's own work on the request
 *   copy out   copying the reply into a packet buffer (POSIX send)
 *   stack out  the send path: network stack + driver, to the NIC's tail
 */
#ifndef ARRAKIS_PKTSTAT_H
#define ARRAKIS_PKTSTAT_H
#include <stdint.h>

enum pkt_stage { PKT_STACK_IN, PKT_COPY_IN, PKT_APP, PKT_COPY_OUT, PKT_STACK_OUT, PKT_STAGES };

struct pktstat {
    uint64_t n[PKT_STAGES];
    uint64_t sum[PKT_STAGES];
    double sumsq[PKT_STAGES];       /* cycles^2: overflows uint64 quickly */
    uint64_t requests;
};

void pktstat_reset(struct pktstat *s);
/** Account `cycles` to `stage` of one packet. */
static inline void pktstat_add(struct pktstat *s, enum pkt_stage stage, uint64_t cycles)
{
    s->n[stage]++;
    s->sum[stage] += cycles;
    s->sumsq[stage] += (double)cycles * (double)cycles;
}
/** One table on the console: `title`, then a line per stage and the total
 *  of the means; microseconds from the TSC rate (libos_tsc_hz). */
void pktstat_print(const struct pktstat *s, const char *title);
#endif
