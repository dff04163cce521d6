/*
 * vsafs.c: the VSA file system's calls (vsafs/vsafs.h) and its life on
 * the device: format, mount, the log of changes, checkpoints.
 *
 * On-disk layout (blocks of the device's size):
 *
 *   0                  superblock, in the block's first 512-byte sector
 *                      (one sector is never torn: rewriting it switches
 *                      checkpoints atomically): magic "VSFS", version,
 *                      block size, blocks, slot_blocks, log_first,
 *                      log_blocks, gen (the live checkpoint is in slot
 *                      gen & 1), ckpt_seq (the last log record the
 *                      checkpoint holds), ckpt_bytes and ckpt_crc (CRC32C
 *                      of the image), the superblock's own CRC32C.
 *   1 ..               checkpoint slot 0 (slot_blocks blocks)
 *   1 + slot_blocks .. checkpoint slot 1
 *   log_first ..       a lib/tenacious log (log_blocks blocks, a quarter
 *                      of the device) of change records (vsafs_priv.h:
 *                      create, remove, rename, write with its bytes,
 *                      truncate, chmod), each the whole of one change.
 *
 * The image of the tree is described in vsafs_tree.c.
 *
 * Mount reads the superblock, loads the checkpoint it names (CRC checked),
 * then applies the log's records numbered after ckpt_seq, in order, and
 * checks the tree. A change is applied in memory and its record queued on
 * the log; vsafs_sync waits for the log. When the log has no room the
 * tree is written whole to the other slot, flushed, the superblock
 * rewritten to name it (gen + 1) and flushed, and only then the log reset:
 * a crash before the superblock lands leaves the old checkpoint and the
 * whole log; after it, the new checkpoint, and the records it holds are
 * skipped by their numbers.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <tenacious/blksync.h>
#include "vsafs_priv.h"

#define VS_SB_MAGIC 0x53465356u         /* "VSFS" */
#define VS_SB_VERSION 1
#define VS_MIN_BLOCKS 64

struct vs_super {
    uint32_t magic, version;
    uint32_t block_size, crc;           /* crc: CRC32C of the struct with crc = 0 */
    uint64_t blocks, slot_blocks, log_first, log_blocks;
    uint64_t gen, ckpt_seq, ckpt_bytes;
    uint32_t ckpt_crc, pad;
};
_Static_assert(sizeof(struct vs_super) <= 512, "the superblock must fit one sector");

static uint32_t vs_super_crc(struct vs_super s)
{
    s.crc = 0;
    return tenacious_crc32c(0, &s, sizeof(s));
}

static bool vs_super_valid(const struct vs_super *s, const struct blk_dev *dev)
{
    return s->magic == VS_SB_MAGIC && s->version == VS_SB_VERSION && s->crc == vs_super_crc(*s) &&
           s->block_size == dev->block_size && s->blocks <= dev->blocks &&
           s->slot_blocks >= 1 && s->log_first == 1 + 2 * s->slot_blocks &&
           s->log_first + s->log_blocks <= s->blocks &&
           s->ckpt_bytes <= s->slot_blocks * s->block_size;
}

/* --- Moving images and superblocks --- */

/* Reads `bytes` of a checkpoint image from `block` on into img, through
 * one DMA bounce buffer, in requests of at most max_io_blocks. */
static errval_t vs_slot_read(struct blk_dev *dev, uint64_t block, uint8_t *img, uint64_t bytes)
{
    uint32_t bs = dev->block_size, io = dev->max_io_blocks < 64 ? dev->max_io_blocks : 64;
    uint8_t *b = dev->ops->buf_alloc(dev, (size_t)io * bs);
    if (!b)
        return TENACIOUS_ERR_NO_MEMORY;
    uint64_t blocks = (bytes + bs - 1) / bs;
    errval_t err = ERR_OK;
    for (uint64_t done = 0; done < blocks && err_is_ok(err); done += io) {
        uint32_t n = blocks - done < io ? (uint32_t)(blocks - done) : io;
        size_t off = (size_t)done * bs, len = (size_t)n * bs;
        if (off + len > bytes)
            len = (size_t)(bytes - off);
        err = blk_read_sync(dev, block + done, n, b);
        if (err_is_ok(err))
            memcpy(img + off, b, len);
    }
    dev->ops->buf_free(dev, b);
    return err;
}

