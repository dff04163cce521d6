/*
 * memfs.c: a file system in the heap, behind struct vfs_ops
 * (posix/libc.h), until files live on a VSA.
 *
 * A tree of nodes from "/": directories hold their children in a list,
 * files their contents in one malloc'd buffer that doubles as it grows.
 * Paths arrive absolute and normalised (glue_path). It starts with "/"
 * and an empty "/tmp". Each node keeps its mode (the umask already
 * applied by the fd layer); the one user owns everything, so open checks
 * the owner bits (EACCES), and chmod changes them. open() supports
 * O_CREAT, O_EXCL, O_TRUNC and O_DIRECTORY, and opens a directory
 * read-only for readdir and fsync (the fd layer does O_APPEND and the
 * access mode). unlink() and rename() take a name away at once; a file's
 * contents go when its last descriptor closes too. rename() replaces its
 * target in one step under the lock, so a reader sees the old file or the
 * new one, never neither (Redis's AOF manifest, RDB save). fsync is done
 * when it returns: the data is where the file system keeps it, and there
 * is nothing further down to flush. One cross-core mutex guards the tree.
 * Nothing survives the domain.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libos/sync.h>
#include <posix/libc.h>

struct memfs_node {
    char *name;                     /* its name in its parent */
    bool dir;
    int mode;                       /* permission bits */
    struct memfs_node *parent;      /* NULL: unlinked (or the root) */
    struct memfs_node *children, *next;     /* a directory's entries; a sibling */
    unsigned char *data;            /* a file's contents */
    size_t size, cap;
    unsigned opens;                 /* descriptors open on it */
    ino_t ino;
};

static struct sync_mutex memfs_lock = SYNC_MUTEX_INITIALIZER;
static struct memfs_node memfs_root = { .name = "", .dir = true, .mode = 0755, .ino = 1 };
static ino_t memfs_next_ino = 2;

/* The node at the end of `n` bytes of a name under `dir`, or NULL. */
static struct memfs_node *memfs_child(struct memfs_node *dir, const char *name, size_t n)
{
    for (struct memfs_node *c = dir->children; c; c = c->next)
        if (strlen(c->name) == n && memcmp(c->name, name, n) == 0)
            return c;
    return NULL;
}

static struct memfs_node *memfs_new(struct memfs_node *dir, const char *name, bool is_dir, int mode);

/* Walks `path`: the node, or NULL with *err ENOENT or ENOTDIR. The first
 * walk makes /tmp, which programs expect as they do on Linux. */
static struct memfs_node *memfs_walk(const char *path, int *err)
{
    static bool made_tmp;
    if (!made_tmp) {
        made_tmp = true;
        (void)memfs_new(&memfs_root, "tmp", true, 01777);  /* no memory: no /tmp, and ENOENT says so */
    }
    struct memfs_node *n = &memfs_root;
    for (const char *p = path; *p;) {
        while (*p == '/')
            p++;
        if (!*p)
            break;
        const char *end = strchr(p, '/');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (!n->dir) {
            *err = -ENOTDIR;
            return NULL;
        }
        if (!(n = memfs_child(n, p, len))) {
            *err = -ENOENT;
            return NULL;
        }
        p += len;
    }
    return n;
}

/* The directory that holds `path`'s last component, and that component
 * (*leaf); NULL with *err for a missing or non-directory parent, or the
 * root itself (EBUSY: it has no parent to change). */
static struct memfs_node *memfs_parent(const char *path, const char **leaf, int *err)
{
    const char *slash = strrchr(path, '/');
    if (!slash || !slash[1]) {
        *err = -EBUSY;
        return NULL;
    }
    *leaf = slash + 1;
    char dir[GLUE_PATH_MAX];
    size_t n = (size_t)(slash - path);
    memcpy(dir, path, n);
    dir[n] = '\0';
    struct memfs_node *d = memfs_walk(dir, err);
    if (d && !d->dir) {
        *err = -ENOTDIR;
        return NULL;
    }
    return d;
}

static void memfs_link(struct memfs_node *dir, struct memfs_node *n)
{
    n->parent = dir;
    n->next = dir->children;
    dir->children = n;
}

