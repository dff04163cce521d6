/*
 * crashdev.c: the crash-injecting memory block device of the storage unit
 * tests (crashdev.h). Completion order, which cached and in-flight writes
 * survive a crash, their order and their tearing all come from one
 * xorshift generator seeded by the test, so a failing seed repeats.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <crashdev/crashdev.h>

enum cd_kind { CD_READ, CD_WRITE, CD_WRITE_FUA, CD_FLUSH };

struct cd_req {
    enum cd_kind kind;
    uint64_t block;
    uint32_t count;
    void *buf;
    uint8_t *data;                      /* a write's data, copied when queued */
    uint64_t mark;                      /* a flush: cseq when it was queued */
    blk_done_fn done;
    void *cookie;
};

struct cd_write {
    uint64_t block, cseq;
    uint32_t count;
    uint8_t *data;
};

#define CD_SECTOR 512

uint64_t crashdev_rand(struct crashdev *cd)
{
    uint64_t x = cd->rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    cd->rng = x;
    return x * 0x2545F4914F6CDD1Dull;
}

static size_t cd_bytes(const struct crashdev *cd, uint32_t count)
{
    return (size_t)count * cd->dev.block_size;
}

/* Is buf[0..bytes) inside one buffer of buf_alloc? (blk.h: requests take
 * whole buffers of buf_alloc; a piece of one is accepted as well.) */
static bool cd_buf_ok(struct crashdev *cd, const void *buf, size_t bytes)
{
    for (unsigned i = 0; i < cd->nbufs; i++) {
        const uint8_t *b = cd->bufs[i];
        if ((const uint8_t *)buf >= b && (const uint8_t *)buf + bytes <= b + cd->buf_sizes[i])
            return true;
    }
    return false;
}

/* Writes `w` (all of it, or when torn a random subset of its sectors) on
 * the image `img`. */
static void cd_land(struct crashdev *cd, uint8_t *img, uint64_t block, uint32_t count,
                    const uint8_t *data, bool tear)
{
    size_t bytes = cd_bytes(cd, count);
    uint8_t *dst = img + block * cd->dev.block_size;
    if (!tear) {
        memcpy(dst, data, bytes);
        return;
    }
    for (size_t s = 0; s < bytes; s += CD_SECTOR)
        if (crashdev_rand(cd) & 1)
            memcpy(dst + s, data + s, CD_SECTOR);
}

void crashdev_crash(struct crashdev *cd)
{
    if (cd->crashed)
        return;
    cd->crashed = true;
    /* The candidates: every cached write and every queued one. */
    unsigned n = cd->ndirty + cd->nq;
    struct cd_write *c = calloc(n ? n : 1, sizeof(*c));
    unsigned m = 0;
    for (unsigned i = 0; i < cd->ndirty; i++)
        c[m++] = cd->dirty[i];
    for (unsigned i = 0; i < cd->nq; i++)
        if (cd->q[i].kind == CD_WRITE || cd->q[i].kind == CD_WRITE_FUA)
            c[m++] = (struct cd_write){ .block = cd->q[i].block, .count = cd->q[i].count,
                                        .data = cd->q[i].data };
    /* Shuffle, then land a random half, a quarter of them torn. */
    for (unsigned i = m; i > 1; i--) {
        unsigned j = (unsigned)(crashdev_rand(cd) % i);
        struct cd_write t = c[i - 1];
        c[i - 1] = c[j];
        c[j] = t;
    }
    for (unsigned i = 0; i < m; i++) {
        uint64_t r = crashdev_rand(cd);
        if (r & 1)
            cd_land(cd, cd->durable, c[i].block, c[i].count, c[i].data, (r & 6) == 0);
    }
    free(c);
}

/* One event passed: crash if it is the chosen one. */
static void cd_event(struct crashdev *cd)
{
    cd->events++;
    if (cd->crash_at && cd->events >= cd->crash_at)
        crashdev_crash(cd);
}

static errval_t cd_queue(struct crashdev *cd, struct cd_req r)
{
    if (cd->crashed)
        return TENACIOUS_ERR_DEVICE;    /* the device is gone */
    if (cd->nq >= cd->dev.queue_depth)
        return TENACIOUS_ERR_BUSY;
    cd->q[cd->nq++] = r;
    cd_event(cd);
    return ERR_OK;
}

static errval_t cd_rw_check(struct crashdev *cd, uint64_t block, uint32_t count, const void *buf)
{
    if (count == 0 || count > cd->dev.max_io_blocks || block >= cd->dev.blocks ||
        count > cd->dev.blocks - block)
        return TENACIOUS_ERR_ARGS;
    if (!cd_buf_ok(cd, buf, cd_bytes(cd, count))) {
        cd->bad_bufs++;
        return TENACIOUS_ERR_ARGS;
    }
    return ERR_OK;
}