static errval_t vs_super_write(struct blk_dev *dev, const struct vs_super *s)
{
    uint8_t *b = dev->ops->buf_alloc(dev, dev->block_size);
    if (!b)
        return TENACIOUS_ERR_NO_MEMORY;
    memcpy(b, s, sizeof(*s));
    errval_t err = blk_write_sync(dev, 0, 1, b);
    if (err_is_ok(err))
        err = blk_flush_sync(dev);
    dev->ops->buf_free(dev, b);
    return err;
}

static errval_t vs_super_read(struct blk_dev *dev, struct vs_super *s)
{
    uint8_t *b = dev->ops->buf_alloc(dev, dev->block_size);
    if (!b)
        return TENACIOUS_ERR_NO_MEMORY;
    errval_t err = blk_read_sync(dev, 0, 1, b);
    memcpy(s, b, sizeof(*s));
    dev->ops->buf_free(dev, b);
    return err;
}

/* A checkpoint on its way to a slot: the image streams through one DMA
 * buffer, written a buffer at a time, its CRC taken as it goes (no second
 * copy of the tree in memory: a domain's RAM is small). */
struct vs_stream {
    struct blk_dev *dev;
    uint64_t block;                     /* where the buffer goes next */
    uint8_t *buf;
    size_t fill, cap;
    uint32_t crc;
    errval_t err;
};

static int vs_stream_out(struct vs_stream *st)
{
    uint32_t bs = st->dev->block_size, n = (uint32_t)((st->fill + bs - 1) / bs);
    memset(st->buf + st->fill, 0, (size_t)n * bs - st->fill);
    st->err = blk_write_sync(st->dev, st->block, n, st->buf);
    st->block += n;
    st->fill = 0;
    return err_is_fail(st->err) ? -EIO : 0;
}

static int vs_stream_emit(void *cookie, const void *data, size_t n)
{
    struct vs_stream *st = cookie;
    const uint8_t *p = data;
    st->crc = tenacious_crc32c(st->crc, p, n);
    while (n) {
        size_t k = st->cap - st->fill < n ? st->cap - st->fill : n;
        memcpy(st->buf + st->fill, p, k);
        st->fill += k;
        p += k;
        n -= k;
        if (st->fill == st->cap && vs_stream_out(st))
            return -EIO;
    }
    return 0;
}

/* Writes the tree to the slot of generation `gen`, flushes, and returns
 * the superblock that names it (not yet written). */
static errval_t vs_image_save(struct vsafs *fs, uint64_t gen, uint64_t seq, struct vs_super *s)
{
    uint64_t bytes = vs_image_bytes(fs);
    struct blk_dev *dev = fs->dev;
    uint32_t bs = dev->block_size, io = dev->max_io_blocks < 64 ? dev->max_io_blocks : 64;
    if (bytes > fs->slot_blocks * bs)
        return VSAFS_ERR_DEVICE;
    struct vs_stream st = { .dev = dev, .block = 1 + (gen & 1) * fs->slot_blocks,
                            .cap = (size_t)io * bs };
    if (!(st.buf = dev->ops->buf_alloc(dev, st.cap)))
        return TENACIOUS_ERR_NO_MEMORY;
    int r = vs_image_emit(fs, gen, seq, vs_stream_emit, &st);
    if (!r && st.fill)
        r = vs_stream_out(&st);
    dev->ops->buf_free(dev, st.buf);
    errval_t err = r ? (err_is_fail(st.err) ? st.err : TENACIOUS_ERR_IO) : blk_flush_sync(dev);
    *s = (struct vs_super){ .magic = VS_SB_MAGIC, .version = VS_SB_VERSION, .block_size = bs,
                            .blocks = dev->blocks, .slot_blocks = fs->slot_blocks,
                            .log_first = fs->log_first, .log_blocks = fs->log_blocks,
                            .gen = gen, .ckpt_seq = seq, .ckpt_bytes = bytes, .ckpt_crc = st.crc };
    s->crc = vs_super_crc(*s);
    return err;
}