static void memfs_unlink_node(struct memfs_node *n)
{
    for (struct memfs_node **pp = &n->parent->children; *pp; pp = &(*pp)->next)
        if (*pp == n) {
            *pp = n->next;
            break;
        }
    n->parent = NULL;
    n->next = NULL;
}

/* Frees a node that has neither a name nor a descriptor. */
static void memfs_drop(struct memfs_node *n)
{
    if (n->parent || n->opens || n == &memfs_root)
        return;
    free(n->name);
    free(n->data);
    free(n);
}

static struct memfs_node *memfs_new(struct memfs_node *dir, const char *name, bool is_dir, int mode)
{
    struct memfs_node *n = calloc(1, sizeof *n);
    if (!n || !(n->name = strdup(name))) {
        free(n);
        return NULL;
    }
    n->dir = is_dir;
    n->mode = mode & 07777;
    n->ino = memfs_next_ino++;
    memfs_link(dir, n);
    return n;
}

/* Would opening existing file `n` with `flags` need a permission its
 * owner bits do not give? (The one user owns every file.) */
static bool memfs_denied(const struct memfs_node *n, int flags)
{
    int acc = flags & O_ACCMODE;
    return ((acc == O_RDONLY || acc == O_RDWR) && !(n->mode & 0400)) ||
           ((acc == O_WRONLY || acc == O_RDWR || (flags & O_TRUNC)) && !(n->mode & 0200));
}

static int memfs_open(const char *path, int flags, int mode, void **out)
{
    int err = 0;
    sync_mutex_lock(&memfs_lock);
    struct memfs_node *n = memfs_walk(path, &err);
    if (n && (flags & O_CREAT) && (flags & O_EXCL)) {
        err = -EEXIST;
        n = NULL;
    } else if (!n && err == -ENOENT && (flags & O_CREAT) && !(flags & O_DIRECTORY)) {
        const char *leaf;
        struct memfs_node *dir = memfs_parent(path, &leaf, &err);
        if (dir && !(n = memfs_new(dir, leaf, false, mode)))
            err = -ENOSPC;
        else if (dir)
            err = 0;
    } else if (n && !n->dir && memfs_denied(n, flags)) {
        err = -EACCES;
        n = NULL;
    }
    if (n && n->dir && ((flags & O_ACCMODE) != O_RDONLY || (flags & O_CREAT))) {
        err = -EISDIR;
        n = NULL;
    } else if (n && !n->dir && (flags & O_DIRECTORY)) {
        err = -ENOTDIR;
        n = NULL;
    }
    if (n) {
        if ((flags & O_TRUNC) && (flags & O_ACCMODE) != O_RDONLY)
            n->size = 0;
        n->opens++;
        *out = n;
    }
    sync_mutex_unlock(&memfs_lock);
    return n ? 0 : err;
}

static ssize_t memfs_read(void *file, void *buf, size_t n, off_t pos, int flags)
{
    struct memfs_node *f = file;
    if (f->dir)
        return -EISDIR;
    sync_mutex_lock(&memfs_lock);
    size_t got = 0;
    if ((size_t)pos < f->size) {
        got = f->size - (size_t)pos < n ? f->size - (size_t)pos : n;
        memcpy(buf, f->data + pos, got);
    }
    sync_mutex_unlock(&memfs_lock);
    return (ssize_t)got;
}

/* Makes room for `end` bytes (the caller holds the lock): 0 or -ENOSPC. */
static int memfs_reserve(struct memfs_node *f, size_t end)
{
    if (end <= f->cap)
        return 0;
    size_t cap = f->cap ? f->cap : 256;
    while (cap < end)
        cap *= 2;
    unsigned char *data = realloc(f->data, cap);
    if (!data)
        return -ENOSPC;
    f->data = data;
    f->cap = cap;
    return 0;
}

/* Sets the size; what grows reads as zeroes. */
static int memfs_resize(struct memfs_node *f, size_t len)
{
    int err = memfs_reserve(f, len);
    if (!err) {
        if (len > f->size)
            memset(f->data + f->size, 0, len - f->size);
        f->size = len;
    }
    return err;
}