static errval_t cd_read(struct blk_dev *dev, uint64_t block, uint32_t count, void *buf,
                        blk_done_fn done, void *cookie)
{
    struct crashdev *cd = (struct crashdev *)dev;
    errval_t err = cd_rw_check(cd, block, count, buf);
    if (err_is_fail(err))
        return err;
    return cd_queue(cd, (struct cd_req){ .kind = CD_READ, .block = block, .count = count,
                                         .buf = buf, .done = done, .cookie = cookie });
}

static errval_t cd_write_kind(struct blk_dev *dev, enum cd_kind kind, uint64_t block,
                              uint32_t count, const void *buf, blk_done_fn done, void *cookie)
{
    struct crashdev *cd = (struct crashdev *)dev;
    errval_t err = cd_rw_check(cd, block, count, buf);
    if (err_is_fail(err))
        return err;
    uint8_t *data = malloc(cd_bytes(cd, count));
    memcpy(data, buf, cd_bytes(cd, count));
    err = cd_queue(cd, (struct cd_req){ .kind = kind, .block = block, .count = count,
                                        .data = data, .done = done, .cookie = cookie });
    if (err_is_fail(err))
        free(data);
    return err;
}

static errval_t cd_write(struct blk_dev *dev, uint64_t block, uint32_t count, const void *buf,
                         blk_done_fn done, void *cookie)
{
    return cd_write_kind(dev, CD_WRITE, block, count, buf, done, cookie);
}

static errval_t cd_write_fua(struct blk_dev *dev, uint64_t block, uint32_t count, const void *buf,
                             blk_done_fn done, void *cookie)
{
    return cd_write_kind(dev, CD_WRITE_FUA, block, count, buf, done, cookie);
}

/* A FUA write completed: its blocks are on the medium. Older cached
 * writes of the same blocks can no longer land over it (a cache holds a
 * block's newest data), so their copies of those blocks become the new
 * data; their other blocks stay as volatile as they were. */
static void cd_land_fua(struct crashdev *cd, uint64_t block, uint32_t count, const uint8_t *data)
{
    size_t bs = cd->dev.block_size;
    memcpy(cd->durable + block * bs, data, cd_bytes(cd, count));
    for (unsigned j = 0; j < cd->ndirty; j++) {
        struct cd_write *w = &cd->dirty[j];
        uint64_t lo = w->block > block ? w->block : block;
        uint64_t hi = w->block + w->count < block + count ? w->block + w->count : block + count;
        if (lo < hi)
            memcpy(w->data + (lo - w->block) * bs, data + (lo - block) * bs, (hi - lo) * bs);
    }
}

static errval_t cd_flush(struct blk_dev *dev, blk_done_fn done, void *cookie)
{
    struct crashdev *cd = (struct crashdev *)dev;
    return cd_queue(cd, (struct cd_req){ .kind = CD_FLUSH, .mark = cd->cseq,
                                         .done = done, .cookie = cookie });
}

/* Completes queued request i. */
static void cd_complete(struct crashdev *cd, unsigned i)
{
    struct cd_req r = cd->q[i];
    cd->q[i] = cd->q[--cd->nq];
    errval_t status = ERR_OK;
    if (cd->crashed) {
        status = TENACIOUS_ERR_DEVICE;
        free(r.data);
    } else if (r.kind == CD_READ) {
        cd->reads++;
        memcpy(r.buf, cd->cache + r.block * cd->dev.block_size, cd_bytes(cd, r.count));
    } else if (r.kind == CD_WRITE || r.kind == CD_WRITE_FUA) {
        cd->writes++;
        if (cd->fail_write_at && --cd->fail_write_at == 0) {
            status = TENACIOUS_ERR_DEVICE;
            free(r.data);
        } else if (r.kind == CD_WRITE_FUA) {
            cd->fua_writes++;
            memcpy(cd->cache + r.block * cd->dev.block_size, r.data, cd_bytes(cd, r.count));
            cd_land_fua(cd, r.block, r.count, r.data);
            free(r.data);
        } else {
            memcpy(cd->cache + r.block * cd->dev.block_size, r.data, cd_bytes(cd, r.count));
            if (cd->ndirty == cd->dirty_cap) {
                cd->dirty_cap = cd->dirty_cap ? 2 * cd->dirty_cap : 64;
                cd->dirty = realloc(cd->dirty, cd->dirty_cap * sizeof(*cd->dirty));
            }
            cd->dirty[cd->ndirty++] = (struct cd_write){ .block = r.block, .count = r.count,
                                                         .data = r.data, .cseq = ++cd->cseq };
        }
    } else {
        cd->flushes++;
        /* Land, in completion order, the writes that completed before the
         * flush was queued. */
        unsigned keep = 0;
        for (unsigned j = 0; j < cd->ndirty; j++) {
            struct cd_write *w = &cd->dirty[j];
            if (w->cseq <= r.mark) {
                memcpy(cd->durable + w->block * cd->dev.block_size, w->data, cd_bytes(cd, w->count));
                free(w->data);
            } else {
                cd->dirty[keep++] = *w;
            }
        }
        cd->ndirty = keep;
    }
    cd_event(cd);
    if (r.done)
        r.done(r.cookie, status);
}