errval_t vsafs_format(struct blk_dev *dev)
{
    if (!dev || !dev->ops)
        return TENACIOUS_ERR_ARGS;
    if (dev->blocks < VS_MIN_BLOCKS || (dev->block_size != 512 && dev->block_size != 4096))
        return VSAFS_ERR_DEVICE;
    struct vsafs fs = { .dev = dev };
    fs.log_blocks = dev->blocks / 4;
    fs.slot_blocks = (dev->blocks - 1 - fs.log_blocks) / 2;
    fs.log_first = 1 + 2 * fs.slot_blocks;
    fs.log_blocks = dev->blocks - fs.log_first;
    if (vs_tree_init(&fs))
        return TENACIOUS_ERR_NO_MEMORY;
    struct vs_super s;
    errval_t err = vs_image_save(&fs, 0, 0, &s);
    vs_tree_free(&fs);
    if (err_is_ok(err))
        err = tenacious_format(dev, fs.log_first, fs.log_blocks);
    if (err_is_ok(err))
        err = vs_super_write(dev, &s);
    return err;
}

/* --- Mount --- */

static errval_t vs_replay(void *cookie, uint64_t seq, const void *data, size_t len)
{
    struct vsafs *fs = cookie;
    if (seq <= fs->replay_from)
        return ERR_OK;                  /* in the checkpoint already */
    return vs_apply(fs, data, len) ? VSAFS_ERR_CORRUPT : ERR_OK;
}

static void vs_free(struct vsafs *fs)
{
    vs_tree_free(fs);
    free(fs->rec);
    free(fs);
}

errval_t vsafs_open(struct blk_dev *dev, bool format_if_empty, struct vsafs **out)
{
    if (!dev || !dev->ops || !out)
        return TENACIOUS_ERR_ARGS;
    struct vs_super s;
    errval_t err = vs_super_read(dev, &s);
    if (err_is_fail(err))
        return err;
    if (!vs_super_valid(&s, dev)) {
        if (!format_if_empty)
            return VSAFS_ERR_NO_FS;
        if (err_is_fail(err = vsafs_format(dev)) || err_is_fail(err = vs_super_read(dev, &s)))
            return err;
        if (!vs_super_valid(&s, dev))
            return VSAFS_ERR_NO_FS;
    }
    struct vsafs *fs = calloc(1, sizeof(*fs));
    if (!fs)
        return TENACIOUS_ERR_NO_MEMORY;
    *fs = (struct vsafs){ .dev = dev, .slot_blocks = s.slot_blocks, .log_first = s.log_first,
                          .log_blocks = s.log_blocks, .gen = s.gen, .replay_from = s.ckpt_seq };
    uint8_t *img = malloc(s.ckpt_bytes ? (size_t)s.ckpt_bytes : 1);
    if (!img) {
        vs_free(fs);
        return TENACIOUS_ERR_NO_MEMORY;
    }
    err = vs_slot_read(dev, 1 + (s.gen & 1) * s.slot_blocks, img, s.ckpt_bytes);
    if (err_is_ok(err) && (tenacious_crc32c(0, img, (size_t)s.ckpt_bytes) != s.ckpt_crc ||
                           vs_image_read(fs, img, s.ckpt_bytes)))
        err = VSAFS_ERR_CORRUPT;
    free(img);
    if (err_is_ok(err)) {
        err = tenacious_open(dev, s.log_first, s.log_blocks, vs_replay, fs, &fs->log);
    }
    if (err_is_ok(err) && vsafs_check(fs, NULL, 0))
        err = VSAFS_ERR_CORRUPT;
    if (err_is_ok(err)) {
        fs->max_rec = tenacious_max_record(fs->log);
        if (!(fs->rec = malloc(fs->max_rec)))
            err = TENACIOUS_ERR_NO_MEMORY;
    }
    if (err_is_fail(err)) {
        if (fs->log)
            tenacious_close(fs->log);
        vs_free(fs);
        return err;
    }
    *out = fs;
    return ERR_OK;
}

errval_t vsafs_close(struct vsafs *fs)
{
    if (!fs)
        return TENACIOUS_ERR_ARGS;
    int r = vsafs_sync(fs);
    tenacious_close(fs->log);
    vs_free(fs);
    return r ? TENACIOUS_ERR_IO : ERR_OK;
}

