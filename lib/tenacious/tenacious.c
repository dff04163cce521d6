/*
 * tenacious.c: a persistent log on a block device (tenacious/tenacious.h).
 *
 * On-disk format, in blocks [first, first + nblocks) of the device:
 *
 *   first      header: struct tn_header in the block's first 512-byte
 *              sector (a sector is never torn, so rewriting it is
 *              atomic): magic, the range, log_id (a number new at each
 *              format, random where getentropy works), head_seq and head_block (where the oldest record
 *              the log still holds begins), the largest batch, CRC32C.
 *   first+1..  the ring: ring blocks 0 .. nblocks-2. Batches follow each
 *              other from head_block; a batch starts on a block boundary
 *              and is written by one write:
 *
 *     struct tn_batch   magic, crc (CRC32C of the batch's `bytes` bytes
 *                       with crc = 0), log_id, seq of its first record,
 *                       nrec, bytes
 *     nrec x { struct tn_rec (seq, len, CRC32C of the data); data, padded
 *                       with zeros to 8 bytes }
 *     zeros to the end of its last block
 *
 * Placement (tn_place, used by the writer and the scan alike): a batch of
 * k blocks goes at the tail if it fits before the ring's end, else at ring
 * block 0 (the blocks skipped count as used until the head passes them),
 * and only if the ring keeps at least one free block: used + needed < ring
 * size, so tail == head always means empty.
 *
 * Why recovery is right. One batch is on its way at a time: the next is
 * written only after the previous one's write and flush completed, and an
 * append is acknowledged only by that flush. So every acknowledged record
 * is in a durable batch, and the batches before it are durable too. The
 * scan starts at head_block expecting head_seq and accepts a batch only if
 * its magic, log_id and seq are the expected ones, tn_place puts a batch
 * of its size where it lies (at the tail, else at ring block 0), and its
 * CRC covers all of it. It stops at the first batch that fails: a torn
 * batch (a crash tore its write at a sector boundary) fails the CRC; a
 * batch from an earlier lap of the ring has a smaller seq (numbers are
 * never reused within a log_id); one of an earlier format has another
 * log_id. Only the batch that was in flight can fail, and it was not
 * acknowledged; what the scan found is made durable by a flush before
 * open returns, so a second crash cannot take it away after the caller
 * has acted on it.
 *
 * Reset moves the head to the tail, trim to the first batch holding a
 * record after the one named, by rewriting the header (after every batch
 * is durable), then flush before any new batch may overwrite the old
 * ones. Numbers go on, so the old batches stay invalid.
 *
 * Group commit: appends copy their record into the batch being gathered
 * (one DMA buffer); the other buffer is the batch in flight. When the
 * flight's flush completes, its appends' completions run and the gathered
 * batch, however many records it holds, goes out as one write + one flush,
 * or as one FUA write where the device has them (tn_use_fua: the log then
 * has nothing else unflushed, so the batch's own durability is all the
 * flush gave).
 */
#define _DEFAULT_SOURCE         /* getentropy (glibc for the host tests; newlib) */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <tenacious/blksync.h>
#include <tenacious/tenacious.h>

#define TN_HDR_MAGIC    0x474c4e54u     /* "TNLG" */
#define TN_BATCH_MAGIC  0x54424e54u     /* "TNBT" */
#define TN_VERSION      1
/* The largest batch a format allows (and the gather buffer's size). */
#define TN_BATCH_MAX_BYTES (256u * 1024)

struct tn_header {
    uint32_t magic, version;
    uint32_t block_size, crc;           /* crc: CRC32C of the struct with crc = 0 */
    uint64_t first, nblocks;
    uint64_t log_id;
    uint64_t head_seq;                  /* the oldest record's number */
    uint64_t head_block;                /* ring block where its batch starts */
    uint32_t batch_blocks;              /* the largest batch, in blocks */
    uint32_t pad;
};
_Static_assert(sizeof(struct tn_header) <= 512, "the header must fit one sector");

struct tn_batch {
    uint32_t magic, crc;
    uint64_t log_id;
    uint64_t seq;                       /* the first record's number */
    uint32_t nrec, bytes;               /* bytes from the batch's start, this header included */
};
_Static_assert(sizeof(struct tn_batch) == 32, "batch header layout");

