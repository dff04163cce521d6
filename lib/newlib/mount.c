/*
 * mount.c: the mount table: paths under a mount point (e.g. /data) go to
 * the file system mounted there (vsafs on a VSA), the rest to memfs.
 *
 * glue_mount() (posix/libc.h) puts a file system in the table and, the
 * first time, makes vfs_root this file's mount_ops, which the fd layer
 * then calls for every path as before: mount_ops picks the file system
 * by the longest mount point that is the path or a prefix of it ending at
 * a '/', and hands it the rest of the path ("/data/x" -> "/x", "/data"
 * -> "/"). A file opened through it is wrapped with its file system's
 * table, so reads, writes and the other calls on the fd reach the right
 * one. rename between two file systems is EXDEV; the mount point itself
 * cannot be removed or renamed (EBUSY). The mount point is also made a
 * directory in memfs, so "/" lists it.
 *
 * Entries are only added, never removed: an entry is filled, then the
 * count that makes it visible is published (release), so lookups need no
 * lock. Mount before other threads open files: an open racing the first
 * mount could install a memfs file under the dispatcher's table (the fd
 * layer reads vfs_root twice): vsafs_mount_spawn_args is meant for a
 * constructor, before main.
 * There is no unmount.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libos/sync.h>
#include <posix/libc.h>

#define MOUNT_MAX 4

struct mount_entry {
    char point[GLUE_PATH_MAX];
    size_t len;
    const struct vfs_ops *ops;
};

struct mount_file {
    const struct vfs_ops *ops;
    void *file;
};

static struct sync_mutex mount_lock = SYNC_MUTEX_INITIALIZER;      /* serialises glue_mount */
static struct mount_entry mount_table[MOUNT_MAX];
static unsigned mount_count;                                        /* published with release */

/* The file system for `path` and the path within it (in sub[GLUE_PATH_MAX]);
 * *point_len: the mount point's length (0: memfs). */
static const struct vfs_ops *mount_find(const char *path, char *sub, size_t *point_len)
{
    unsigned n = __atomic_load_n(&mount_count, __ATOMIC_ACQUIRE);
    const struct mount_entry *best = NULL;
    for (unsigned i = 0; i < n; i++) {
        const struct mount_entry *m = &mount_table[i];
        if (strncmp(path, m->point, m->len) == 0 && (path[m->len] == '\0' || path[m->len] == '/') &&
            (!best || m->len > best->len))
            best = m;
    }
    if (!best) {
        strcpy(sub, path);
        *point_len = 0;
        return &memfs_ops;
    }
    strcpy(sub, path[best->len] ? path + best->len : "/");
    *point_len = best->len;
    return best->ops;
}

static int mount_open(const char *path, int flags, int mode, void **file)
{
    char sub[GLUE_PATH_MAX];
    size_t pl;
    const struct vfs_ops *ops = mount_find(path, sub, &pl);
    struct mount_file *mf = malloc(sizeof(*mf));
    if (!mf)
        return -ENOMEM;
    int err = ops->open(sub, flags, mode, &mf->file);
    if (err) {
        free(mf);
        return err;
    }
    mf->ops = ops;
    *file = mf;
    return 0;
}

static ssize_t mount_read(void *file, void *buf, size_t n, off_t pos, int flags)
{
    struct mount_file *mf = file;
    return mf->ops->read(mf->file, buf, n, pos, flags);
}

static ssize_t mount_write(void *file, const void *buf, size_t n, off_t pos, int flags)
{
    struct mount_file *mf = file;
    return mf->ops->write(mf->file, buf, n, pos, flags);
}

static int mount_fstat(void *file, struct stat *st)
{
    struct mount_file *mf = file;
    return mf->ops->fstat(mf->file, st);
}

static int mount_close(void *file)
{
    struct mount_file *mf = file;
    int err = mf->ops->close(mf->file);
    free(mf);
    return err;
}

static int mount_setfl(void *file, int flags)
{
    struct mount_file *mf = file;
    return mf->ops->setfl ? mf->ops->setfl(mf->file, flags) : 0;
}

static int mount_ftruncate(void *file, off_t len)
{
    struct mount_file *mf = file;
    return mf->ops->ftruncate ? mf->ops->ftruncate(mf->file, len) : -EINVAL;
}

static int mount_fsync(void *file)
{
    struct mount_file *mf = file;
    return mf->ops->fsync ? mf->ops->fsync(mf->file) : -EINVAL;
}

static int mount_fchmod(void *file, int mode)
{
    struct mount_file *mf = file;
    return mf->ops->fchmod ? mf->ops->fchmod(mf->file, mode) : -EINVAL;
}

