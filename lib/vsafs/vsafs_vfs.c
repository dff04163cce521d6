/*
 * vsafs_vfs.c: vsafs in the library OS: its struct vfs_ops (posix/libc.h),
 * the mount call, and the hook that mounts it from a spawn argument.
 *
 * vsafs_mount() opens the file system on a block device and mounts it in
 * lib/newlib's mount table (glue_mount), so that open("/data/x") reaches
 * vsafs_vfs_ops with "/x". One cross-core mutex guards the one mounted
 * file system: the core (vsafs.c) is single-threaded, and the block
 * device's completions run on the thread that polls it, which is the one
 * holding the mutex. fsync (and fdatasync, which the fd layer maps to it)
 * waits, holding it, until every change so far is durable: one log write
 * and one flush for an append. open() follows memfs: O_CREAT, O_EXCL,
 * O_TRUNC, O_DIRECTORY, the owner's permission bits (EACCES); the fd
 * layer does the access mode and O_APPEND.
 *
 * vsafs_mount_spawn_args() is the hook for "fs=NAME": the storage side
 * (the VSIC) passes the function that opens a VSA's block device.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libos/debug.h>
#include <libos/libos.h>
#include <libos/cyclestat.h>
#include <libos/reqstage.h>
#include <libos/sync.h>
#include <posix/libc.h>
#include <vsafs/vsafs.h>

#define VV_DEV_ID 0x5653            /* st_dev of files on vsafs ("VS") */

static struct sync_mutex vv_lock = SYNC_MUTEX_INITIALIZER;
static struct vsafs *vv_fs;         /* under vv_lock once mounted */
static uint32_t vv_blksize;

struct vv_file {
    uint32_t ino;
};

static void vv_fill_stat(const struct vsafs_attr *a, struct stat *st)
{
    *st = (struct stat){ .st_dev = VV_DEV_ID, .st_ino = a->ino,
                         .st_mode = (a->dir ? S_IFDIR : S_IFREG) | (mode_t)a->mode,
                         .st_nlink = a->nlink, .st_size = (off_t)a->size,
                         .st_blksize = vv_blksize, .st_blocks = (blkcnt_t)((a->size + 511) / 512),
                         .st_uid = 1000, .st_gid = 1000 };
}

static bool vv_denied(const struct vsafs_attr *a, int flags)
{
    int acc = flags & O_ACCMODE;
    return ((acc == O_RDONLY || acc == O_RDWR) && !(a->mode & 0400)) ||
           ((acc == O_WRONLY || acc == O_RDWR || (flags & O_TRUNC)) && !(a->mode & 0200));
}

static int vv_open(const char *path, int flags, int mode, void **file)
{
    struct vv_file *f = malloc(sizeof(*f));
    if (!f)
        return -ENOMEM;
    sync_mutex_lock(&vv_lock);
    uint32_t ino;
    struct vsafs_attr a;
    int err = vsafs_lookup(vv_fs, path, &ino);
    if (!err && (flags & O_CREAT) && (flags & O_EXCL))
        err = -EEXIST;
    else if (err == -ENOENT && (flags & O_CREAT) && !(flags & O_DIRECTORY))
        err = vsafs_create(vv_fs, path, false, (uint32_t)mode & 07777, &ino);
    if (!err)
        err = vsafs_getattr(vv_fs, ino, &a);
    if (!err && !a.dir && vv_denied(&a, flags))
        err = -EACCES;
    if (!err && a.dir && ((flags & O_ACCMODE) != O_RDONLY || (flags & O_CREAT)))
        err = -EISDIR;
    if (!err && !a.dir && (flags & O_DIRECTORY))
        err = -ENOTDIR;
    if (!err && !a.dir && (flags & O_TRUNC) && (flags & O_ACCMODE) != O_RDONLY && a.size)
        err = vsafs_truncate(vv_fs, ino, 0);
    if (!err)
        err = vsafs_hold(vv_fs, ino);
    sync_mutex_unlock(&vv_lock);
    if (err) {
        free(f);
        return err;
    }
    f->ino = ino;
    *file = f;
    return 0;
}

