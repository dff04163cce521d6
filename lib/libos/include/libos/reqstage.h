/**
 * \file reqstage.h
 * \brief Where one request's time goes, stage by stage, across the
 * libraries a server links (lib/libos/reqstage.c): the pktstat idea of the
 * Arrakis paper, for a request that may also go to storage.
 *
 * Each layer stamps the TSC when a request passes its boundary; the stamps
 * of one request make a record, closed when its reply leaves. After every
 * `n` records whose stamps are in stage order, one table goes to the
 * console (at most REQSTAGE_TABLES of them): per stage, how many records
 * had it and the median, p99 and mean
 * of the time from the previous stage the record had. The sum of the
 * stages' means is the mean of the totals (both over the same records), a
 * check a test can make without asserting any time.
 *
 * One record is open at a time: stamps are meaningful when requests come
 * one after another (one client, no pipelining). With many clients the
 * stamps of several requests land in one record; the table then measures
 * nothing, but the server serves as before (no lock, no allocation, and a
 * bounded number of prints).
 *
 * Which stamp a record keeps when a stage happens more than once (a
 * request in two frames, an fsync of a write and a flush): the last frame
 * before lwIP delivered data; the first of lwIP delivered, read, command
 * done, AOF write and VSIC request; the first request's "taken" and the
 * last response's "done" and "seen". Storage stages count only after the
 * command (AOF after command done, the VSIC's after the AOF write): the
 * file system's own I/O is not a request's. A stamp of a stage earlier than one
 * the record already has is ignored, except a new frame after a record
 * went stale (a request that never got its reply: 1 s).
 */
#ifndef LIBOS_REQSTAGE_H
#define LIBOS_REQSTAGE_H
#include <stdint.h>
#include <libos/tsc.h>

enum req_stage {
    REQ_RX,             /* frame with TCP payload noticed by the VF driver (lib/lwip netif_vnic) */
    REQ_LWIP,           /* lwIP processed it: data in the socket (netif_vnic, after input) */
    REQ_READ,           /* the application's read() returned it (lib/posix socket.c) */
    REQ_CMD,            /* the application's command done (Redis: end of call()) */
    REQ_AOF,            /* a file write issued (lib/vsafs vsafs_vfs.c) */
    REQ_VSIC_POST,      /* a VSIC request posted to the ring (lib/arrakis vsic.c) */
    REQ_VSIC_TAKEN,     /* vsicd took it off the ring (its TSC, in the response) */
    REQ_NVME_DONE,      /* vsicd saw the NVMe completion (its TSC, in the response) */
    REQ_VSIC_SEEN,      /* the client saw the response (after its doorbell, or polling) */
    REQ_TX,             /* a frame with TCP payload handed to the VF (netif_vnic): closes */
    REQ_STAGES
};

/** Records per table; 0: stamping is off (the default). */
extern volatile unsigned reqstage_every;

/** Stamp every request from now on, a table every `n` in-order records
 *  (at most REQSTAGE_MAX; 0 turns it off), REQSTAGE_TABLES tables, then
 *  stamping stops (reqstage.c says why). */
void reqstage_enable(unsigned n);
#define REQSTAGE_MAX 512u
#define REQSTAGE_TABLES 4u

/** Stage `s` of the open record happened at `tsc` (see the rules above). */
void reqstage_at(enum req_stage s, uint64_t tsc);

static inline void reqstage_stamp(enum req_stage s)
{
    if (reqstage_every)
        reqstage_at(s, rdtsc_now());
}

/** Whether a frame (Ethernet, IPv4, TCP) carries TCP payload: the frames
 *  REQ_RX and REQ_TX stamp (not pure ACKs, ARP, SYNs). */
int reqstage_tcp_payload(const uint8_t *frame, unsigned len);
#endif