/* --- Checkpoints and the log --- */

static int vs_broken(struct vsafs *fs)
{
    fs->broken = true;
    return -EIO;
}

int vsafs_checkpoint(struct vsafs *fs)
{
    if (fs->broken)
        return -EIO;
    uint64_t last = tenacious_next_seq(fs->log) - 1;
    if (last > tenacious_durable_seq(fs->log) && err_is_fail(tenacious_wait(fs->log, last)))
        return vs_broken(fs);
    struct vs_super s;
    errval_t err = vs_image_save(fs, fs->gen + 1, last, &s);
    if (err_no(err) == VSAFS_ERR_DEVICE)
        return -ENOSPC;                 /* the room checks make this unreachable */
    if (err_is_ok(err))
        err = vs_super_write(fs->dev, &s);
    if (err_is_ok(err)) {
        fs->gen++;
        fs->replay_from = last;
        fs->stats.checkpoints++;
        err = tenacious_reset(fs->log);
    }
    return err_is_fail(err) ? vs_broken(fs) : 0;
}

/* Queues the record of a change just applied (len bytes of fs->rec). */
static int vs_commit(struct vsafs *fs, size_t len)
{
    /* Completions that have arrived run now, so the batch in flight
     * finishes and the next can go even if nobody syncs. */
    if (err_is_fail(tenacious_poll(fs->log)))
        return vs_broken(fs);
    for (;;) {
        errval_t err = tenacious_append(fs->log, fs->rec, len, NULL, NULL, NULL);
        if (err_is_ok(err)) {
            fs->stats.records++;
            return 0;
        }
        if (err_no(err) == TENACIOUS_ERR_FULL)
            return vsafs_checkpoint(fs);        /* the tree has the change */
        if (err_no(err) != TENACIOUS_ERR_BUSY ||
            err_is_fail(tenacious_wait(fs->log, tenacious_next_seq(fs->log) - 1)))
            return vs_broken(fs);
    }
}

/* Applies the record in fs->rec and logs it. */
static int vs_change(struct vsafs *fs, size_t len, bool log)
{
    if (fs->broken)
        return -EIO;
    int r = vs_apply(fs, fs->rec, len);
    return r ? r : log ? vs_commit(fs, len) : 0;
}

int vsafs_sync(struct vsafs *fs)
{
    if (fs->broken)
        return -EIO;
    uint64_t last = tenacious_next_seq(fs->log) - 1;
    if (last <= tenacious_durable_seq(fs->log))
        return 0;
    fs->stats.syncs_waited++;
    return err_is_fail(tenacious_wait(fs->log, last)) ? vs_broken(fs) : 0;
}

/* --- Paths --- */

/* The inode of the first `len` bytes of `path`. */
static int vs_walk(struct vsafs *fs, const char *path, size_t len, uint32_t *out)
{
    if (!path || path[0] != '/')
        return -EINVAL;
    uint32_t ino = VSAFS_ROOT_INO;
    for (size_t i = 0; i < len;) {
        while (i < len && path[i] == '/')
            i++;
        if (i == len)
            break;
        size_t j = i;
        while (j < len && path[j] != '/')
            j++;
        struct vs_inode *d = &fs->inodes[ino];
        if (!d->dir)
            return -ENOTDIR;
        if (j - i > VSAFS_NAME_MAX)
            return -ENAMETOOLONG;
        long k = -1;
        for (uint32_t e = 0; e < d->nent && k < 0; e++)
            if (strlen(d->ents[e].name) == j - i && memcmp(d->ents[e].name, path + i, j - i) == 0)
                k = e;
        if (k < 0)
            return -ENOENT;
        ino = d->ents[k].ino;
        i = j;
    }
    *out = ino;
    return 0;
}

int vsafs_lookup(struct vsafs *fs, const char *path, uint32_t *ino)
{
    return vs_walk(fs, path, path ? strlen(path) : 0, ino);
}

/* The directory holding the last name of `path`, and that name: -EBUSY
 * for "/" (it has none). */