static ssize_t vv_read(void *file, void *buf, size_t n, off_t pos, int flags)
{
    struct vv_file *f = file;
    if (pos < 0)
        return -EINVAL;
    sync_mutex_lock(&vv_lock);
    ssize_t r = vsafs_read(vv_fs, f->ino, buf, n, (uint64_t)pos);
    sync_mutex_unlock(&vv_lock);
    return r;
}

static ssize_t vv_write(void *file, const void *buf, size_t n, off_t pos, int flags)
{
    struct vv_file *f = file;
    if (pos < 0)
        return -EINVAL;
    reqstage_stamp(REQ_AOF);
    cyclestat_stamp(CYC_WRITE);
    cyclestat_count(CYCN_WRITES, 1);
    sync_mutex_lock(&vv_lock);
    ssize_t r = vsafs_write(vv_fs, f->ino, buf, n, (uint64_t)pos);
    sync_mutex_unlock(&vv_lock);
    return r;
}

static int vv_fstat(void *file, struct stat *st)
{
    struct vv_file *f = file;
    struct vsafs_attr a;
    sync_mutex_lock(&vv_lock);
    int err = vsafs_getattr(vv_fs, f->ino, &a);
    sync_mutex_unlock(&vv_lock);
    if (!err)
        vv_fill_stat(&a, st);
    return err;
}

static int vv_close(void *file)
{
    struct vv_file *f = file;
    sync_mutex_lock(&vv_lock);
    vsafs_release(vv_fs, f->ino);
    sync_mutex_unlock(&vv_lock);
    free(f);
    return 0;
}

static int vv_ftruncate(void *file, off_t len)
{
    struct vv_file *f = file;
    if (len < 0)
        return -EINVAL;
    sync_mutex_lock(&vv_lock);
    int err = vsafs_truncate(vv_fs, f->ino, (uint64_t)len);
    sync_mutex_unlock(&vv_lock);
    return err;
}

static int vv_fsync(void *file)
{
    cyclestat_stamp(CYC_FSYNC);
    sync_mutex_lock(&vv_lock);
    int err = vsafs_sync(vv_fs);
    sync_mutex_unlock(&vv_lock);
    cyclestat_stamp(CYC_END);
    return err;
}

static int vv_fchmod(void *file, int mode)
{
    struct vv_file *f = file;
    sync_mutex_lock(&vv_lock);
    int err = vsafs_chmod(vv_fs, f->ino, (uint32_t)mode & 07777);
    sync_mutex_unlock(&vv_lock);
    return err;
}

static int vv_readdir(void *file, long index, char *name, ino_t *ino)
{
    struct vv_file *f = file;
    uint32_t child;
    sync_mutex_lock(&vv_lock);
    int r = vsafs_readdir(vv_fs, f->ino, index, name, &child);
    sync_mutex_unlock(&vv_lock);
    if (r == 0)
        *ino = child;
    return r;
}

static int vv_stat(const char *path, struct stat *st)
{
    uint32_t ino;
    struct vsafs_attr a;
    sync_mutex_lock(&vv_lock);
    int err = vsafs_lookup(vv_fs, path, &ino);
    if (!err)
        err = vsafs_getattr(vv_fs, ino, &a);
    sync_mutex_unlock(&vv_lock);
    if (!err)
        vv_fill_stat(&a, st);
    return err;
}

static int vv_unlink(const char *path)
{
    sync_mutex_lock(&vv_lock);
    int err = vsafs_remove(vv_fs, path, false);
    sync_mutex_unlock(&vv_lock);
    return err;
}

static int vv_mkdir(const char *path, int mode)
{
    sync_mutex_lock(&vv_lock);
    int err = vsafs_create(vv_fs, path, true, (uint32_t)mode & 07777, NULL);
    sync_mutex_unlock(&vv_lock);
    return err;
}

static int vv_rmdir(const char *path)
{
    sync_mutex_lock(&vv_lock);
    int err = vsafs_remove(vv_fs, path, true);
    sync_mutex_unlock(&vv_lock);
    return err;
}

