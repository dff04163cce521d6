/**
 * \file blk.h
 * \brief The asynchronous block interface the storage libraries are written
 *        against.
 *
 * lib/tenacious (the persistent log) and the VSA file system of lib/posix
 * see storage only through a struct blk_dev. On this OS a VSIC (the storage
 * side of lib/arrakis: request and response rings in the application's
 * memory, served by usr/vsicd) provides one over the application's VSA; the
 * host unit tests provide one over a file, with crashes injected (writes
 * since the last completed flush lost or torn).
 *
 * Rules every provider keeps and every user may rely on:
 * - Blocks are numbered from 0 to blocks-1 of this device (a VSA's virtual
 *   blocks, never the disk's); block_size is 512 or 4096.
 * - read/write/flush only queue a request and return at once: ERR_OK, or an
 *   error if the request could not be queued (bounds, queue full, a buffer
 *   not from buf_alloc); the request then never completes. A queued request
 *   completes exactly once, by a call of done(cookie, status) made from
 *   poll() or wait() on the caller's own thread, never from another thread.
 * - Buffers passed to read and write come from buf_alloc (memory the
 *   device may DMA to: registered for the VSIC) and must not be touched
 *   until the request completes.
 * - A write's completion means the device has the data; it is durable only
 *   once a flush queued after that completion has itself completed (the
 *   device may have a volatile write cache). Writes in flight at the same
 *   time may reach the medium in any order and a crash may tear a write
 *   along block boundaries (never inside a 512-byte sector).
 * - write_fua, where a provider has it (NULL otherwise), is a write whose
 *   completion means its own blocks are durable (NVMe's Force Unit
 *   Access). It makes no other write durable: data written before it and
 *   not yet flushed still needs a flush, and only a user that has none
 *   outstanding may treat a write_fua as write + flush.
 */
#ifndef ARRAKIS_BLK_H
#define ARRAKIS_BLK_H
#include <stddef.h>
#include <stdint.h>
#include <kpi/errors.h>

struct blk_dev;

/** Called once per completed request, from poll() or wait(). */
typedef void (*blk_done_fn)(void *cookie, errval_t status);

struct blk_ops {
    errval_t (*read)(struct blk_dev *dev, uint64_t block, uint32_t count,
                     void *buf, blk_done_fn done, void *cookie);
    errval_t (*write)(struct blk_dev *dev, uint64_t block, uint32_t count,
                      const void *buf, blk_done_fn done, void *cookie);
    errval_t (*flush)(struct blk_dev *dev, blk_done_fn done, void *cookie);
    /** Optional (NULL: none): a write durable at its completion (above). */
    errval_t (*write_fua)(struct blk_dev *dev, uint64_t block, uint32_t count,
                          const void *buf, blk_done_fn done, void *cookie);
    /** Run the completions that have arrived; never blocks. */
    errval_t (*poll)(struct blk_dev *dev);
    /** Sleep until a completion may have arrived or the monotonic clock
     *  passes deadline_ns (0: no deadline), then poll. */
    errval_t (*wait)(struct blk_dev *dev, uint64_t deadline_ns);
    /** Memory the device may DMA to and from, zeroed; NULL when none left. */
    void *(*buf_alloc)(struct blk_dev *dev, size_t bytes);
    void (*buf_free)(struct blk_dev *dev, void *buf);
};

struct blk_dev {
    const struct blk_ops *ops;
    uint32_t block_size;       /* bytes: 512 or 4096 */
    uint64_t blocks;           /* the device's size in blocks */
    uint32_t max_io_blocks;    /* the most blocks one read or write may move */
    uint32_t queue_depth;      /* requests that may be in flight at once */
};
#endif
