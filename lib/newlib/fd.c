/*
 * fd.c: file descriptors for newlib programs.
 *
 * The table has GLUE_FD_MAX slots; each names an open file description
 * (struct glue_ofile, posix/libc.h): an object behind a struct vfs_ops
 * (a memfs file, the console, a pipe, a socket, an epoll instance), its
 * position and its status flags. dup() and its kin make a second fd for
 * the same description; the object's close runs when the last fd goes and
 * no call is still using it (refs). A new fd is always the lowest free
 * number, as POSIX says; fds 0, 1 and 2 start as the console (write ->
 * SYS_PRINT, read <- SYS_GETCHAR), and can be closed or replaced.
 *
 * Locks: fd_lock (a cross-core mutex) guards the slots and every refs
 * count, and is never held across a call into an object. A read or write
 * of a non-stream (a file) runs under the description's own lock, so two
 * threads sharing it never see half an update of its position; a stream's
 * (VFS_STREAM: pipes, sockets, the console) runs with no lock, since it
 * may block.
 */
#define _GNU_SOURCE         /* dup3, as glibc declares it */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <reent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libos/sync.h>
#include <libos/syscall.h>
#include <posix/libc.h>

/* The kernel refuses longer SYS_PRINT buffers (PRINT_MAX in kernel/syscall.c). */
#define FD_PRINT_CHUNK 1024

static struct sync_mutex fd_lock = SYNC_MUTEX_INITIALIZER;
static struct glue_ofile *fd_table[GLUE_FD_MAX];
static unsigned char fd_cloexec[GLUE_FD_MAX];       /* FD_CLOEXEC, per fd */
static int fd_soft_limit = GLUE_FD_MAX;             /* RLIMIT_NOFILE's rlim_cur */
static mode_t fd_umask = 022;                       /* atomic */
const struct vfs_ops *vfs_root = &memfs_ops;
void (*glue_fd_close_hook)(int fd);

static int fd_fail(struct _reent *r, int err)
{
    r->_errno = err;
    return -1;
}

/* --- The console --- */

static ssize_t console_write(void *file, const void *buf, size_t n, off_t pos, int flags)
{
    const char *p = buf;
    for (size_t done = 0; done < n;) {
        size_t chunk = n - done < FD_PRINT_CHUNK ? n - done : FD_PRINT_CHUNK;
        if (err_is_fail(sys_print(p + done, chunk)))
            return done ? (ssize_t)done : -EIO;
        done += chunk;
    }
    return (ssize_t)n;
}

/* One console byte, or -1 when none is waiting. */
static int console_getc(void)
{
    struct sysret ret = sys_getchar();
    if (err_is_fail(ret.err))
        return -1;
    return ret.value == '\r' ? '\n' : (int)(ret.value & 0xff);
}

/* Waits for the first byte (sleeping the dispatcher until the next tick
 * between polls, as the shell does), then takes what else is already
 * there, up to a newline. Echoes what it reads. */
static ssize_t console_read(void *file, void *buf, size_t n, off_t pos, int flags)
{
    if (n == 0)
        return 0;
    char *p = buf;
    int c;
    while ((c = console_getc()) < 0) {
        if (flags & O_NONBLOCK)
            return -EAGAIN;
        (void)sys_yield(SYS_YIELD_BLOCK);
    }
    size_t got = 0;
    for (;;) {
        p[got++] = (char)c;
        if (c == '\n' || got == n || (c = console_getc()) < 0)
            break;
    }
    (void)sys_print(p, got);
    return (ssize_t)got;
}

static int console_fstat(void *file, struct stat *st)
{
    *st = (struct stat){ .st_mode = S_IFCHR | 0600, .st_nlink = 1 };
    return 0;
}

static int console_close(void *file) { return 0; }

static const struct vfs_ops console_ops = {
    .name = "console", .kind = VFS_STREAM, .read = console_read, .write = console_write,
    .fstat = console_fstat, .close = console_close,
};

/* fds 0-2 at start: one description, static, so never freed (one extra
 * reference keeps glue_fd_put from trying). */
