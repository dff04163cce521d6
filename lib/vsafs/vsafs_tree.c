/*
 * vsafs_tree.c: the tree of a vsafs in memory, and the two ways it
 * changes: one change record at a time (vs_apply, the same code when a
 * change is made and when mount replays the log, so both give the same
 * tree), and whole, from or into a checkpoint image.
 *
 * Inode i is fs->inodes[i]; 1 is the root, whose parent is itself. A
 * directory holds an array of (name, ino); a file, one buffer of its
 * bytes. A file has one name (nlink 1) or, unlinked while held open,
 * none (nlink 0) until released. Records and images are little-endian,
 * read with bounds checks: a record passed its CRC, but a wrong one must
 * give an error, never a wild write.
 *
 * Checkpoint image: "VSCK", u32 version, u64 gen, u64 seq (the last log
 * record it holds), u32 inode count, u32 inode table size; then per inode
 * with a name: u32 ino, u32 mode, u8 dir, u32 parent, u64 size, u32 nent;
 * a file's size bytes, or a directory's nent x (u32 ino, u16 nlen, name).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vsafs_priv.h"

#define VS_IMG_MAGIC 0x4b435356u        /* "VSCK" */
#define VS_IMG_VERSION 1
#define VS_IMG_HDR (4 + 4 + 8 + 8 + 4 + 4)
#define VS_IMG_INODE (4 + 4 + 1 + 4 + 8 + 4)
#define VS_IMG_DIRENT (4 + 2)
/* The most inodes a tree may have: the table is an array of them (about
 * 70 bytes each, 4.5 MiB at most), and a domain's heap is small. */
#define VS_INODES_MAX (1u << 16)

/* --- Reading and writing little-endian fields --- */

struct vs_cur {
    const uint8_t *p;
    size_t left;
    bool bad;
};

static uint64_t vs_get(struct vs_cur *c, unsigned bytes)
{
    if (c->left < bytes) {
        c->bad = true;
        c->left = 0;
        return 0;
    }
    uint64_t v = 0;
    for (unsigned i = 0; i < bytes; i++)
        v |= (uint64_t)c->p[i] << (8 * i);
    c->p += bytes;
    c->left -= bytes;
    return v;
}

static const uint8_t *vs_get_bytes(struct vs_cur *c, size_t n)
{
    if (c->left < n) {
        c->bad = true;
        c->left = 0;
        return NULL;
    }
    const uint8_t *p = c->p;
    c->p += n;
    c->left -= n;
    return p;
}

uint8_t *vs_put(uint8_t *p, uint64_t v, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++)
        p[i] = (uint8_t)(v >> (8 * i));
    return p + bytes;
}

/* --- Inodes and directories --- */

struct vs_inode *vs_ino(struct vsafs *fs, uint32_t ino)
{
    return ino < fs->ninodes && fs->inodes[ino].used ? &fs->inodes[ino] : NULL;
}

static int vs_table_grow(struct vsafs *fs, uint32_t ino)
{
    if (ino < fs->ninodes)
        return 0;
    if (ino >= VS_INODES_MAX)
        return -ENOSPC;
    uint32_t n = fs->ninodes ? fs->ninodes : 16;
    while (n <= ino)
        n *= 2;
    struct vs_inode *t = realloc(fs->inodes, n * sizeof(*t));
    if (!t)
        return -ENOMEM;
    memset(t + fs->ninodes, 0, (n - fs->ninodes) * sizeof(*t));
    fs->inodes = t;
    fs->ninodes = n;
    return 0;
}

void vs_inode_free(struct vsafs *fs, uint32_t ino)
{
    struct vs_inode *in = &fs->inodes[ino];
    free(in->data);
    for (uint32_t i = 0; i < in->nent; i++)
        free(in->ents[i].name);
    free(in->ents);
    memset(in, 0, sizeof(*in));
}