struct tn_rec {
    uint64_t seq;
    uint32_t len, crc;                  /* crc: CRC32C of the data */
};
_Static_assert(sizeof(struct tn_rec) == 16, "record header layout");

struct tn_waiter {
    tenacious_done_fn done;
    void *cookie;
    uint64_t seq;
};

struct tn_buf {
    uint8_t *data;                      /* DMA buffer of batch_blocks blocks */
    uint32_t bytes, nrec;
    uint64_t seq;                       /* the first record's */
    struct tn_waiter *w;                /* one per record */
};

struct tenacious {
    struct blk_dev *dev;
    uint64_t first, ring;               /* ring block i is device block first + 1 + i */
    uint32_t bs, batch_blocks, max_rec, max_nrec;
    uint32_t fmt_batch_blocks;          /* the header's: batches already written may be this big */
    uint64_t log_id;
    uint64_t head, tail;                /* ring blocks; tail: after the last placed batch */
    uint64_t head_seq, next_seq, durable_seq;
    struct tn_buf bufs[2];
    int gather;                         /* bufs[gather] gathers; bufs[1 - gather] flies */
    bool inflight;
    bool failed;
    errval_t fail_err;
    uint8_t *hdr_buf;                   /* one DMA block for the header */
};

static uint32_t tn_pad8(uint32_t n)
{
    return (n + 7u) & ~7u;
}

static uint32_t tn_blocks_of(const struct tenacious *log, uint32_t bytes)
{
    return (bytes + log->bs - 1) / log->bs;
}

/* Where a batch of k blocks goes after `tail` in a ring of `ring` blocks
 * whose head is `head`: true and *place, or false (no room). */
static bool tn_place(uint64_t ring, uint64_t head, uint64_t tail, uint64_t k, uint64_t *place)
{
    uint64_t used = (tail + ring - head) % ring;
    uint64_t p, need;
    if (tail + k <= ring) {
        p = tail;
        need = k;
    } else {
        p = 0;
        need = ring - tail + k;
    }
    if (used + need >= ring)
        return false;
    *place = p;
    return true;
}

static uint32_t tn_header_crc(struct tn_header h)
{
    h.crc = 0;
    return tenacious_crc32c(0, &h, sizeof(h));
}

static bool tn_header_valid(const struct tn_header *h, const struct blk_dev *dev,
                            uint64_t first, uint64_t nblocks)
{
    return h->magic == TN_HDR_MAGIC && h->version == TN_VERSION &&
           h->crc == tn_header_crc(*h) && h->block_size == dev->block_size &&
           h->first == first && h->nblocks == nblocks && h->head_block < nblocks - 1 &&
           h->batch_blocks >= 1 && h->batch_blocks < nblocks - 1 && h->head_seq >= 1;
}

static errval_t tn_range_check(struct blk_dev *dev, uint64_t first, uint64_t nblocks)
{
    if (!dev || !dev->ops)
        return TENACIOUS_ERR_ARGS;
    if (dev->block_size != 512 && dev->block_size != 4096)
        return TENACIOUS_ERR_DEVICE;
    if (nblocks < 4 || first >= dev->blocks || nblocks > dev->blocks - first ||
        dev->max_io_blocks < 1)
        return TENACIOUS_ERR_DEVICE;
    return ERR_OK;
}