static struct glue_ofile console_ofile = {
    .ops = &console_ops, .flags = O_RDWR, .lock = SYNC_MUTEX_INITIALIZER, .refs = 4,
};

/* libos_libc_init calls this: it also makes the linker take this file
 * (and memfs.c) from the glue archive before libc.a, whose reent/ objects
 * would otherwise define _open_r and the others first. */
void glue_fd_init(void)
{
    for (int fd = 0; fd <= 2; fd++)
        fd_table[fd] = &console_ofile;
}

/* --- The table --- */

int glue_fd_limit(int limit)
{
    if (limit >= 0)
        __atomic_store_n(&fd_soft_limit, limit < GLUE_FD_MAX ? limit : GLUE_FD_MAX, __ATOMIC_RELAXED);
    return __atomic_load_n(&fd_soft_limit, __ATOMIC_RELAXED);
}

/* The lowest free fd from `from`, below the soft limit (the caller holds
 * fd_lock), or -1. */
static int fd_lowest_free(int from)
{
    int end = __atomic_load_n(&fd_soft_limit, __ATOMIC_RELAXED);
    for (int fd = from; fd < end; fd++)
        if (!fd_table[fd])
            return fd;
    return -1;
}

struct glue_ofile *glue_fd_get(int fd)
{
    if (fd < 0 || fd >= GLUE_FD_MAX)
        return NULL;
    sync_mutex_lock(&fd_lock);
    struct glue_ofile *of = fd_table[fd];
    if (of)
        of->refs++;
    sync_mutex_unlock(&fd_lock);
    return of;
}

void glue_fd_put(struct glue_ofile *of)
{
    sync_mutex_lock(&fd_lock);
    bool last = --of->refs == 0;
    sync_mutex_unlock(&fd_lock);
    if (last && of != &console_ofile) {
        (void)of->ops->close(of->file);     /* nobody is left to tell */
        free(of);
    }
}

int glue_fd_install(const struct vfs_ops *ops, void *file, int flags)
{
    struct glue_ofile *of = malloc(sizeof *of);
    if (!of)
        return -ENOMEM;
    *of = (struct glue_ofile){ .ops = ops, .file = file, .flags = flags,
                               .lock = SYNC_MUTEX_INITIALIZER, .refs = 1 };
    sync_mutex_lock(&fd_lock);
    int fd = fd_lowest_free(0);
    if (fd >= 0) {
        fd_table[fd] = of;
        fd_cloexec[fd] = (flags & O_CLOEXEC) != 0;
    }
    sync_mutex_unlock(&fd_lock);
    if (fd < 0)
        free(of);
    return fd < 0 ? -EMFILE : fd;
}

void *glue_fd_file(int fd, const struct vfs_ops *ops)
{
    if (fd < 0 || fd >= GLUE_FD_MAX)
        return NULL;
    sync_mutex_lock(&fd_lock);
    struct glue_ofile *of = fd_table[fd];
    void *file = of && of->ops == ops ? of->file : NULL;
    sync_mutex_unlock(&fd_lock);
    return file;
}

/* Takes `fd` out of the table; its description loses that reference. */
static int fd_release(int fd)
{
    if (fd < 0 || fd >= GLUE_FD_MAX)
        return -EBADF;
    sync_mutex_lock(&fd_lock);
    struct glue_ofile *of = fd_table[fd];
    fd_table[fd] = NULL;
    sync_mutex_unlock(&fd_lock);
    if (!of)
        return -EBADF;
    void (*hook)(int) = __atomic_load_n(&glue_fd_close_hook, __ATOMIC_ACQUIRE);
    if (hook)
        hook(fd);
    glue_fd_put(of);
    return 0;
}

/* The file system's open: a new description in the lowest free fd. */
int _open_r(struct _reent *r, const char *path, int flags, int mode)
{
    char abs[GLUE_PATH_MAX];
    int err = glue_path(path, abs);
    void *file;
    if (!err)
        err = vfs_root->open(abs, flags, mode & 07777 & ~(int)__atomic_load_n(&fd_umask, __ATOMIC_ACQUIRE),
                             &file);
    if (err)
        return fd_fail(r, -err);
    int fd = glue_fd_install(vfs_root, file, flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_DIRECTORY));
    if (fd < 0) {
        (void)vfs_root->close(file);
        return fd_fail(r, -fd);
    }
    return fd;
}