static ssize_t memfs_write(void *file, const void *buf, size_t n, off_t pos, int flags)
{
    struct memfs_node *f = file;
    size_t end = (size_t)pos + n;
    sync_mutex_lock(&memfs_lock);
    int err = memfs_reserve(f, end);
    if (!err) {
        if ((size_t)pos > f->size)
            memset(f->data + f->size, 0, (size_t)pos - f->size);   /* a hole reads as zeroes */
        memcpy(f->data + pos, buf, n);
        if (end > f->size)
            f->size = end;
    }
    sync_mutex_unlock(&memfs_lock);
    return err ? err : (ssize_t)n;
}

static void memfs_fill_stat(const struct memfs_node *f, struct stat *st)
{
    unsigned links = 0;
    if (f->parent || f == &memfs_root) {
        links = 1;
        if (f->dir) {
            links = 2;          /* its name and its "." */
            for (const struct memfs_node *c = f->children; c; c = c->next)
                links += c->dir;        /* each subdirectory's ".." */
        }
    }
    *st = (struct stat){ .st_mode = (f->dir ? S_IFDIR : S_IFREG) | (mode_t)f->mode, .st_nlink = links,
                         .st_size = f->dir ? 0 : (off_t)f->size, .st_blksize = 512,
                         .st_blocks = (blkcnt_t)((f->size + 511) / 512), .st_ino = f->ino,
                         .st_uid = 1000, .st_gid = 1000 };
}

static int memfs_fstat(void *file, struct stat *st)
{
    sync_mutex_lock(&memfs_lock);
    memfs_fill_stat(file, st);
    sync_mutex_unlock(&memfs_lock);
    return 0;
}

static int memfs_close(void *file)
{
    struct memfs_node *f = file;
    sync_mutex_lock(&memfs_lock);
    f->opens--;
    memfs_drop(f);
    sync_mutex_unlock(&memfs_lock);
    return 0;
}

static int memfs_ftruncate(void *file, off_t len)
{
    struct memfs_node *f = file;
    if (f->dir)
        return -EISDIR;
    sync_mutex_lock(&memfs_lock);
    int err = memfs_resize(f, (size_t)len);
    sync_mutex_unlock(&memfs_lock);
    return err;
}

static int memfs_fsync(void *file)
{
    return 0;                   /* written is kept: there is no lower layer (see the top) */
}

static int memfs_readdir(void *file, long index, char *name, ino_t *ino)
{
    struct memfs_node *d = file;
    if (!d->dir)
        return -ENOTDIR;
    int ret = 1;
    sync_mutex_lock(&memfs_lock);
    if (index == 0 || index == 1) {
        strcpy(name, index == 0 ? "." : "..");
        *ino = index == 0 || !d->parent ? d->ino : d->parent->ino;
        ret = 0;
    } else {
        long i = 2;
        for (struct memfs_node *c = d->children; c; c = c->next, i++)
            if (i == index) {
                strcpy(name, c->name);
                *ino = c->ino;
                ret = 0;
                break;
            }
    }
    sync_mutex_unlock(&memfs_lock);
    return ret;
}

static int memfs_stat(const char *path, struct stat *st)
{
    int err = 0;
    sync_mutex_lock(&memfs_lock);
    struct memfs_node *n = memfs_walk(path, &err);
    if (n)
        memfs_fill_stat(n, st);
    sync_mutex_unlock(&memfs_lock);
    return err;
}

static int memfs_unlink(const char *path)
{
    int err = 0;
    sync_mutex_lock(&memfs_lock);
    struct memfs_node *n = memfs_walk(path, &err);
    if (n && n->dir)
        err = -EISDIR;          /* Linux's answer; rmdir removes directories */
    else if (n) {
        memfs_unlink_node(n);
        memfs_drop(n);
    }
    sync_mutex_unlock(&memfs_lock);
    return err;
}