static long vs_find(const struct vs_inode *d, const uint8_t *name, size_t n)
{
    for (uint32_t i = 0; i < d->nent; i++)
        if (strlen(d->ents[i].name) == n && memcmp(d->ents[i].name, name, n) == 0)
            return i;
    return -1;
}

static bool vs_name_ok(const uint8_t *name, size_t n)
{
    if (n == 0 || n > VSAFS_NAME_MAX || (n == 1 && name[0] == '.') ||
        (n == 2 && name[0] == '.' && name[1] == '.'))
        return false;
    for (size_t i = 0; i < n; i++)
        if (name[i] == '/' || name[i] == 0)
            return false;
    return true;
}

static int vs_link(struct vs_inode *d, const uint8_t *name, size_t n, uint32_t ino)
{
    if (d->nent == d->entcap) {
        uint32_t cap = d->entcap ? 2 * d->entcap : 8;
        struct vs_dirent *e = realloc(d->ents, cap * sizeof(*e));
        if (!e)
            return -ENOMEM;
        d->ents = e;
        d->entcap = cap;
    }
    char *s = malloc(n + 1);
    if (!s)
        return -ENOMEM;
    memcpy(s, name, n);
    s[n] = 0;
    d->ents[d->nent++] = (struct vs_dirent){ .name = s, .ino = ino };
    return 0;
}

static void vs_unlink_at(struct vs_inode *d, long i)
{
    free(d->ents[i].name);
    d->ents[i] = d->ents[--d->nent];
}

/* A name is gone from its inode: free it unless still held. */
static void vs_drop(struct vsafs *fs, uint32_t ino)
{
    struct vs_inode *in = &fs->inodes[ino];
    in->nlink--;
    if (in->dir || (in->nlink == 0 && in->holds == 0))
        vs_inode_free(fs, ino);
}

static int vs_resize(struct vs_inode *in, uint64_t size)
{
    if (size > (uint64_t)SIZE_MAX / 2)
        return -EFBIG;                  /* (and the doubling below cannot overflow) */
    if (size > in->cap) {
        uint64_t cap = in->cap ? in->cap : 64;
        while (cap < size)
            cap *= 2;
        uint8_t *d = realloc(in->data, (size_t)cap);
        if (!d)
            return -ENOSPC;
        in->data = d;
        in->cap = cap;
    }
    if (size > in->size)
        memset(in->data + in->size, 0, (size_t)(size - in->size));
    in->size = size;
    return 0;
}

/* Is `a` the directory `b` or one above it? */
static bool vs_is_ancestor(struct vsafs *fs, uint32_t a, uint32_t b)
{
    for (uint32_t i = 0; i < fs->ninodes; i++) {      /* bounded: no cycles even if corrupt */
        if (b == a)
            return true;
        if (b == VSAFS_ROOT_INO)
            return false;
        struct vs_inode *in = vs_ino(fs, b);
        if (!in)
            return false;
        b = in->parent;
    }
    return false;
}

/* --- Applying a record --- */

/* Would the tree, `growth` bytes larger, still fit a checkpoint slot?
 * Every record that grows the tree asks first, so no record (run time or
 * replay, genuine or forged) can make a tree no checkpoint can hold. */
static int vs_room(struct vsafs *fs, uint64_t growth)
{
    uint64_t cap = fs->slot_blocks * fs->dev->block_size;
    return growth > cap || vs_image_bytes(fs) > cap - growth ? -ENOSPC : 0;
}

/* A file grows to `size`: if the tree then fits a slot (an unlinked
 * file is in no checkpoint, but its memory is bounded all the same). */
static int vs_grow(struct vsafs *fs, struct vs_inode *in, uint64_t size)
{
    uint64_t cap = fs->slot_blocks * fs->dev->block_size;
    int err = size > cap ? -ENOSPC : in->nlink ? vs_room(fs, size - in->size) : 0;
    return err ? err : vs_resize(in, size);
}