int _close_r(struct _reent *r, int fd)
{
    int err = fd_release(fd);
    return err ? fd_fail(r, -err) : 0;
}

static bool fd_is_open(int fd)
{
    struct glue_ofile *of = glue_fd_get(fd);
    if (of)
        glue_fd_put(of);
    return of != NULL;
}

/* A second fd for `fd`'s description: the lowest free one from `from`
 * (exact: `to` >= 0, closing what was there). */
static int fd_dup(int fd, int from, int to, bool cloexec)
{
    if (fd < 0 || fd >= GLUE_FD_MAX)
        return -EBADF;
    struct glue_ofile *old = NULL;
    sync_mutex_lock(&fd_lock);
    struct glue_ofile *of = fd_table[fd];
    int nfd = -EBADF;
    if (of) {
        nfd = to >= 0 ? to : fd_lowest_free(from);
        if (nfd < 0)
            nfd = -EMFILE;
        else if (nfd != fd) {
            old = fd_table[nfd];
            of->refs++;
            fd_table[nfd] = of;
            fd_cloexec[nfd] = cloexec;
        }
    }
    sync_mutex_unlock(&fd_lock);
    if (old) {
        /* dup2 closes what `to` named, silently (POSIX), after the swap. */
        void (*hook)(int) = __atomic_load_n(&glue_fd_close_hook, __ATOMIC_ACQUIRE);
        if (hook)
            hook(nfd);
        glue_fd_put(old);
    }
    return nfd;
}

int dup(int fd)
{
    int nfd = fd_dup(fd, 0, -1, false);
    return nfd < 0 ? fd_fail(_REENT, -nfd) : nfd;
}

int dup2(int fd, int to)
{
    if (to < 0 || to >= GLUE_FD_MAX)
        return fd_fail(_REENT, EBADF);
    int nfd = fd_dup(fd, 0, to, false);
    return nfd < 0 ? fd_fail(_REENT, -nfd) : nfd;
}

int dup3(int fd, int to, int flags)
{
    if (flags & ~O_CLOEXEC)
        return fd_fail(_REENT, EINVAL);
    if (fd == to)
        return fd_fail(_REENT, fd_is_open(fd) ? EINVAL : EBADF);
    if (to < 0 || to >= GLUE_FD_MAX)
        return fd_fail(_REENT, EBADF);
    int nfd = fd_dup(fd, 0, to, flags & O_CLOEXEC);
    return nfd < 0 ? fd_fail(_REENT, -nfd) : nfd;
}

/* --- Reading and writing --- */

_ssize_t _write_r(struct _reent *r, int fd, const void *buf, size_t n)
{
    struct glue_ofile *of = glue_fd_get(fd);
    if (!of)
        return fd_fail(r, EBADF);
    ssize_t got;
    if ((of->flags & O_ACCMODE) == O_RDONLY)
        got = -EBADF;
    else if (of->ops->kind & VFS_STREAM)
        got = of->ops->write(of->file, buf, n, 0, of->flags);
    else {
        sync_mutex_lock(&of->lock);
        if (of->flags & O_APPEND) {
            struct stat st;
            if (of->ops->fstat(of->file, &st) == 0)
                of->pos = st.st_size;
        }
        got = of->ops->write(of->file, buf, n, of->pos, of->flags);
        if (got > 0)
            of->pos += got;
        sync_mutex_unlock(&of->lock);
    }
    glue_fd_put(of);
    return got < 0 ? fd_fail(r, (int)-got) : got;
}