static int vs_split(struct vsafs *fs, const char *path, uint32_t *parent, const char **name, size_t *n)
{
    if (!path || path[0] != '/')
        return -EINVAL;
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/')
        len--;
    size_t s = len;
    while (s > 0 && path[s - 1] != '/')
        s--;
    if (s == len)
        return -EBUSY;
    *name = path + s;
    *n = len - s;
    if (*n > VSAFS_NAME_MAX)
        return -ENAMETOOLONG;
    if ((*n == 1 && (*name)[0] == '.') || (*n == 2 && (*name)[0] == '.' && (*name)[1] == '.'))
        return -EINVAL;
    int r = vs_walk(fs, path, s, parent);
    if (r)
        return r;
    return fs->inodes[*parent].dir ? 0 : -ENOTDIR;
}

static bool vs_exists(struct vsafs *fs, uint32_t dir, const char *name, size_t n, uint32_t *ino)
{
    struct vs_inode *d = &fs->inodes[dir];
    for (uint32_t e = 0; e < d->nent; e++)
        if (strlen(d->ents[e].name) == n && memcmp(d->ents[e].name, name, n) == 0) {
            if (ino)
                *ino = d->ents[e].ino;
            return true;
        }
    return false;
}

int vsafs_create(struct vsafs *fs, const char *path, bool dir, uint32_t mode, uint32_t *ino)
{
    uint32_t parent;
    const char *name;
    size_t n;
    int r = vs_split(fs, path, &parent, &name, &n);
    if (r)
        return r == -EBUSY ? -EEXIST : r;
    if (vs_exists(fs, parent, name, n, NULL))
        return -EEXIST;
    uint32_t new = 2;
    while (new < fs->ninodes && fs->inodes[new].used)
        new++;
    uint8_t *p = fs->rec;
    p = vs_put(p, VS_OP_CREATE, 1);
    p = vs_put(p, parent, 4);
    p = vs_put(p, new, 4);
    p = vs_put(p, mode & 07777, 4);
    p = vs_put(p, dir, 1);
    p = vs_put(p, n, 2);
    memcpy(p, name, n);
    r = vs_change(fs, (size_t)(p - fs->rec) + n, true);
    if (!r && ino)
        *ino = new;
    return r;
}

int vsafs_remove(struct vsafs *fs, const char *path, bool dir)
{
    uint32_t parent;
    const char *name;
    size_t n;
    int r = vs_split(fs, path, &parent, &name, &n);
    if (r)
        return r;
    if (!vs_exists(fs, parent, name, n, NULL))
        return -ENOENT;
    uint8_t *p = fs->rec;
    p = vs_put(p, VS_OP_REMOVE, 1);
    p = vs_put(p, parent, 4);
    p = vs_put(p, dir, 1);
    p = vs_put(p, n, 2);
    memcpy(p, name, n);
    return vs_change(fs, (size_t)(p - fs->rec) + n, true);
}

int vsafs_rename(struct vsafs *fs, const char *from, const char *to)
{
    uint32_t sp, dp;
    const char *sn, *dn;
    size_t sl, dl;
    int r = vs_split(fs, from, &sp, &sn, &sl);
    if (!r)
        r = vs_split(fs, to, &dp, &dn, &dl);
    if (r)
        return r;
    if (!vs_exists(fs, sp, sn, sl, NULL))
        return -ENOENT;
    uint8_t *p = fs->rec;
    p = vs_put(p, VS_OP_RENAME, 1);
    p = vs_put(p, sp, 4);
    p = vs_put(p, dp, 4);
    p = vs_put(p, sl, 2);
    p = vs_put(p, dl, 2);
    memcpy(p, sn, sl);
    memcpy(p + sl, dn, dl);
    return vs_change(fs, (size_t)(p - fs->rec) + sl + dl, true);
}

/* --- Files --- */

ssize_t vsafs_read(struct vsafs *fs, uint32_t ino, void *buf, size_t n, uint64_t off)
{
    struct vs_inode *in = vs_ino(fs, ino);
    if (!in)
        return -EBADF;
    if (in->dir)
        return -EISDIR;
    if (off >= in->size)
        return 0;
    if (n > in->size - off)
        n = (size_t)(in->size - off);
    memcpy(buf, in->data + off, n);
    return (ssize_t)n;
}

