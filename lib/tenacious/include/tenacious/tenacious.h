/**
 * \file tenacious.h
 * \brief A crash-safe persistent log on a struct blk_dev (arrakis/blk.h),
 *        in the spirit of TenaciousD (Arrakis, OSDI'14 §4.4).
 *
 * An append is durable when its completion fires: the record was written
 * and a flush queued after that write completed has completed. Records are
 * numbered (seq, from 1, never reused, even across reset) and checksummed
 * (CRC32C). Appends made while one batch is on its way to the device are
 * gathered into the next batch: one write and one flush cover them all
 * (group commit). Opening a log scans it and hands every record that
 * survived, in order, to a replay function: a crash at any moment loses no
 * acknowledged record and never yields a torn or reordered one. The log
 * is a ring in blocks [first, first + nblocks) of the device; trim drops
 * the oldest records, reset every record (the caller has stored what it
 * needs elsewhere). The format
 * is described at the top of tenacious.c and in lib/tenacious/README.md.
 *
 * Completions run from tenacious_poll/tenacious_wait (which run the
 * device's poll/wait) on the caller's thread; a completion may append but
 * must not wait. One thread uses a log at a time: the caller locks.
 */
#ifndef TENACIOUS_TENACIOUS_H
#define TENACIOUS_TENACIOUS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <arrakis/blk.h>
#include <kpi/errors.h>

struct tenacious;

/** An append's completion: status ERR_OK means record `seq` is durable. */
typedef void (*tenacious_done_fn)(void *cookie, uint64_t seq, errval_t status);
/** Called by tenacious_open for each record found, in order. A failure
 *  stops the open and is returned from it. */
typedef errval_t (*tenacious_replay_fn)(void *cookie, uint64_t seq, const void *data, size_t len);

/** Writes an empty log over blocks [first, first + nblocks) (one header
 *  block and the ring) and flushes it. TENACIOUS_ERR_DEVICE if the range
 *  is outside the device or too small (under 4 blocks). */
errval_t tenacious_format(struct blk_dev *dev, uint64_t first, uint64_t nblocks);

/** Opens the log in [first, first + nblocks): replays every record (fn may
 *  be NULL) and returns a log ready to append after the last one.
 *  TENACIOUS_ERR_NO_LOG if the header is not a valid log of this range
 *  (never formatted, or corrupt). */
errval_t tenacious_open(struct blk_dev *dev, uint64_t first, uint64_t nblocks,
                        tenacious_replay_fn fn, void *cookie, struct tenacious **out);

/** Waits for every append in flight (their completions run), then frees. */
void tenacious_close(struct tenacious *log);

/**
 * Queues a copy of data[0..len) as the next record; its number goes to
 * *seq (may be NULL). done (may be NULL) runs once from a later poll/wait.
 * Errors (done never runs): TENACIOUS_ERR_ARGS (NULL data with len > 0),
 * TENACIOUS_ERR_TOO_BIG (len > tenacious_max_record), TENACIOUS_ERR_FULL
 * (the ring has no room: reset it), TENACIOUS_ERR_BUSY (the batch being
 * gathered is full: poll and try again), TENACIOUS_ERR_IO (the device
 * failed earlier; the log takes no more appends).
 */
errval_t tenacious_append(struct tenacious *log, const void *data, size_t len,
                          tenacious_done_fn done, void *cookie, uint64_t *seq);
/** tenacious_append, then waits until the record is durable. */
errval_t tenacious_append_sync(struct tenacious *log, const void *data, size_t len, uint64_t *seq);

/** Runs the completions that have arrived; never blocks. */
errval_t tenacious_poll(struct tenacious *log);
/** Waits until every record up to and including `seq` is durable (or the
 *  log failed: TENACIOUS_ERR_IO). */
errval_t tenacious_wait(struct tenacious *log, uint64_t seq);
/** Waits for every append so far, then drops every record: the head moves
 *  to the end (one header write and a flush). Numbers go on from where
 *  they were. */
errval_t tenacious_reset(struct tenacious *log);

/** Waits for every append so far, then drops the records up to and
 *  including `upto` that fill whole batches (a batch that also holds a
 *  later record stays, so a few records <= upto may come back on open):
 *  one read per batch dropped, one header write and a flush.
 *  TENACIOUS_ERR_ARGS if upto is not below tenacious_next_seq. */
errval_t tenacious_trim(struct tenacious *log, uint64_t upto);

/** The largest record an append takes. */
size_t tenacious_max_record(const struct tenacious *log);
/** The number the next append will get. */
uint64_t tenacious_next_seq(const struct tenacious *log);
/** The highest number known durable (0: none yet). */
uint64_t tenacious_durable_seq(const struct tenacious *log);
/** Ring blocks holding records (or reserved by queued ones) and ring size. */
void tenacious_space(const struct tenacious *log, uint64_t *used, uint64_t *total);

/** CRC32C (Castagnoli, reflected, as iSCSI and ext4 use): crc of
 *  data[0..len) continuing from `crc` (0 to start). */
uint32_t tenacious_crc32c(uint32_t crc, const void *data, size_t len);
#endif