_ssize_t _read_r(struct _reent *r, int fd, void *buf, size_t n)
{
    struct glue_ofile *of = glue_fd_get(fd);
    if (!of)
        return fd_fail(r, EBADF);
    ssize_t got;
    if ((of->flags & O_ACCMODE) == O_WRONLY)
        got = -EBADF;
    else if (of->ops->kind & VFS_STREAM)
        got = of->ops->read(of->file, buf, n, 0, of->flags);
    else {
        sync_mutex_lock(&of->lock);
        got = of->ops->read(of->file, buf, n, of->pos, of->flags);
        if (got > 0)
            of->pos += got;
        sync_mutex_unlock(&of->lock);
    }
    glue_fd_put(of);
    return got < 0 ? fd_fail(r, (int)-got) : got;
}

/* pread and pwrite: at `off`, leaving the position alone (newlib declares
 * them and has none). A stream has no position: ESPIPE. pwrite writes at
 * `off` even with O_APPEND, as POSIX says. */
ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
    struct glue_ofile *of = glue_fd_get(fd);
    if (!of)
        return fd_fail(_REENT, EBADF);
    ssize_t got = (of->flags & O_ACCMODE) == O_WRONLY ? -EBADF
                : (of->ops->kind & VFS_STREAM)       ? -ESPIPE
                : off < 0                            ? -EINVAL
                : of->ops->read(of->file, buf, n, off, of->flags);
    glue_fd_put(of);
    return got < 0 ? fd_fail(_REENT, (int)-got) : got;
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
    struct glue_ofile *of = glue_fd_get(fd);
    if (!of)
        return fd_fail(_REENT, EBADF);
    ssize_t got = (of->flags & O_ACCMODE) == O_RDONLY ? -EBADF
                : (of->ops->kind & VFS_STREAM)       ? -ESPIPE
                : off < 0                            ? -EINVAL
                : of->ops->write(of->file, buf, n, off, of->flags);
    glue_fd_put(of);
    return got < 0 ? fd_fail(_REENT, (int)-got) : got;
}

_off_t _lseek_r(struct _reent *r, int fd, _off_t off, int whence)
{
    struct glue_ofile *of = glue_fd_get(fd);
    if (!of)
        return fd_fail(r, EBADF);
    off_t pos = -ESPIPE;
    struct stat st;
    if (!(of->ops->kind & VFS_STREAM)) {
        sync_mutex_lock(&of->lock);
        switch (whence) {
        case SEEK_SET: pos = off; break;
        case SEEK_CUR: pos = of->pos + off; break;
        case SEEK_END: pos = of->ops->fstat(of->file, &st) == 0 ? st.st_size + off : -EIO; break;
        default: pos = -EINVAL; break;
        }
        if (pos < 0 && pos != -EIO)
            pos = -EINVAL;
        if (pos >= 0)
            of->pos = pos;
        sync_mutex_unlock(&of->lock);
    }
    glue_fd_put(of);
    return pos < 0 ? fd_fail(r, (int)-pos) : pos;
}

int _fstat_r(struct _reent *r, int fd, struct stat *st)
{
    if (!st)
        return fd_fail(r, EFAULT);
    struct glue_ofile *of = glue_fd_get(fd);
    if (!of)
        return fd_fail(r, EBADF);
    int err = of->ops->fstat(of->file, st);
    glue_fd_put(of);
    return err ? fd_fail(r, -err) : 0;
}

int _isatty_r(struct _reent *r, int fd)
{
    struct glue_ofile *of = glue_fd_get(fd);
    if (!of) {
        r->_errno = EBADF;
        return 0;
    }
    bool tty = of->ops == &console_ops;
    glue_fd_put(of);
    if (!tty)
        r->_errno = ENOTTY;
    return tty;
}

/* F_GETFL/F_SETFL (O_APPEND, O_NONBLOCK; the access mode stays),
 * F_GETFD/F_SETFD (FD_CLOEXEC, kept though there is no exec),
 * F_DUPFD/F_DUPFD_CLOEXEC. */