errval_t tenacious_format(struct blk_dev *dev, uint64_t first, uint64_t nblocks)
{
    errval_t err = tn_range_check(dev, first, nblocks);
    if (err_is_fail(err))
        return err;
    uint8_t *blk = dev->ops->buf_alloc(dev, dev->block_size);
    if (!blk)
        return TENACIOUS_ERR_NO_MEMORY;
    /* A new log_id, unlike the old header's and unlike any drawn from
     * what ring block 0 holds, so stale batches there do not carry it;
     * and unguessable where the CPU gives entropy (getentropy: RDRAND),
     * so that bytes an application logs on behalf of others (a Redis
     * client's value) cannot be made to look like one of the log's own
     * batches where a crash leaves a stale block. */
    struct tn_header h;
    uint64_t log_id;
    err = blk_read_sync(dev, first, 1, blk);
    if (err_is_fail(err))
        goto out;
    memcpy(&h, blk, sizeof(h));
    uint64_t nonce = 0;
    if (getentropy(&nonce, sizeof(nonce)) != 0)
        nonce = 0;                      /* no entropy: still new, only guessable */
    if (tn_header_valid(&h, dev, first, nblocks)) {
        log_id = (h.log_id + 1) ^ (nonce << 1);
        if (log_id == h.log_id)
            log_id++;
    } else {
        err = blk_read_sync(dev, first + 1, 1, blk);
        if (err_is_fail(err))
            goto out;
        log_id = ((uint64_t)tenacious_crc32c(0, blk, dev->block_size) << 32) ^
                 tenacious_crc32c(0x5eed, &h, sizeof(h)) ^ 0x7e4ac105u ^ nonce;
    }
    uint64_t ring = nblocks - 1;
    uint32_t batch = TN_BATCH_MAX_BYTES / dev->block_size;
    if (batch > (ring - 1) / 2)
        batch = (uint32_t)((ring - 1) / 2);
    if (batch < 1)
        batch = 1;
    memset(&h, 0, sizeof(h));
    h = (struct tn_header){ .magic = TN_HDR_MAGIC, .version = TN_VERSION,
                            .block_size = dev->block_size, .first = first,
                            .nblocks = nblocks, .log_id = log_id, .head_seq = 1,
                            .head_block = 0, .batch_blocks = batch };
    h.crc = tn_header_crc(h);
    memset(blk, 0, dev->block_size);
    memcpy(blk, &h, sizeof(h));
    err = blk_write_sync(dev, first, 1, blk);
    if (err_is_ok(err))
        err = blk_flush_sync(dev);
out:
    dev->ops->buf_free(dev, blk);
    return err;
}

/* --- Recovery --- */

struct tn_scan {
    uint8_t *io;                        /* DMA bounce buffer, io_blocks blocks */
    uint32_t io_blocks;
    uint8_t *batch;                     /* the batch being checked (malloc) */
};

/* Reads k ring blocks from ring block p into scan->batch, block `at` on. */
static errval_t tn_read_ring(struct tenacious *log, struct tn_scan *s, uint64_t p, uint32_t k,
                             uint32_t at)
{
    for (uint32_t done = 0; done < k;) {
        uint32_t n = k - done < s->io_blocks ? k - done : s->io_blocks;
        errval_t err = blk_read_sync(log->dev, log->first + 1 + p + done, n, s->io);
        if (err_is_fail(err))
            return err;
        memcpy(s->batch + (size_t)(at + done) * log->bs, s->io, (size_t)n * log->bs);
        done += n;
    }
    return ERR_OK;
}

/* Is there, at ring block p, the batch that must follow a tail at `tail`
 * and start with record `seq`? On true its k blocks are in s->batch. */
static bool tn_batch_at(struct tenacious *log, struct tn_scan *s, uint64_t p,
                        uint64_t tail, uint64_t seq, uint32_t *kout, errval_t *err)
{
    *err = tn_read_ring(log, s, p, 1, 0);
    if (err_is_fail(*err))
        return false;
    struct tn_batch b;
    memcpy(&b, s->batch, sizeof(b));
    if (b.magic != TN_BATCH_MAGIC || b.log_id != log->log_id || b.seq != seq ||
        b.nrec == 0 || b.bytes < sizeof(b) + sizeof(struct tn_rec) ||
        b.bytes > log->batch_blocks * log->bs)
        return false;
    uint32_t k = tn_blocks_of(log, b.bytes);
    uint64_t place;
    if (!tn_place(log->ring, log->head, tail, k, &place) || place != p)
        return false;
    if (k > 1) {
        *err = tn_read_ring(log, s, p + 1, k - 1, 1);
        if (err_is_fail(*err))
            return false;
    }
    *kout = k;
    return true;
}

/* Checks the batch in s->batch (CRC, each record) and replays it. */
static bool tn_batch_check(struct tenacious *log, struct tn_scan *s, uint64_t seq)
{
    struct tn_batch b;
    memcpy(&b, s->batch, sizeof(b));
    uint32_t crc = b.crc;
    memset(s->batch + offsetof(struct tn_batch, crc), 0, sizeof(b.crc));
    bool ok = tenacious_crc32c(0, s->batch, b.bytes) == crc;
    memcpy(s->batch + offsetof(struct tn_batch, crc), &crc, sizeof(crc));
    if (!ok)
        return false;
    uint32_t off = sizeof(b);
    for (uint32_t i = 0; i < b.nrec; i++) {
        struct tn_rec r;
        if (b.bytes - off < sizeof(r))
            return false;
        memcpy(&r, s->batch + off, sizeof(r));
        off += sizeof(r);
        if (r.seq != seq + i || r.len > b.bytes - off ||
            tenacious_crc32c(0, s->batch + off, r.len) != r.crc)
            return false;
        off += tn_pad8(r.len);
        if (off > b.bytes)
            return false;
    }
    return off == b.bytes;
}