static errval_t cd_poll(struct blk_dev *dev)
{
    struct crashdev *cd = (struct crashdev *)dev;
    if (cd->slow)
        return ERR_OK;
    /* Some of what is queued completes, in a random order. */
    unsigned n = cd->nq ? (unsigned)(crashdev_rand(cd) % (cd->nq + 1)) : 0;
    while (n-- && cd->nq)
        cd_complete(cd, (unsigned)(crashdev_rand(cd) % cd->nq));
    return ERR_OK;
}

static errval_t cd_wait(struct blk_dev *dev, uint64_t deadline_ns)
{
    struct crashdev *cd = (struct crashdev *)dev;
    if (cd->nq == 0) {
        /* Nothing can complete: a real device would sleep until the
         * deadline, or for ever. A caller waiting here is a bug. */
        if (deadline_ns)
            return ERR_OK;
        fprintf(stderr, "crashdev: wait with nothing queued\n");
        abort();
    }
    cd_complete(cd, (unsigned)(crashdev_rand(cd) % cd->nq));
    return cd->slow ? ERR_OK : cd_poll(dev);
}

static void *cd_buf_alloc(struct blk_dev *dev, size_t bytes)
{
    struct crashdev *cd = (struct crashdev *)dev;
    if (cd->nbufs == cd->bufs_cap) {
        cd->bufs_cap = cd->bufs_cap ? 2 * cd->bufs_cap : 16;
        cd->bufs = realloc(cd->bufs, cd->bufs_cap * sizeof(*cd->bufs));
        cd->buf_sizes = realloc(cd->buf_sizes, cd->bufs_cap * sizeof(*cd->buf_sizes));
    }
    void *b = calloc(1, bytes ? bytes : 1);
    cd->bufs[cd->nbufs] = b;
    cd->buf_sizes[cd->nbufs++] = bytes;
    return b;
}

static void cd_buf_free(struct blk_dev *dev, void *buf)
{
    struct crashdev *cd = (struct crashdev *)dev;
    for (unsigned i = 0; i < cd->nbufs; i++)
        if (cd->bufs[i] == buf) {
            cd->bufs[i] = cd->bufs[--cd->nbufs];
            cd->buf_sizes[i] = cd->buf_sizes[cd->nbufs];
            free(buf);
            return;
        }
    fprintf(stderr, "crashdev: buf_free of a buffer it never gave\n");
    abort();
}

static const struct blk_ops cd_ops = {
    .read = cd_read, .write = cd_write, .flush = cd_flush, .poll = cd_poll,
    .wait = cd_wait, .buf_alloc = cd_buf_alloc, .buf_free = cd_buf_free,
};

static const struct blk_ops cd_ops_fua = {
    .read = cd_read, .write = cd_write, .write_fua = cd_write_fua, .flush = cd_flush,
    .poll = cd_poll, .wait = cd_wait, .buf_alloc = cd_buf_alloc, .buf_free = cd_buf_free,
};

void crashdev_set_fua(struct crashdev *cd, bool fua)
{
    cd->dev.ops = fua ? &cd_ops_fua : &cd_ops;
}

void crashdev_init(struct crashdev *cd, uint32_t block_size, uint64_t blocks,
                   uint32_t max_io_blocks, uint64_t seed)
{
    memset(cd, 0, sizeof(*cd));
    cd->dev = (struct blk_dev){ .ops = &cd_ops, .block_size = block_size, .blocks = blocks,
                                .max_io_blocks = max_io_blocks, .queue_depth = 32 };
    cd->durable = calloc(blocks, block_size);
    cd->cache = calloc(blocks, block_size);
    cd->q = calloc(cd->dev.queue_depth, sizeof(*cd->q));
    cd->rng = seed * 0x9E3779B97F4A7C15ull + 1;
}

static void cd_drop(struct crashdev *cd)
{
    for (unsigned i = 0; i < cd->nq; i++)
        free(cd->q[i].data);
    cd->nq = 0;
    for (unsigned i = 0; i < cd->ndirty; i++)
        free(cd->dirty[i].data);
    cd->ndirty = 0;
}

void crashdev_reboot(struct crashdev *cd)
{
    if (!cd->crashed)
        crashdev_crash(cd);
    cd_drop(cd);
    memcpy(cd->cache, cd->durable, cd_bytes(cd, (uint32_t)0) + cd->dev.blocks * cd->dev.block_size);
    cd->crashed = false;
    cd->crash_at = 0;
    cd->events = 0;
    cd->fail_write_at = 0;
}

void crashdev_fini(struct crashdev *cd)
{
    cd_drop(cd);
    for (unsigned i = 0; i < cd->nbufs; i++)
        free(cd->bufs[i]);
    free(cd->bufs);
    free(cd->buf_sizes);
    free(cd->dirty);
    free(cd->q);
    free(cd->durable);
    free(cd->cache);
}