static int vs_apply_create(struct vsafs *fs, struct vs_cur *c)
{
    uint32_t parent = (uint32_t)vs_get(c, 4), ino = (uint32_t)vs_get(c, 4);
    uint32_t mode = (uint32_t)vs_get(c, 4);
    bool dir = vs_get(c, 1) != 0;
    size_t n = (size_t)vs_get(c, 2);
    const uint8_t *name = vs_get_bytes(c, n);
    if (c->bad || c->left || !vs_name_ok(name, n) || ino <= VSAFS_ROOT_INO)
        return -EINVAL;
    struct vs_inode *d = vs_ino(fs, parent);
    if (!d || !d->dir)
        return -ENOTDIR;
    if (vs_find(d, name, n) >= 0)
        return -EEXIST;
    int err = vs_room(fs, VS_IMG_INODE + VS_IMG_DIRENT + n);
    if (!err)
        err = vs_table_grow(fs, ino);
    if (err)
        return err;
    d = vs_ino(fs, parent);             /* the table may have moved */
    if (fs->inodes[ino].used)
        return -EEXIST;
    err = vs_link(d, name, n, ino);
    if (err)
        return err;
    fs->inodes[ino] = (struct vs_inode){ .used = true, .dir = dir, .mode = mode & 07777,
                                         .nlink = 1, .parent = parent };
    return 0;
}

static int vs_apply_remove(struct vsafs *fs, struct vs_cur *c)
{
    uint32_t parent = (uint32_t)vs_get(c, 4);
    bool dir = vs_get(c, 1) != 0;
    size_t n = (size_t)vs_get(c, 2);
    const uint8_t *name = vs_get_bytes(c, n);
    if (c->bad || c->left)
        return -EINVAL;
    struct vs_inode *d = vs_ino(fs, parent);
    if (!d || !d->dir)
        return -ENOTDIR;
    long i = vs_find(d, name, n);
    if (i < 0)
        return -ENOENT;
    uint32_t ino = d->ents[i].ino;
    struct vs_inode *in = &fs->inodes[ino];
    if (dir && !in->dir)
        return -ENOTDIR;
    if (!dir && in->dir)
        return -EISDIR;
    if (in->dir && in->nent)
        return -ENOTEMPTY;
    vs_unlink_at(d, i);
    vs_drop(fs, ino);
    return 0;
}

static int vs_apply_rename(struct vsafs *fs, struct vs_cur *c)
{
    uint32_t sp = (uint32_t)vs_get(c, 4), dp = (uint32_t)vs_get(c, 4);
    size_t sn = (size_t)vs_get(c, 2), dn = (size_t)vs_get(c, 2);
    const uint8_t *sname = vs_get_bytes(c, sn), *dname = vs_get_bytes(c, dn);
    if (c->bad || c->left || !vs_name_ok(dname, dn))
        return -EINVAL;
    struct vs_inode *sd = vs_ino(fs, sp), *dd = vs_ino(fs, dp);
    if (!sd || !sd->dir || !dd || !dd->dir)
        return -ENOTDIR;
    long si = vs_find(sd, sname, sn);
    if (si < 0)
        return -ENOENT;
    uint32_t ino = sd->ents[si].ino;
    struct vs_inode *in = &fs->inodes[ino];
    if (in->dir && vs_is_ancestor(fs, ino, dp))
        return -EINVAL;                 /* into itself */
    long di = vs_find(dd, dname, dn);
    if (di >= 0) {
        uint32_t old = dd->ents[di].ino;
        if (old == ino)
            return 0;                   /* the same file: nothing to do (POSIX) */
        struct vs_inode *o = &fs->inodes[old];
        if (in->dir && !o->dir)
            return -ENOTDIR;
        if (!in->dir && o->dir)
            return -EISDIR;
        if (o->dir && o->nent)
            return -ENOTEMPTY;
        /* Replace: the name now names ino; the old inode loses it. */
        dd->ents[di].ino = ino;
        vs_unlink_at(sd, si);
        vs_drop(fs, old);
    } else {
        int err = vs_room(fs, VS_IMG_DIRENT + dn);
        if (!err)
            err = vs_link(dd, dname, dn, ino);
        if (err)
            return err;
        sd = vs_ino(fs, sp);
        vs_unlink_at(sd, vs_find(sd, sname, sn));
    }
    if (in->dir)
        in->parent = dp;
    return 0;
}