static int mount_readdir(void *file, long index, char *name, ino_t *ino)
{
    struct mount_file *mf = file;
    return mf->ops->readdir ? mf->ops->readdir(mf->file, index, name, ino) : -ENOTDIR;
}

/* A path call: the file system's `op` on the path within it; the mount
 * point itself when `busy` is set is EBUSY. */
#define MOUNT_PATH_CALL(path, busy, op, ...)                            \
    ({                                                                  \
        char sub_[GLUE_PATH_MAX];                                       \
        size_t pl_;                                                     \
        const struct vfs_ops *ops_ = mount_find(path, sub_, &pl_);      \
        int err_;                                                       \
        if ((busy) && pl_ && strcmp(sub_, "/") == 0)                    \
            err_ = -EBUSY;                                              \
        else                                                            \
            err_ = ops_->op ? ops_->op(sub_, ##__VA_ARGS__) : -EROFS;   \
        err_;                                                           \
    })

static int mount_stat(const char *path, struct stat *st)
{
    return MOUNT_PATH_CALL(path, false, stat, st);
}

static int mount_unlink(const char *path)
{
    return MOUNT_PATH_CALL(path, true, unlink);
}

static int mount_mkdir(const char *path, int mode)
{
    char sub[GLUE_PATH_MAX];
    size_t pl;
    (void)mount_find(path, sub, &pl);
    if (pl && strcmp(sub, "/") == 0)
        return -EEXIST;
    return MOUNT_PATH_CALL(path, false, mkdir, mode);
}

static int mount_rmdir(const char *path)
{
    return MOUNT_PATH_CALL(path, true, rmdir);
}

static int mount_truncate(const char *path, off_t len)
{
    return MOUNT_PATH_CALL(path, false, truncate, len);
}

static int mount_chmod(const char *path, int mode)
{
    return MOUNT_PATH_CALL(path, false, chmod, mode);
}

static int mount_rename(const char *from, const char *to)
{
    char sf[GLUE_PATH_MAX], st[GLUE_PATH_MAX];
    size_t pf, pt;
    const struct vfs_ops *a = mount_find(from, sf, &pf), *b = mount_find(to, st, &pt);
    if ((pf && strcmp(sf, "/") == 0) || (pt && strcmp(st, "/") == 0))
        return -EBUSY;
    if (a != b)
        return -EXDEV;
    return a->rename ? a->rename(sf, st) : -EROFS;
}

static const struct vfs_ops mount_ops = {
    .name = "mount", .open = mount_open, .read = mount_read, .write = mount_write,
    .fstat = mount_fstat, .close = mount_close, .setfl = mount_setfl,
    .ftruncate = mount_ftruncate, .fsync = mount_fsync, .fchmod = mount_fchmod,
    .readdir = mount_readdir, .stat = mount_stat, .unlink = mount_unlink,
    .mkdir = mount_mkdir, .rmdir = mount_rmdir, .rename = mount_rename,
    .truncate = mount_truncate, .chmod = mount_chmod,
};

int glue_mount(const char *point, const struct vfs_ops *ops)
{
    if (!point || !ops || !ops->open || !ops->read || !ops->write || !ops->fstat ||
        !ops->close || point[0] != '/' || point[1] == '\0')
        return -EINVAL;
    char abs[GLUE_PATH_MAX];
    int err = glue_path(point, abs);
    if (err)
        return err;
    if (strcmp(abs, point) != 0)
        return -EINVAL;                 /* absolute and normalised only */
    sync_mutex_lock(&mount_lock);
    unsigned n = mount_count;
    for (unsigned i = 0; i < n && !err; i++)
        if (strcmp(mount_table[i].point, point) == 0)
            err = -EBUSY;
    if (!err && n == MOUNT_MAX)
        err = -ENFILE;
    if (!err) {
        /* The mount point in the file system below, so "/" lists it. */
        char sub[GLUE_PATH_MAX];
        size_t pl;
        const struct vfs_ops *below = mount_find(point, sub, &pl);
        if (below->mkdir) {
            int e = below->mkdir(sub, 0755);
            if (e && e != -EEXIST)
                err = e;
        }
    }
    if (!err) {
        strcpy(mount_table[n].point, point);
        mount_table[n].len = strlen(point);
        mount_table[n].ops = ops;
        __atomic_store_n(&mount_count, n + 1, __ATOMIC_RELEASE);
        __atomic_store_n(&vfs_root, &mount_ops, __ATOMIC_RELEASE);
    }
    sync_mutex_unlock(&mount_lock);
    return err;
}