int _fcntl_r(struct _reent *r, int fd, int cmd, int arg)
{
    if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC) {
        if (arg < 0 || arg >= GLUE_FD_MAX)
            return fd_fail(r, fd_is_open(fd) ? EINVAL : EBADF);
        int nfd = fd_dup(fd, arg, -1, cmd == F_DUPFD_CLOEXEC);
        return nfd < 0 ? fd_fail(r, -nfd) : nfd;
    }
    struct glue_ofile *of = glue_fd_get(fd);
    if (!of)
        return fd_fail(r, EBADF);
    int ret;
    switch (cmd) {
    case F_GETFL:
        ret = of->flags & ~O_CLOEXEC;
        break;
    case F_SETFL: {
        int flags = (of->flags & ~(O_APPEND | O_NONBLOCK)) | (arg & (O_APPEND | O_NONBLOCK));
        ret = of->ops->setfl ? of->ops->setfl(of->file, flags) : 0;
        if (ret == 0)
            __atomic_store_n(&of->flags, flags, __ATOMIC_RELEASE);
        break;
    }
    case F_GETFD:
        ret = fd_cloexec[fd] ? FD_CLOEXEC : 0;
        break;
    case F_SETFD:
        fd_cloexec[fd] = (arg & FD_CLOEXEC) != 0;
        ret = 0;
        break;
    default:
        ret = -EINVAL;
        break;
    }
    glue_fd_put(of);
    return ret < 0 ? fd_fail(r, -ret) : ret;
}

/* --- Calls on a descriptor's object --- */

