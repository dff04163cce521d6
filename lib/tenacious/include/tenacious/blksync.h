/**
 * \file blksync.h
 * \brief Waiting forms of a struct blk_dev's read, write and flush, for
 *        the slow paths (recovery, format, checkpoints) of lib/tenacious
 *        and the VSA file system. Each queues one request and runs the
 *        device's wait until it completes; other completions that arrive
 *        meanwhile run too.
 */
#ifndef TENACIOUS_BLKSYNC_H
#define TENACIOUS_BLKSYNC_H
#include <arrakis/blk.h>

/** Reads or writes `count` blocks (at most the device's max_io_blocks) at
 *  `block`; buf is a whole buffer from the device's buf_alloc. */
errval_t blk_read_sync(struct blk_dev *dev, uint64_t block, uint32_t count, void *buf);
errval_t blk_write_sync(struct blk_dev *dev, uint64_t block, uint32_t count, const void *buf);
errval_t blk_flush_sync(struct blk_dev *dev);
#endif