static int vs_apply_write(struct vsafs *fs, struct vs_cur *c)
{
    uint32_t ino = (uint32_t)vs_get(c, 4);
    uint64_t off = vs_get(c, 8);
    size_t n = (size_t)vs_get(c, 4);
    const uint8_t *data = vs_get_bytes(c, n);
    if (c->bad || c->left)
        return -EINVAL;
    struct vs_inode *in = vs_ino(fs, ino);
    if (!in)
        return -ENOENT;
    if (in->dir)
        return -EISDIR;
    if (off + n < off)
        return -EFBIG;
    if (off + n > in->size) {
        int err = vs_grow(fs, in, off + n);
        if (err)
            return err;
    }
    memcpy(in->data + off, data, n);
    return 0;
}

static int vs_apply_trunc(struct vsafs *fs, struct vs_cur *c)
{
    uint32_t ino = (uint32_t)vs_get(c, 4);
    uint64_t len = vs_get(c, 8);
    if (c->bad || c->left)
        return -EINVAL;
    struct vs_inode *in = vs_ino(fs, ino);
    if (!in)
        return -ENOENT;
    if (in->dir)
        return -EISDIR;
    return len > in->size ? vs_grow(fs, in, len) : vs_resize(in, len);
}

static int vs_apply_chmod(struct vsafs *fs, struct vs_cur *c)
{
    uint32_t ino = (uint32_t)vs_get(c, 4), mode = (uint32_t)vs_get(c, 4);
    if (c->bad || c->left)
        return -EINVAL;
    struct vs_inode *in = vs_ino(fs, ino);
    if (!in)
        return -ENOENT;
    in->mode = mode & 07777;
    return 0;
}

int vs_apply(struct vsafs *fs, const uint8_t *rec, size_t len)
{
    struct vs_cur c = { .p = rec, .left = len };
    switch (vs_get(&c, 1)) {
    case VS_OP_CREATE: return vs_apply_create(fs, &c);
    case VS_OP_REMOVE: return vs_apply_remove(fs, &c);
    case VS_OP_RENAME: return vs_apply_rename(fs, &c);
    case VS_OP_WRITE:  return vs_apply_write(fs, &c);
    case VS_OP_TRUNC:  return vs_apply_trunc(fs, &c);
    case VS_OP_CHMOD:  return vs_apply_chmod(fs, &c);
    default:           return -EINVAL;
    }
}

/* --- The whole tree --- */

int vs_tree_init(struct vsafs *fs)
{
    int err = vs_table_grow(fs, VSAFS_ROOT_INO);
    if (err)
        return err;
    fs->inodes[VSAFS_ROOT_INO] = (struct vs_inode){ .used = true, .dir = true, .mode = 0755,
                                                    .nlink = 1, .parent = VSAFS_ROOT_INO };
    return 0;
}

void vs_tree_free(struct vsafs *fs)
{
    for (uint32_t i = 0; i < fs->ninodes; i++)
        if (fs->inodes[i].used)
            vs_inode_free(fs, i);
    free(fs->inodes);
    fs->inodes = NULL;
    fs->ninodes = 0;
}

/* Inodes with a name (held unlinked ones are not in checkpoints: a
 * reboot closes every file). */
static bool vs_in_image(const struct vs_inode *in)
{
    return in->used && in->nlink > 0;
}

uint64_t vs_image_bytes(const struct vsafs *fs)
{
    uint64_t n = VS_IMG_HDR;
    for (uint32_t i = 0; i < fs->ninodes; i++) {
        const struct vs_inode *in = &fs->inodes[i];
        if (!vs_in_image(in))
            continue;
        n += VS_IMG_INODE + (in->dir ? 0 : in->size);
        for (uint32_t j = 0; j < in->nent; j++)
            n += VS_IMG_DIRENT + strlen(in->ents[j].name);
    }
    return n;
}