static errval_t tn_replay(struct tenacious *log, struct tn_scan *s, tenacious_replay_fn fn, void *cookie)
{
    struct tn_batch b;
    memcpy(&b, s->batch, sizeof(b));
    uint32_t off = sizeof(b);
    for (uint32_t i = 0; i < b.nrec; i++) {
        struct tn_rec r;
        memcpy(&r, s->batch + off, sizeof(r));
        off += sizeof(r);
        if (fn) {
            errval_t err = fn(cookie, r.seq, s->batch + off, r.len);
            if (err_is_fail(err))
                return err;
        }
        off += tn_pad8(r.len);
    }
    return ERR_OK;
}

static errval_t tn_scan(struct tenacious *log, tenacious_replay_fn fn, void *cookie)
{
    struct tn_scan s = { 0 };
    s.io_blocks = log->dev->max_io_blocks < log->batch_blocks ? log->dev->max_io_blocks : log->batch_blocks;
    s.io = log->dev->ops->buf_alloc(log->dev, (size_t)s.io_blocks * log->bs);
    s.batch = malloc((size_t)log->batch_blocks * log->bs);
    errval_t err = ERR_OK;
    if (!s.io || !s.batch) {
        err = TENACIOUS_ERR_NO_MEMORY;
        goto out;
    }
    uint64_t tail = log->head, seq = log->head_seq;
    for (;;) {
        uint32_t k = 0;
        uint64_t p = tail;
        bool found = tn_batch_at(log, &s, p, tail, seq, &k, &err);
        if (err_is_fail(err))
            goto out;
        if (found)
            found = tn_batch_check(log, &s, seq);
        if (!found && tail != 0) {
            p = 0;              /* the batch may have wrapped to the ring's start */
            found = tn_batch_at(log, &s, p, tail, seq, &k, &err);
            if (err_is_fail(err))
                goto out;
            if (found)
                found = tn_batch_check(log, &s, seq);
        }
        if (!found)
            break;
        err = tn_replay(log, &s, fn, cookie);
        if (err_is_fail(err))
            goto out;
        struct tn_batch b;
        memcpy(&b, s.batch, sizeof(b));
        k = tn_blocks_of(log, b.bytes);
        tail = (p + k) % log->ring;
        seq += b.nrec;
    }
    log->tail = tail;
    log->next_seq = seq;
    log->durable_seq = seq - 1;
out:
    if (s.io)
        log->dev->ops->buf_free(log->dev, s.io);
    free(s.batch);
    return err;
}

static void tn_free(struct tenacious *log)
{
    for (int i = 0; i < 2; i++) {
        if (log->bufs[i].data)
            log->dev->ops->buf_free(log->dev, log->bufs[i].data);
        free(log->bufs[i].w);
    }
    if (log->hdr_buf)
        log->dev->ops->buf_free(log->dev, log->hdr_buf);
    free(log);
}