static int vv_rename(const char *from, const char *to)
{
    sync_mutex_lock(&vv_lock);
    int err = vsafs_rename(vv_fs, from, to);
    sync_mutex_unlock(&vv_lock);
    return err;
}

static int vv_truncate(const char *path, off_t len)
{
    uint32_t ino;
    struct vsafs_attr a;
    if (len < 0)
        return -EINVAL;
    sync_mutex_lock(&vv_lock);
    int err = vsafs_lookup(vv_fs, path, &ino);
    if (!err)
        err = vsafs_getattr(vv_fs, ino, &a);
    if (!err && !(a.mode & 0200))
        err = -EACCES;
    if (!err)
        err = vsafs_truncate(vv_fs, ino, (uint64_t)len);
    sync_mutex_unlock(&vv_lock);
    return err;
}

static int vv_chmod(const char *path, int mode)
{
    uint32_t ino;
    sync_mutex_lock(&vv_lock);
    int err = vsafs_lookup(vv_fs, path, &ino);
    if (!err)
        err = vsafs_chmod(vv_fs, ino, (uint32_t)mode & 07777);
    sync_mutex_unlock(&vv_lock);
    return err;
}

static const struct vfs_ops vsafs_vfs_ops = {
    .name = "vsafs", .open = vv_open, .read = vv_read, .write = vv_write,
    .fstat = vv_fstat, .close = vv_close, .ftruncate = vv_ftruncate,
    .fsync = vv_fsync, .fchmod = vv_fchmod, .readdir = vv_readdir, .stat = vv_stat,
    .unlink = vv_unlink, .mkdir = vv_mkdir, .rmdir = vv_rmdir, .rename = vv_rename,
    .truncate = vv_truncate, .chmod = vv_chmod,
};

errval_t vsafs_mount(const char *path, struct blk_dev *dev, bool format_if_empty)
{
    if (!path || !dev)
        return TENACIOUS_ERR_ARGS;
    sync_mutex_lock(&vv_lock);
    errval_t err = ERR_OK;
    struct vsafs *fs = NULL;
    if (vv_fs)
        err = VSAFS_ERR_MOUNT;          /* one vsafs per domain */
    if (err_is_ok(err))
        err = vsafs_open(dev, format_if_empty, &fs);
    if (err_is_ok(err)) {
        vv_fs = fs;
        vv_blksize = dev->block_size;
    }
    sync_mutex_unlock(&vv_lock);
    if (err_is_fail(err))
        return err;
    if (glue_mount(path, &vsafs_vfs_ops) != 0) {
        sync_mutex_lock(&vv_lock);
        (void)vsafs_close(vv_fs);
        vv_fs = NULL;
        sync_mutex_unlock(&vv_lock);
        return VSAFS_ERR_MOUNT;
    }
    return ERR_OK;
}

errval_t vsafs_mount_spawn_args(vsafs_blk_open_fn open)
{
    /* Leading NAME=value spawn arguments are the environment already
     * (lib/newlib/env.c): "spawn redis-server core 1 fs=redis ..." gives
     * fs in the environment. One later among the arguments is taken out
     * of argv, so main does not see it. */
    const char *name = getenv("fs");
    if (!name) {
        int i;
        for (i = 1; i < libos_argc; i++)
            if (libos_argv[i] && strncmp(libos_argv[i], "fs=", 3) == 0)
                break;
        if (i >= libos_argc)
            return ERR_OK;
        name = libos_argv[i] + 3;
        for (int j = i; j < libos_argc; j++)
            libos_argv[j] = libos_argv[j + 1];
        libos_argc--;
    }
    struct blk_dev *dev = NULL;
    errval_t err = !name[0] || !open ? VSAFS_ERR_MOUNT : open(name, &dev);
    if (err_is_ok(err))
        err = vsafs_mount("/data", dev, true);
    else if (err_no(err) != VSAFS_ERR_MOUNT)
        err = err_push(err, VSAFS_ERR_MOUNT);
    if (err_is_fail(err)) {
        /* Said once: the caller should stop rather than let /data fall to
         * memfs, where nothing is durable. */
        debug_printf("vsafs: fs=%s: no file system on /data\n", name);
        debug_err("vsafs", err);
    }
    return err;
}