int vs_image_emit(const struct vsafs *fs, uint64_t gen, uint64_t seq, vs_emit_fn emit, void *cookie)
{
    uint32_t count = 0;
    for (uint32_t i = 0; i < fs->ninodes; i++)
        count += vs_in_image(&fs->inodes[i]);
    /* Fixed fields go through a small buffer; a file's bytes go as they are. */
    uint8_t hdr[VS_IMG_HDR + VS_IMG_INODE + VS_IMG_DIRENT], *p = hdr;
    p = vs_put(p, VS_IMG_MAGIC, 4);
    p = vs_put(p, VS_IMG_VERSION, 4);
    p = vs_put(p, gen, 8);
    p = vs_put(p, seq, 8);
    p = vs_put(p, count, 4);
    p = vs_put(p, fs->ninodes, 4);
    int err = emit(cookie, hdr, (size_t)(p - hdr));
    for (uint32_t i = 0; i < fs->ninodes && !err; i++) {
        const struct vs_inode *in = &fs->inodes[i];
        if (!vs_in_image(in))
            continue;
        p = hdr;
        p = vs_put(p, i, 4);
        p = vs_put(p, in->mode, 4);
        p = vs_put(p, in->dir, 1);
        p = vs_put(p, in->parent, 4);
        p = vs_put(p, in->dir ? 0 : in->size, 8);
        p = vs_put(p, in->nent, 4);
        err = emit(cookie, hdr, (size_t)(p - hdr));
        if (!err && !in->dir && in->size)
            err = emit(cookie, in->data, (size_t)in->size);
        for (uint32_t j = 0; j < in->nent && !err; j++) {
            size_t n = strlen(in->ents[j].name);
            p = hdr;
            p = vs_put(p, in->ents[j].ino, 4);
            p = vs_put(p, n, 2);
            err = emit(cookie, hdr, (size_t)(p - hdr));
            if (!err)
                err = emit(cookie, in->ents[j].name, n);
        }
    }
    return err;
}

static int vs_emit_mem(void *cookie, const void *data, size_t n)
{
    uint8_t **p = cookie;
    memcpy(*p, data, n);
    *p += n;
    return 0;
}

void vs_image_write(const struct vsafs *fs, uint8_t *img, uint64_t gen, uint64_t seq)
{
    (void)vs_image_emit(fs, gen, seq, vs_emit_mem, &img);
}

int vs_image_read(struct vsafs *fs, const uint8_t *img, uint64_t bytes)
{
    struct vs_cur c = { .p = img, .left = (size_t)bytes };
    if (vs_get(&c, 4) != VS_IMG_MAGIC || vs_get(&c, 4) != VS_IMG_VERSION)
        return -EINVAL;
    (void)vs_get(&c, 8);                /* gen and seq: the superblock's say */
    (void)vs_get(&c, 8);
    uint32_t count = (uint32_t)vs_get(&c, 4), table = (uint32_t)vs_get(&c, 4);
    if (c.bad || table > VS_INODES_MAX || table <= VSAFS_ROOT_INO)
        return -EINVAL;
    int err = 0;
    for (uint32_t k = 0; k < count; k++) {
        uint32_t ino = (uint32_t)vs_get(&c, 4), mode = (uint32_t)vs_get(&c, 4);
        bool dir = vs_get(&c, 1) != 0;
        uint32_t parent = (uint32_t)vs_get(&c, 4);
        uint64_t size = vs_get(&c, 8);
        uint32_t nent = (uint32_t)vs_get(&c, 4);
        if (c.bad || ino == 0 || ino >= table || (dir && size) || (!dir && nent))
            return -EINVAL;
        if ((err = vs_table_grow(fs, ino)))     /* as far as the inodes go, not the stated size */
            return err;
        if (fs->inodes[ino].used)
            return -EINVAL;
        struct vs_inode *in = &fs->inodes[ino];
        *in = (struct vs_inode){ .used = true, .dir = dir, .mode = mode & 07777,
                                 .nlink = 1, .parent = parent };
        if (!dir) {
            const uint8_t *d = vs_get_bytes(&c, (size_t)size);
            if (!d || (err = vs_resize(in, size)))
                return err ? err : -EINVAL;
            if (size)
                memcpy(in->data, d, (size_t)size);
        }
        for (uint32_t j = 0; j < nent; j++) {
            uint32_t child = (uint32_t)vs_get(&c, 4);
            size_t n = (size_t)vs_get(&c, 2);
            const uint8_t *name = vs_get_bytes(&c, n);
            if (c.bad || !vs_name_ok(name, n))
                return -EINVAL;
            if ((err = vs_link(in, name, n, child)))
                return err;
        }
    }
    if (c.bad || c.left || !vs_ino(fs, VSAFS_ROOT_INO))
        return -EINVAL;
    return 0;
}