errval_t tenacious_open(struct blk_dev *dev, uint64_t first, uint64_t nblocks,
                        tenacious_replay_fn fn, void *cookie, struct tenacious **out)
{
    if (!out)
        return TENACIOUS_ERR_ARGS;
    errval_t err = tn_range_check(dev, first, nblocks);
    if (err_is_fail(err))
        return err;
    struct tenacious *log = calloc(1, sizeof(*log));
    if (!log)
        return TENACIOUS_ERR_NO_MEMORY;
    log->dev = dev;
    log->first = first;
    log->ring = nblocks - 1;
    log->bs = dev->block_size;
    log->hdr_buf = dev->ops->buf_alloc(dev, dev->block_size);
    if (!log->hdr_buf) {
        tn_free(log);
        return TENACIOUS_ERR_NO_MEMORY;
    }
    err = blk_read_sync(dev, first, 1, log->hdr_buf);
    if (err_is_fail(err)) {
        tn_free(log);
        return err;
    }
    struct tn_header h;
    memcpy(&h, log->hdr_buf, sizeof(h));
    if (!tn_header_valid(&h, dev, first, nblocks)) {
        tn_free(log);
        return TENACIOUS_ERR_NO_LOG;
    }
    log->log_id = h.log_id;
    log->head = h.head_block;
    log->head_seq = h.head_seq;
    log->batch_blocks = h.batch_blocks;
    log->fmt_batch_blocks = h.batch_blocks;
    err = tn_scan(log, fn, cookie);
    if (err_is_ok(err))
        err = blk_flush_sync(dev);      /* what the scan found stays found */
    if (err_is_fail(err)) {
        tn_free(log);
        return err;
    }
    /* Appends use batches no larger than one request may move. */
    uint32_t bb = log->batch_blocks < dev->max_io_blocks ? log->batch_blocks : dev->max_io_blocks;
    log->batch_blocks = bb;
    log->max_rec = bb * log->bs - (uint32_t)sizeof(struct tn_batch) - (uint32_t)sizeof(struct tn_rec);
    log->max_nrec = (bb * log->bs - (uint32_t)sizeof(struct tn_batch)) / (uint32_t)sizeof(struct tn_rec);
    for (int i = 0; i < 2; i++) {
        log->bufs[i].data = dev->ops->buf_alloc(dev, (size_t)bb * log->bs);
        log->bufs[i].w = calloc(log->max_nrec, sizeof(struct tn_waiter));
        if (!log->bufs[i].data || !log->bufs[i].w) {
            tn_free(log);
            return TENACIOUS_ERR_NO_MEMORY;
        }
    }
    *out = log;
    return ERR_OK;
}

/* --- Appending --- */

/* The device failed: every waiting append learns it; no more appends. */
static void tn_fail(struct tenacious *log, errval_t err)
{
    if (!log->failed) {
        log->failed = true;
        log->fail_err = err_push(err, TENACIOUS_ERR_IO);
    }
    log->inflight = false;
    for (int i = 0; i < 2; i++) {
        struct tn_buf *b = &log->bufs[i];
        uint32_t n = b->nrec;
        b->nrec = 0;
        b->bytes = 0;
        for (uint32_t j = 0; j < n; j++)
            if (b->w[j].done)
                b->w[j].done(b->w[j].cookie, b->w[j].seq, log->fail_err);
    }
}

static void tn_kick(struct tenacious *log);
static errval_t tn_move_head(struct tenacious *log, uint64_t head, uint64_t seq);
static errval_t tn_drain(struct tenacious *log);

static void tn_flush_done(void *cookie, errval_t status)
{
    struct tenacious *log = cookie;
    if (err_is_fail(status)) {
        tn_fail(log, status);
        return;
    }
    struct tn_buf *b = &log->bufs[1 - log->gather];
    log->durable_seq = b->seq + b->nrec - 1;
    /* Completions run with the batch still marked in flight, so appends
     * they make are gathered, not sent on their own. */
    for (uint32_t j = 0; j < b->nrec; j++)
        if (b->w[j].done)
            b->w[j].done(b->w[j].cookie, b->w[j].seq, ERR_OK);
    if (log->failed)
        return;
    b->nrec = 0;
    b->bytes = 0;
    log->inflight = false;
    tn_kick(log);
}

static void tn_write_done(void *cookie, errval_t status)
{
    struct tenacious *log = cookie;
    if (err_is_ok(status))
        status = log->dev->ops->flush(log->dev, tn_flush_done, log);
    if (err_is_fail(status))
        tn_fail(log, status);
}

/* Is one FUA write as good as write + flush for the next batch? Only if
 * the log has nothing of its own unflushed, since FUA makes no other write
 * durable (blk.h). It has not: the header (format, reset, trim) is written
 * and flushed before they return, open flushes what its scan found, and
 * the batch before this one is durable already (one batch at a time). */
static bool tn_use_fua(const struct tenacious *log)
{
    return log->dev->ops->write_fua != NULL;
}