static int memfs_mkdir(const char *path, int mode)
{
    int err = 0;
    sync_mutex_lock(&memfs_lock);
    if (memfs_walk(path, &err))
        err = -EEXIST;
    else if (err == -ENOENT) {
        const char *leaf;
        struct memfs_node *dir = memfs_parent(path, &leaf, &err);
        if (dir)
            err = memfs_new(dir, leaf, true, mode) ? 0 : -ENOSPC;
    }
    sync_mutex_unlock(&memfs_lock);
    return err;
}

static int memfs_rmdir(const char *path)
{
    int err = 0;
    sync_mutex_lock(&memfs_lock);
    struct memfs_node *n = memfs_walk(path, &err);
    if (n == &memfs_root)
        err = -EBUSY;
    else if (n && !n->dir)
        err = -ENOTDIR;
    else if (n && n->children)
        err = -ENOTEMPTY;
    else if (n) {
        memfs_unlink_node(n);
        memfs_drop(n);
    }
    sync_mutex_unlock(&memfs_lock);
    return err;
}

static bool memfs_is_under(const struct memfs_node *n, const struct memfs_node *dir)
{
    for (; n; n = n->parent)
        if (n == dir)
            return true;
    return false;
}

static int memfs_rename(const char *from, const char *to)
{
    int err = 0;
    sync_mutex_lock(&memfs_lock);
    struct memfs_node *src = memfs_walk(from, &err), *dst = NULL, *dir = NULL;
    const char *leaf = NULL;
    char *name = NULL;
    if (src == &memfs_root)
        err = -EBUSY;
    else if (src && (dir = memfs_parent(to, &leaf, &err))) {
        int derr = 0;
        dst = memfs_walk(to, &derr);
        if (dst == src)
            goto out;                   /* the same file: nothing to do (POSIX) */
        if (src->dir && memfs_is_under(dir, src))
            err = -EINVAL;              /* into its own subtree */
        else if (dst && dst->dir && !src->dir)
            err = -EISDIR;
        else if (dst && !dst->dir && src->dir)
            err = -ENOTDIR;
        else if (dst && dst->dir && dst->children)
            err = -ENOTEMPTY;
        else if (dst == &memfs_root)
            err = -EBUSY;
        else if (!(name = strdup(leaf)))
            err = -ENOSPC;
        else {
            /* One step under the lock: the old target goes as the new one comes. */
            if (dst) {
                memfs_unlink_node(dst);
                memfs_drop(dst);
            }
            memfs_unlink_node(src);
            free(src->name);
            src->name = name;
            memfs_link(dir, src);
        }
    }
out:
    sync_mutex_unlock(&memfs_lock);
    return err;
}

static int memfs_truncate(const char *path, off_t len)
{
    int err = 0;
    sync_mutex_lock(&memfs_lock);
    struct memfs_node *n = memfs_walk(path, &err);
    if (n && n->dir)
        err = -EISDIR;
    else if (n)
        err = memfs_resize(n, (size_t)len);
    sync_mutex_unlock(&memfs_lock);
    return err;
}

static int memfs_fchmod(void *file, int mode)
{
    struct memfs_node *n = file;
    sync_mutex_lock(&memfs_lock);
    n->mode = mode & 07777;
    sync_mutex_unlock(&memfs_lock);
    return 0;
}

static int memfs_chmod(const char *path, int mode)
{
    int err = 0;
    sync_mutex_lock(&memfs_lock);
    struct memfs_node *n = memfs_walk(path, &err);
    if (n)
        n->mode = mode & 07777;
    sync_mutex_unlock(&memfs_lock);
    return err;
}

const struct vfs_ops memfs_ops = {
    .name = "memfs", .open = memfs_open, .read = memfs_read, .write = memfs_write,
    .fstat = memfs_fstat, .close = memfs_close, .ftruncate = memfs_ftruncate,
    .fsync = memfs_fsync, .fchmod = memfs_fchmod, .readdir = memfs_readdir, .stat = memfs_stat,
    .unlink = memfs_unlink,
    .mkdir = memfs_mkdir, .rmdir = memfs_rmdir, .rename = memfs_rename, .truncate = memfs_truncate,
    .chmod = memfs_chmod,
};