/* --- The checker --- */

#define VS_WHY(...) do { if (why && n) snprintf(why, n, __VA_ARGS__); return -EIO; } while (0)

int vsafs_check(struct vsafs *fs, char *why, size_t n)
{
    struct vs_inode *root = vs_ino(fs, VSAFS_ROOT_INO);
    if (!root || !root->dir || root->parent != VSAFS_ROOT_INO)
        VS_WHY("root missing or not a directory");
    uint32_t *refs = calloc(fs->ninodes, sizeof(*refs));
    if (!refs)
        return -ENOMEM;
    int ret = 0;
    for (uint32_t i = 0; i < fs->ninodes && !ret; i++) {
        struct vs_inode *d = &fs->inodes[i];
        if (!d->used || !d->dir)
            continue;
        if (d->data || d->size) {
            snprintf(why, n, "directory %u has data", i);
            ret = -EIO;
        }
        for (uint32_t j = 0; j < d->nent && !ret; j++) {
            const char *name = d->ents[j].name;
            uint32_t c = d->ents[j].ino;
            struct vs_inode *in = vs_ino(fs, c);
            if (!vs_name_ok((const uint8_t *)name, strlen(name))) {
                snprintf(why, n, "directory %u: bad name '%s'", i, name);
                ret = -EIO;
            } else if (!in || c == VSAFS_ROOT_INO) {
                snprintf(why, n, "directory %u: '%s' names free inode %u", i, name, c);
                ret = -EIO;
            } else if (in->dir && in->parent != i) {
                snprintf(why, n, "directory %u ('%s') has parent %u, is in %u", c, name, in->parent, i);
                ret = -EIO;
            } else if (vs_find(d, (const uint8_t *)name, strlen(name)) != (long)j) {
                snprintf(why, n, "directory %u: '%s' twice", i, name);
                ret = -EIO;
            }
            if (!ret)
                refs[c]++;
        }
    }
    for (uint32_t i = 0; i < fs->ninodes && !ret; i++) {
        struct vs_inode *in = &fs->inodes[i];
        if (!in->used || i == VSAFS_ROOT_INO)
            continue;
        if (refs[i] != in->nlink) {
            snprintf(why, n, "inode %u: nlink %u, %u names", i, in->nlink, refs[i]);
            ret = -EIO;
        } else if (in->nlink > 1 || (in->nlink == 0 && (in->dir || in->holds == 0))) {
            snprintf(why, n, "inode %u: nlink %u (holds %u)", i, in->nlink, in->holds);
            ret = -EIO;
        } else if (in->size > in->cap || (in->dir && in->nlink && !vs_is_ancestor(fs, VSAFS_ROOT_INO, i))) {
            snprintf(why, n, "inode %u: size past its buffer, or a directory cut off from the root", i);
            ret = -EIO;
        }
    }
    free(refs);
    if (!ret && vs_image_bytes(fs) > fs->slot_blocks * fs->dev->block_size)
        VS_WHY("the tree is larger than a checkpoint slot");
    return ret;
}