/* Sends the gathered batch if none is in flight. */
static void tn_kick(struct tenacious *log)
{
    struct tn_buf *b = &log->bufs[log->gather];
    if (log->inflight || log->failed || b->nrec == 0)
        return;
    uint32_t k = tn_blocks_of(log, b->bytes);
    uint64_t place;
    if (!tn_place(log->ring, log->head, log->tail, k, &place)) {
        tn_fail(log, TENACIOUS_ERR_FULL);   /* append checked the room: cannot happen */
        return;
    }
    struct tn_batch h = { .magic = TN_BATCH_MAGIC, .crc = 0, .log_id = log->log_id,
                          .seq = b->seq, .nrec = b->nrec, .bytes = b->bytes };
    memcpy(b->data, &h, sizeof(h));
    memset(b->data + b->bytes, 0, (size_t)k * log->bs - b->bytes);
    h.crc = tenacious_crc32c(0, b->data, b->bytes);
    memcpy(b->data, &h, sizeof(h));
    log->tail = (place + k) % log->ring;
    log->gather = 1 - log->gather;
    log->inflight = true;
    errval_t err = tn_use_fua(log)
        ? log->dev->ops->write_fua(log->dev, log->first + 1 + place, k, b->data, tn_flush_done, log)
        : log->dev->ops->write(log->dev, log->first + 1 + place, k, b->data, tn_write_done, log);
    if (err_is_fail(err))
        tn_fail(log, err);
}

errval_t tenacious_append(struct tenacious *log, const void *data, size_t len,
                          tenacious_done_fn done, void *cookie, uint64_t *seq)
{
    if (!log || (!data && len > 0))
        return TENACIOUS_ERR_ARGS;
    if (log->failed)
        return log->fail_err;
    if (len > log->max_rec)
        return TENACIOUS_ERR_TOO_BIG;
    struct tn_buf *b = &log->bufs[log->gather];
    uint32_t rs = (uint32_t)sizeof(struct tn_rec) + tn_pad8((uint32_t)len);
    uint32_t bytes = (b->nrec ? b->bytes : (uint32_t)sizeof(struct tn_batch)) + rs;
    if (bytes > log->batch_blocks * log->bs)
        return TENACIOUS_ERR_BUSY;
    /* The in-flight batch is placed already (tail is after it); this one
     * will be placed next, from the same tail, so the test is exact. */
    uint64_t place;
    if (!tn_place(log->ring, log->head, log->tail, tn_blocks_of(log, bytes), &place))
        return TENACIOUS_ERR_FULL;
    if (b->nrec == 0) {
        b->seq = log->next_seq;
        b->bytes = sizeof(struct tn_batch);
    }
    struct tn_rec r = { .seq = log->next_seq, .len = (uint32_t)len,
                        .crc = tenacious_crc32c(0, data, len) };
    memcpy(b->data + b->bytes, &r, sizeof(r));
    if (len)
        memcpy(b->data + b->bytes + sizeof(r), data, len);
    memset(b->data + b->bytes + sizeof(r) + len, 0, tn_pad8((uint32_t)len) - len);
    b->bytes = bytes;
    b->w[b->nrec++] = (struct tn_waiter){ .done = done, .cookie = cookie, .seq = log->next_seq };
    if (seq)
        *seq = log->next_seq;
    log->next_seq++;
    tn_kick(log);
    return ERR_OK;
}

errval_t tenacious_poll(struct tenacious *log)
{
    if (!log)
        return TENACIOUS_ERR_ARGS;
    tn_kick(log);
    return log->dev->ops->poll(log->dev);
}

errval_t tenacious_wait(struct tenacious *log, uint64_t seq)
{
    if (!log || seq >= log->next_seq)
        return TENACIOUS_ERR_ARGS;
    while (log->durable_seq < seq) {
        if (log->failed)
            return log->fail_err;
        tn_kick(log);
        errval_t err = log->dev->ops->wait(log->dev, 0);
        if (err_is_fail(err) && log->durable_seq < seq && !log->failed)
            return err;
    }
    return ERR_OK;
}

errval_t tenacious_append_sync(struct tenacious *log, const void *data, size_t len, uint64_t *seq)
{
    uint64_t s;
    errval_t err;
    while (err_no(err = tenacious_append(log, data, len, NULL, NULL, &s)) == TENACIOUS_ERR_BUSY) {
        err = tenacious_wait(log, log->next_seq - 1);
        if (err_is_fail(err))
            return err;
    }
    if (err_is_fail(err))
        return err;
    if (seq)
        *seq = s;
    return tenacious_wait(log, s);
}

