/*
 * vsic_blk.c: a VSA as a struct blk_dev (arrakis/blk.h), the interface
 * lib/tenacious and the VSA file system are written against. Requests
 * queue on the VSIC's ring and complete from poll()/wait() on the
 * caller's thread; buffers come from the VSIC's registered memory (a
 * buffer from anywhere else is refused before it is queued).
 *
 * vsic_blk_open(name, &dev) is the whole path for a program: the domain's
 * one VSIC (opened on first use: vsic_open's window and slot are fixed),
 * the VSA acquired read-write under the shell's grant, or created if the
 * disk has none of that name. It is the opener lib/vsafs's fs=NAME hook
 * takes (lib/vsafs/vsic_mount.c).
 */
#include <arrakis/vsic.h>
#include <libos/tsc.h>
#include <libos/libos.h>

static struct vsic_blk *B(struct blk_dev *d) { return (struct vsic_blk *)d; }

static errval_t queue(struct blk_dev *d, unsigned op, uint32_t flags, uint64_t block,
                      uint32_t count, const void *buf, blk_done_fn done, void *cookie)
{
    struct vsic *v = B(d)->v;
    const uint8_t *p = buf;
    if (op != VSIC_OP_FLUSH) {
        if (count == 0 || count > d->max_io_blocks || block >= d->blocks ||
            count > d->blocks - block)
            return VSA_ERR_BOUNDS;
        if (p < v->buf || p + (uint64_t)count * d->block_size > v->buf + v->buf_bytes)
            return VSIC_ERR_BUF;
    }
    return vsic_submit(v, op, flags, B(d)->handle, block, count,
                       op == VSIC_OP_FLUSH ? 0 : (uint64_t)(p - v->buf), done, cookie);
}

static errval_t blk_read(struct blk_dev *d, uint64_t block, uint32_t count, void *buf,
                         blk_done_fn done, void *cookie)
{
    return queue(d, VSIC_OP_READ, 0, block, count, buf, done, cookie);
}

static errval_t blk_write(struct blk_dev *d, uint64_t block, uint32_t count, const void *buf,
                          blk_done_fn done, void *cookie)
{
    return queue(d, VSIC_OP_WRITE, 0, block, count, buf, done, cookie);
}

/* Durable at completion: the service sees to it (a FUA write, and a flush
 * after it where the controller ignores FUA: usr/vsicd/README.md). */
static errval_t blk_write_fua(struct blk_dev *d, uint64_t block, uint32_t count, const void *buf,
                              blk_done_fn done, void *cookie)
{
    return queue(d, VSIC_OP_WRITE, VSIC_REQ_FUA, block, count, buf, done, cookie);
}

static errval_t blk_flush(struct blk_dev *d, blk_done_fn done, void *cookie)
{
    return queue(d, VSIC_OP_FLUSH, 0, 0, 0, NULL, done, cookie);
}

static errval_t blk_poll(struct blk_dev *d)
{
    vsic_poll(B(d)->v);
    return ERR_OK;
}

static errval_t blk_wait(struct blk_dev *d, uint64_t deadline_ns)
{
    uint64_t tsc = 0;
    if (deadline_ns) {
        uint64_t hz = libos_tsc_hz();
        uint64_t now_ns = rdtsc_now() / hz * 1000000000ull + rdtsc_now() % hz * 1000000000ull / hz;
        tsc = deadline_ns > now_ns ? rdtsc_now() + (deadline_ns - now_ns) / 1000 * (hz / 1000000)
                                   : 1;
    }
    errval_t err = vsic_wait(B(d)->v, tsc);
    return err_no(err) == VSIC_ERR_TIMEOUT ? ERR_OK : err;
}

static void *blk_buf_alloc(struct blk_dev *d, size_t bytes)
{
    return vsic_buf_alloc(B(d)->v, bytes);
}

static void blk_buf_free(struct blk_dev *d, void *buf)
{
    vsic_buf_free(B(d)->v, buf);
}

static const struct blk_ops vsic_blk_ops = {
    .read = blk_read, .write = blk_write, .write_fua = blk_write_fua, .flush = blk_flush,
    .poll = blk_poll,
    .wait = blk_wait, .buf_alloc = blk_buf_alloc, .buf_free = blk_buf_free,
};

void vsic_blk_init(struct vsic_blk *b, struct vsic *v, unsigned handle, uint64_t blocks)
{
    b->dev = (struct blk_dev){ .ops = &vsic_blk_ops, .block_size = v->block_size,
                               .blocks = blocks,
                               .max_io_blocks = VSIC_MAX_IO_BYTES / v->block_size,
                               .queue_depth = VSIC_SLOTS };
    b->v = v;
    b->handle = handle;
}

errval_t vsic_blk_open(const char *name, struct blk_dev **dev)
{
    static struct vsic v;
    static struct vsic_blk blks[VSIC_BLK_MAX];
    static unsigned nblks;
    static errval_t opened = VSIC_ERR_NO_SERVICE;
    static bool tried;
    if (!tried) {
        tried = true;
        opened = vsic_open(&v, vsic_service(), VSIC_BLK_BUF_BYTES);
    }
    if (err_is_fail(opened))
        return opened;
    if (nblks >= VSIC_BLK_MAX)
        return VSIC_ERR_TOO_MANY;
    unsigned h;
    uint64_t blocks = VSIC_BLK_DEFAULT_BLOCKS;
    errval_t err = vsic_vsa_acquire(&v, name, VSIC_RIGHT_READ | VSIC_RIGHT_WRITE, &h, &blocks);
    if (err_no(err) == VSA_ERR_NOT_FOUND) {
        blocks = VSIC_BLK_DEFAULT_BLOCKS;
        err = vsic_vsa_create(&v, name, blocks, &h);
    }
    if (err_is_fail(err))
        return err;
    struct vsic_blk *b = &blks[nblks++];
    vsic_blk_init(b, &v, h, blocks);
    *dev = &b->dev;
    return ERR_OK;
}
