/**
 * \file crashdev.h
 * \brief A struct blk_dev in host memory for the storage unit tests, with
 *        crashes injected (tests/unit/tenacious, tests/unit/vsafs).
 *
 * It keeps the rules of arrakis/blk.h and no more: requests complete in a
 * random order from poll/wait; a write's completion puts its data in a
 * volatile cache (reads see it); a flush makes durable the writes that
 * completed before it was queued. A crash, at the crash_at-th event
 * (request queued or completed), keeps the durable image plus a random
 * subset of the cached and in-flight writes, applied in a random order,
 * some torn at random 512-byte sectors; after it every request fails.
 * crashdev_reboot then starts from that image, as a power cycle would.
 * With crashdev_set_fua it also has write_fua: a write whose completion
 * puts its own blocks (and only them) on the durable image.
 */
#ifndef CRASHDEV_H
#define CRASHDEV_H
#include <stdbool.h>
#include <stdint.h>
#include <arrakis/blk.h>

struct cd_req;
struct cd_write;

struct crashdev {
    struct blk_dev dev;                 /* first: a struct blk_dev * is a crashdev * */
    uint8_t *durable, *cache;           /* blocks * block_size each */
    struct cd_req *q;                   /* queued, not yet completed */
    unsigned nq;
    struct cd_write *dirty;             /* completed, not yet flushed */
    unsigned ndirty, dirty_cap;
    uint64_t cseq;                      /* completions of writes so far */
    uint64_t events;                    /* requests queued + completed */
    uint64_t crash_at;                  /* crash at this event (0: never) */
    bool crashed;
    uint64_t rng;
    /* Counters for tests. */
    uint64_t writes, flushes, reads;     /* writes counts FUA writes too */
    uint64_t fua_writes;
    uint64_t bad_bufs;                  /* requests with a buffer not from buf_alloc */
    uint64_t fail_write_at;             /* the n-th write from now completes with an error */
    bool slow;                          /* poll completes nothing, wait one request: a slow device */
    void **bufs;                        /* buf_alloc's live buffers */
    size_t *buf_sizes;
    unsigned nbufs, bufs_cap;
};

void crashdev_init(struct crashdev *cd, uint32_t block_size, uint64_t blocks,
                   uint32_t max_io_blocks, uint64_t seed);
void crashdev_fini(struct crashdev *cd);
/** Offer write_fua (blk.h) or not (the default: none). */
void crashdev_set_fua(struct crashdev *cd, bool fua);
/** Power cycle: the durable image stays, everything else goes. */
void crashdev_reboot(struct crashdev *cd);
/** Crashes now (as if crash_at were this event). */
void crashdev_crash(struct crashdev *cd);
uint64_t crashdev_rand(struct crashdev *cd);
#endif