/* Runs `op` on fd's object (NULL: refused with `none`), or EBADF. */
#define FD_OBJ_CALL(fd, op, none, ...)                                  \
    ({                                                                  \
        struct glue_ofile *of_ = glue_fd_get(fd);                       \
        int err_ = -EBADF;                                              \
        if (of_) {                                                      \
            err_ = of_->ops->op ? of_->ops->op(of_->file, ##__VA_ARGS__) : (none); \
            glue_fd_put(of_);                                           \
        }                                                               \
        err_;                                                           \
    })

int ftruncate(int fd, off_t len)
{
    if (len < 0)
        return fd_fail(_REENT, EINVAL);
    struct glue_ofile *of = glue_fd_get(fd);
    if (!of)
        return fd_fail(_REENT, EBADF);
    /* Linux: EINVAL when not open for writing or not a regular file. */
    int err = (of->flags & O_ACCMODE) == O_RDONLY || !of->ops->ftruncate ? -EINVAL
                                                                         : of->ops->ftruncate(of->file, len);
    glue_fd_put(of);
    return err ? fd_fail(_REENT, -err) : 0;
}

/* fsync and fdatasync: a pipe, socket or the console cannot be synced
 * (EINVAL, as Linux says); the file system's fsync decides for files. */
int fsync(int fd)
{
    int err = FD_OBJ_CALL(fd, fsync, -EINVAL);
    return err ? fd_fail(_REENT, -err) : 0;
}

int fdatasync(int fd)
{
    return fsync(fd);           /* memfs and vsafs make data and metadata durable together */
}

int glue_fd_readdir(int fd, long index, char *name, ino_t *ino)
{
    return FD_OBJ_CALL(fd, readdir, -ENOTDIR, index, name, ino);
}

/* --- Calls on a path --- */

/* Runs the file system's `op` on the normalised `path`. */
#define FD_PATH_CALL(path, op, ...)                                     \
    ({                                                                  \
        char abs_[GLUE_PATH_MAX];                                       \
        int err_ = glue_path(path, abs_);                               \
        if (!err_)                                                      \
            err_ = vfs_root->op ? vfs_root->op(abs_, ##__VA_ARGS__) : -EROFS; \
        err_;                                                           \
    })

int _stat_r(struct _reent *r, const char *path, struct stat *st)
{
    int err = st ? FD_PATH_CALL(path, stat, st) : -EFAULT;
    return err ? fd_fail(r, -err) : 0;
}

int _unlink_r(struct _reent *r, const char *path)
{
    int err = FD_PATH_CALL(path, unlink);
    return err ? fd_fail(r, -err) : 0;
}

int _mkdir_r(struct _reent *r, const char *path, int mode)
{
    int err = FD_PATH_CALL(path, mkdir, mode & 07777 & ~(int)__atomic_load_n(&fd_umask, __ATOMIC_ACQUIRE));
    return err ? fd_fail(r, -err) : 0;
}

/* POSIX: rmdir of a path whose last component is "." is EINVAL; the
 * normalised path no longer shows it, so look before. */
int rmdir(const char *path)
{
    if (path) {
        size_t n = strlen(path);
        while (n > 1 && path[n - 1] == '/')
            n--;
        if ((n == 1 && path[0] == '.') || (n >= 2 && path[n - 1] == '.' && path[n - 2] == '/'))
            return fd_fail(_REENT, EINVAL);
    }
    int err = FD_PATH_CALL(path, rmdir);
    return err ? fd_fail(_REENT, -err) : 0;
}

int _rename_r(struct _reent *r, const char *from, const char *to)
{
    char src[GLUE_PATH_MAX], dst[GLUE_PATH_MAX];
    int err = glue_path(from, src);
    if (!err)
        err = glue_path(to, dst);
    if (!err)
        err = vfs_root->rename ? vfs_root->rename(src, dst) : -EROFS;
    return err ? fd_fail(r, -err) : 0;
}

int truncate(const char *path, off_t len)
{
    int err = len < 0 ? -EINVAL : FD_PATH_CALL(path, truncate, len);
    return err ? fd_fail(_REENT, -err) : 0;
}

mode_t umask(mode_t mask)
{
    return __atomic_exchange_n(&fd_umask, mask & 0777, __ATOMIC_ACQ_REL);
}

int chmod(const char *path, mode_t mode)
{
    int err = FD_PATH_CALL(path, chmod, (int)(mode & 07777));
    return err ? fd_fail(_REENT, -err) : 0;
}

int fchmod(int fd, mode_t mode)
{
    int err = FD_OBJ_CALL(fd, fchmod, -EINVAL, (int)(mode & 07777));
    return err ? fd_fail(_REENT, -err) : 0;
}

/* The user owns every file (there is one user, not root), so the owner
 * bits of the mode decide. */
int access(const char *path, int mode)
{
    if (mode & ~(R_OK | W_OK | X_OK))
        return fd_fail(_REENT, EINVAL);
    struct stat st;
    int err = FD_PATH_CALL(path, stat, &st);
    if (!err && (((mode & R_OK) && !(st.st_mode & S_IRUSR)) || ((mode & W_OK) && !(st.st_mode & S_IWUSR)) ||
                 ((mode & X_OK) && !(st.st_mode & S_IXUSR))))
        err = -EACCES;
    return err ? fd_fail(_REENT, -err) : 0;
}

/* The plain POSIX names, over the reentrant ones. */
_READ_WRITE_RETURN_TYPE write(int fd, const void *buf, size_t n) { return _write_r(_REENT, fd, buf, n); }
_READ_WRITE_RETURN_TYPE read(int fd, void *buf, size_t n) { return _read_r(_REENT, fd, buf, n); }
int close(int fd) { return _close_r(_REENT, fd); }
off_t lseek(int fd, off_t off, int whence) { return _lseek_r(_REENT, fd, off, whence); }
int fstat(int fd, struct stat *st) { return _fstat_r(_REENT, fd, st); }
int isatty(int fd) { return _isatty_r(_REENT, fd); }
int stat(const char *path, struct stat *st) { return _stat_r(_REENT, path, st); }
/* No symbolic links exist, so lstat is stat (Redis's replication.c). */
int lstat(const char *path, struct stat *st) { return _stat_r(_REENT, path, st); }
int unlink(const char *path) { return _unlink_r(_REENT, path); }
int mkdir(const char *path, mode_t mode) { return _mkdir_r(_REENT, path, (int)mode); }
int rename(const char *from, const char *to) { return _rename_r(_REENT, from, to); }
int fcntl(int fd, int cmd, ...)
{
    va_list ap;
    va_start(ap, cmd);
    bool has_arg = cmd == F_SETFL || cmd == F_SETFD || cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC;
    int arg = has_arg ? va_arg(ap, int) : 0;
    va_end(ap);
    return _fcntl_r(_REENT, fd, cmd, arg);
}
int open(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    int mode = flags & O_CREAT ? va_arg(ap, int) : 0;
    va_end(ap);
    return _open_r(_REENT, path, flags, mode);
}