errval_t tenacious_reset(struct tenacious *log)
{
    if (!log)
        return TENACIOUS_ERR_ARGS;
    errval_t err = tn_drain(log);
    return err_is_fail(err) ? err : tn_move_head(log, log->tail, log->next_seq);
}

/* Writes the header with the head at ring block `head`, record `seq`,
 * and flushes; then the log's head is there. */
static errval_t tn_move_head(struct tenacious *log, uint64_t head, uint64_t seq)
{
    struct tn_header h = { .magic = TN_HDR_MAGIC, .version = TN_VERSION,
                           .block_size = log->bs, .first = log->first,
                           .nblocks = log->ring + 1, .log_id = log->log_id,
                           .head_seq = seq, .head_block = head,
                           .batch_blocks = log->fmt_batch_blocks };
    /* Not this session's batch_blocks (shrunk to this device's
     * max_io_blocks): batches kept by a trim may be as large as the
     * format allowed, and the scan must still take them. */
    h.crc = tn_header_crc(h);
    memset(log->hdr_buf, 0, log->bs);
    memcpy(log->hdr_buf, &h, sizeof(h));
    errval_t err = blk_write_sync(log->dev, log->first, 1, log->hdr_buf);
    if (err_is_ok(err))
        err = blk_flush_sync(log->dev);
    if (err_is_fail(err)) {
        tn_fail(log, err);
        return log->fail_err;
    }
    log->head = head;
    log->head_seq = seq;
    return ERR_OK;
}

/* Waits until everything appended is durable. */
static errval_t tn_drain(struct tenacious *log)
{
    errval_t err = log->next_seq - 1 > log->durable_seq ? tenacious_wait(log, log->next_seq - 1)
                                                        : ERR_OK;
    return err_is_ok(err) && log->failed ? log->fail_err : err;
}

errval_t tenacious_trim(struct tenacious *log, uint64_t upto)
{
    if (!log || upto >= log->next_seq)
        return TENACIOUS_ERR_ARGS;
    errval_t err = tn_drain(log);
    if (err_is_fail(err))
        return err;
    /* Walk the batches from the head by their headers (every one is
     * durable now, so each is where tn_place put it) to the first that
     * holds a record after `upto`. */
    uint64_t pos = log->head, seq = log->head_seq;
    while (seq <= upto) {
        struct tn_batch b;
        uint64_t place = pos;
        bool found = false;
        for (int attempt = 0; attempt < 2 && !found; attempt++) {
            if (attempt) {
                if (pos == 0)
                    break;
                place = 0;              /* it may have wrapped to the ring's start */
            }
            err = blk_read_sync(log->dev, log->first + 1 + place, 1, log->hdr_buf);
            if (err_is_fail(err))
                return err;
            memcpy(&b, log->hdr_buf, sizeof(b));
            uint64_t p;
            found = b.magic == TN_BATCH_MAGIC && b.log_id == log->log_id && b.seq == seq &&
                    b.nrec > 0 && b.bytes <= log->fmt_batch_blocks * log->bs &&
                    tn_place(log->ring, log->head, pos, tn_blocks_of(log, b.bytes), &p) && p == place;
        }
        if (!found)
            return TENACIOUS_ERR_IO;    /* a durable batch is not where it was written */
        if (seq + b.nrec - 1 > upto) {
            pos = place;                /* this batch stays: it holds records after upto */
            break;
        }
        pos = (place + tn_blocks_of(log, b.bytes)) % log->ring;
        seq += b.nrec;
    }
    return seq == log->head_seq ? ERR_OK : tn_move_head(log, pos, seq);
}

void tenacious_close(struct tenacious *log)
{
    if (!log)
        return;
    if (log->next_seq - 1 > log->durable_seq)
        (void)tenacious_wait(log, log->next_seq - 1);   /* a failure was told to each append */
    tn_free(log);
}

size_t tenacious_max_record(const struct tenacious *log)
{
    return log->max_rec;
}

uint64_t tenacious_next_seq(const struct tenacious *log)
{
    return log->next_seq;
}

uint64_t tenacious_durable_seq(const struct tenacious *log)
{
    return log->durable_seq;
}

void tenacious_space(const struct tenacious *log, uint64_t *used, uint64_t *total)
{
    if (used)
        *used = (log->tail + log->ring - log->head) % log->ring;
    if (total)
        *total = log->ring;
}