ssize_t vsafs_write(struct vsafs *fs, uint32_t ino, const void *buf, size_t n, uint64_t off)
{
    struct vs_inode *in = vs_ino(fs, ino);
    if (!in)
        return -EBADF;
    if (in->dir)
        return -EISDIR;
    if (off + n < off || off + n > (uint64_t)SIZE_MAX / 2)
        return -EFBIG;
    size_t chunk = fs->max_rec - VS_WRITE_HDR, done = 0;
    while (done < n) {
        size_t k = n - done < chunk ? n - done : chunk;
        in = vs_ino(fs, ino);
        uint8_t *p = fs->rec;
        p = vs_put(p, VS_OP_WRITE, 1);
        p = vs_put(p, ino, 4);
        p = vs_put(p, off + done, 8);
        p = vs_put(p, k, 4);
        memcpy(p, (const uint8_t *)buf + done, k);
        /* An unlinked file's bytes die with its last holder: no record. */
        int r = vs_change(fs, VS_WRITE_HDR + k, in->nlink > 0);
        if (r)
            return done ? (ssize_t)done : r;
        done += k;
    }
    return (ssize_t)n;
}

int vsafs_truncate(struct vsafs *fs, uint32_t ino, uint64_t len)
{
    struct vs_inode *in = vs_ino(fs, ino);
    if (!in)
        return -EBADF;
    if (in->dir)
        return -EISDIR;
    if (len > (uint64_t)SIZE_MAX / 2)
        return -EFBIG;
    uint8_t *p = fs->rec;
    p = vs_put(p, VS_OP_TRUNC, 1);
    p = vs_put(p, ino, 4);
    p = vs_put(p, len, 8);
    return vs_change(fs, (size_t)(p - fs->rec), in->nlink > 0);
}

int vsafs_chmod(struct vsafs *fs, uint32_t ino, uint32_t mode)
{
    struct vs_inode *in = vs_ino(fs, ino);
    if (!in)
        return -EBADF;
    uint8_t *p = fs->rec;
    p = vs_put(p, VS_OP_CHMOD, 1);
    p = vs_put(p, ino, 4);
    p = vs_put(p, mode & 07777, 4);
    return vs_change(fs, (size_t)(p - fs->rec), in->nlink > 0);
}

int vsafs_getattr(struct vsafs *fs, uint32_t ino, struct vsafs_attr *attr)
{
    struct vs_inode *in = vs_ino(fs, ino);
    if (!in)
        return -EBADF;
    uint32_t subdirs = 0;
    for (uint32_t e = 0; in->dir && e < in->nent; e++)
        subdirs += fs->inodes[in->ents[e].ino].dir;
    *attr = (struct vsafs_attr){ .ino = ino, .dir = in->dir, .mode = in->mode,
                                 .nlink = in->dir ? 2 + subdirs : in->nlink,
                                 .size = in->dir ? 0 : in->size };
    return 0;
}

int vsafs_readdir(struct vsafs *fs, uint32_t ino, long index, char *name, uint32_t *child)
{
    struct vs_inode *in = vs_ino(fs, ino);
    if (!in)
        return -EBADF;
    if (!in->dir)
        return -ENOTDIR;
    if (index < 0)
        return -EINVAL;
    if (index < 2) {
        strcpy(name, index == 0 ? "." : "..");
        *child = index == 0 ? ino : in->parent;
        return 0;
    }
    if ((uint64_t)(index - 2) >= in->nent)
        return 1;
    strcpy(name, in->ents[index - 2].name);
    *child = in->ents[index - 2].ino;
    return 0;
}

int vsafs_hold(struct vsafs *fs, uint32_t ino)
{
    struct vs_inode *in = vs_ino(fs, ino);
    if (!in)
        return -EBADF;
    in->holds++;
    return 0;
}

void vsafs_release(struct vsafs *fs, uint32_t ino)
{
    struct vs_inode *in = vs_ino(fs, ino);
    if (!in || in->holds == 0)
        return;
    if (--in->holds == 0 && in->nlink == 0 && !in->dir)
        vs_inode_free(fs, ino);
}

void vsafs_get_stats(const struct vsafs *fs, struct vsafs_stats *st)
{
    *st = fs->stats;
}
