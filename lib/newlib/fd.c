/*
 * fd.c: file descriptors for newlib programs, over a table of file
 * systems (struct vfs_ops, posix/libc.h).
 *
 * fds 0, 1 and 2 are always the console (its own vfs_ops: write ->
 * SYS_PRINT, read <- SYS_GETCHAR); open() gives the lowest free fd from 3
 * on, naming a file of the root file system (vfs_root: memfs today, a
 * VSA-backed file system later). The table holds the file system, its
 * handle, the position and the open flags (O_APPEND is applied here); one
 * cross-core mutex guards it, and a read or write runs under it too, so
 * two threads sharing an fd never see half an update of its position.
 * Other objects can sit in the table too (glue_fd_install: epoll
 * instances). Sockets are not in it: their fds are lwIP's socket numbers
 * (from GLUE_SOCKET_FD_MIN, above FD_MAX) and their calls go to
 * glue_sockets (lib/posix/socket.c), without the table's lock.
 */
#include <errno.h>
#include <fcntl.h>
#include <reent.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libos/sync.h>
#include <libos/syscall.h>
#include <posix/libc.h>

#define FD_MAX 32
/* The kernel refuses longer SYS_PRINT buffers (PRINT_MAX in kernel/syscall.c). */
#define FD_PRINT_CHUNK 1024

struct fd_entry {
    const struct vfs_ops *ops;      /* NULL: free */
    void *file;
    off_t pos;
    int flags;
};

static struct sync_mutex fd_lock = SYNC_MUTEX_INITIALIZER;
static struct fd_entry fd_table[FD_MAX];
const struct vfs_ops *vfs_root = &memfs_ops;
const struct glue_socket_ops *glue_sockets;

_Static_assert(FD_MAX <= GLUE_SOCKET_FD_MIN, "files and sockets have separate fd numbers");

/* A socket's fd, with the socket layer linked in. */
static const struct glue_socket_ops *fd_socket(int fd)
{
    const struct glue_socket_ops *ops = __atomic_load_n(&glue_sockets, __ATOMIC_ACQUIRE);
    return fd >= GLUE_SOCKET_FD_MIN && fd < GLUE_SOCKET_FD_END ? ops : NULL;
}

static int fd_fail(struct _reent *r, int err)
{
    r->_errno = err;
    return -1;
}

/* libos_libc_init calls this: it also makes the linker take this file
 * (and memfs.c) from the glue archive before libc.a, whose reent/ objects
 * would otherwise define _open_r and the others first. */
void glue_fd_init(void)
{
}

/* --- The console --- */

static ssize_t console_write(void *file, const void *buf, size_t n, off_t pos)
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
static ssize_t console_read(void *file, void *buf, size_t n, off_t pos)
{
    if (n == 0)
        return 0;
    char *p = buf;
    int c;
    while ((c = console_getc()) < 0)
        (void)sys_yield(SYS_YIELD_BLOCK);
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
    .name = "console", .read = console_read, .write = console_write,
    .fstat = console_fstat, .close = console_close,
};

/* The entry of an open fd (the caller holds fd_lock), or NULL. */
static struct fd_entry *fd_get(int fd)
{
    if (fd >= 0 && fd <= 2) {
        static struct fd_entry console = { &console_ops, 0, 0, O_RDWR };
        return &console;
    }
    if (fd < 0 || fd >= FD_MAX || !fd_table[fd].ops)
        return NULL;
    return &fd_table[fd];
}

int _open_r(struct _reent *r, const char *path, int flags, int mode)
{
    if (!path)
        return fd_fail(r, EFAULT);
    sync_mutex_lock(&fd_lock);
    int fd = 3;
    while (fd < FD_MAX && fd_table[fd].ops)
        fd++;
    if (fd == FD_MAX) {
        sync_mutex_unlock(&fd_lock);
        return fd_fail(r, EMFILE);
    }
    void *file;
    int err = vfs_root->open(path, flags, mode, &file);
    if (err == 0)
        fd_table[fd] = (struct fd_entry){ vfs_root, file, 0, flags };
    sync_mutex_unlock(&fd_lock);
    return err ? fd_fail(r, -err) : fd;
}

int glue_fd_install(const struct vfs_ops *ops, void *file, int flags)
{
    sync_mutex_lock(&fd_lock);
    int fd = 3;
    while (fd < FD_MAX && fd_table[fd].ops)
        fd++;
    if (fd < FD_MAX)
        fd_table[fd] = (struct fd_entry){ ops, file, 0, flags };
    sync_mutex_unlock(&fd_lock);
    return fd < FD_MAX ? fd : -EMFILE;
}

void *glue_fd_file(int fd, const struct vfs_ops *ops)
{
    sync_mutex_lock(&fd_lock);
    struct fd_entry *e = fd_get(fd);
    void *file = e && e->ops == ops ? e->file : NULL;
    sync_mutex_unlock(&fd_lock);
    return file;
}

int _close_r(struct _reent *r, int fd)
{
    if (fd >= 0 && fd <= 2)
        return 0;
    if (fd_socket(fd))
        return glue_sockets->close(fd);
    sync_mutex_lock(&fd_lock);
    struct fd_entry *e = fd_get(fd);
    int err = e ? e->ops->close(e->file) : -EBADF;
    if (e)
        e->ops = NULL;
    sync_mutex_unlock(&fd_lock);
    return err ? fd_fail(r, -err) : 0;
}

_ssize_t _write_r(struct _reent *r, int fd, const void *buf, size_t n)
{
    if (fd >= 0 && fd <= 2) {       /* the console needs no lock */
        ssize_t got = console_write(NULL, buf, n, 0);
        return got < 0 ? fd_fail(r, (int)-got) : got;
    }
    if (fd_socket(fd))
        return glue_sockets->write(fd, buf, n);
    sync_mutex_lock(&fd_lock);
    struct fd_entry *e = fd_get(fd);
    ssize_t got = -EBADF;
    if (e && (e->flags & O_ACCMODE) == O_RDONLY)
        got = -EBADF;
    else if (e) {
        if (e->flags & O_APPEND) {
            struct stat st;
            if (e->ops->fstat(e->file, &st) == 0)
                e->pos = st.st_size;
        }
        got = e->ops->write(e->file, buf, n, e->pos);
        if (got > 0)
            e->pos += got;
    }
    sync_mutex_unlock(&fd_lock);
    return got < 0 ? fd_fail(r, (int)-got) : got;
}

_ssize_t _read_r(struct _reent *r, int fd, void *buf, size_t n)
{
    if (fd >= 0 && fd <= 2) {
        ssize_t got = console_read(NULL, buf, n, 0);
        return got < 0 ? fd_fail(r, (int)-got) : got;
    }
    if (fd_socket(fd))
        return glue_sockets->read(fd, buf, n);
    sync_mutex_lock(&fd_lock);
    struct fd_entry *e = fd_get(fd);
    ssize_t got = -EBADF;
    if (e && (e->flags & O_ACCMODE) != O_WRONLY) {
        got = e->ops->read(e->file, buf, n, e->pos);
        if (got > 0)
            e->pos += got;
    }
    sync_mutex_unlock(&fd_lock);
    return got < 0 ? fd_fail(r, (int)-got) : got;
}

_off_t _lseek_r(struct _reent *r, int fd, _off_t off, int whence)
{
    if ((fd >= 0 && fd <= 2) || fd_socket(fd))
        return fd_fail(r, ESPIPE);
    sync_mutex_lock(&fd_lock);
    struct fd_entry *e = fd_get(fd);
    off_t pos = -EBADF;
    struct stat st;
    if (e) {
        switch (whence) {
        case SEEK_SET: pos = off; break;
        case SEEK_CUR: pos = e->pos + off; break;
        case SEEK_END: pos = e->ops->fstat(e->file, &st) == 0 ? st.st_size + off : -EIO; break;
        default: pos = -EINVAL; break;
        }
        if (pos < 0 && pos != -EBADF && pos != -EIO)
            pos = -EINVAL;
        if (pos >= 0)
            e->pos = pos;
    }
    sync_mutex_unlock(&fd_lock);
    return pos < 0 ? fd_fail(r, (int)-pos) : pos;
}

int _fstat_r(struct _reent *r, int fd, struct stat *st)
{
    if (fd_socket(fd)) {
        if (glue_sockets->fcntl(fd, F_GETFL, 0) < 0)
            return -1;                  /* EBADF */
        *st = (struct stat){ .st_mode = S_IFSOCK | 0600, .st_nlink = 1 };
        return 0;
    }
    sync_mutex_lock(&fd_lock);
    struct fd_entry *e = fd_get(fd);
    int err = e ? e->ops->fstat(e->file, st) : -EBADF;
    sync_mutex_unlock(&fd_lock);
    return err ? fd_fail(r, -err) : 0;
}

int _isatty_r(struct _reent *r, int fd)
{
    if (fd >= 0 && fd <= 2)
        return 1;
    struct stat st;
    r->_errno = _fstat_r(r, fd, &st) == 0 ? ENOTTY : EBADF;
    return 0;
}

/* F_GETFL/F_SETFL (O_APPEND, O_NONBLOCK; the access mode stays),
 * F_GETFD/F_SETFD (no exec: nothing to close on it). */
int _fcntl_r(struct _reent *r, int fd, int cmd, int arg)
{
    if (fd_socket(fd))
        return glue_sockets->fcntl(fd, cmd, arg);
    sync_mutex_lock(&fd_lock);
    struct fd_entry *e = fd_get(fd);
    int ret = -EBADF;
    if (e) {
        switch (cmd) {
        case F_GETFL: ret = e->flags; break;
        case F_SETFL:
            if (fd > 2)
                e->flags = (e->flags & ~(O_APPEND | O_NONBLOCK)) | (arg & (O_APPEND | O_NONBLOCK));
            ret = 0;
            break;
        case F_GETFD: case F_SETFD: ret = 0; break;
        default: ret = -EINVAL; break;
        }
    }
    sync_mutex_unlock(&fd_lock);
    return ret < 0 ? fd_fail(r, -ret) : ret;
}

int _stat_r(struct _reent *r, const char *path, struct stat *st)
{
    int err = path ? vfs_root->stat(path, st) : -EFAULT;
    return err ? fd_fail(r, -err) : 0;
}

int _unlink_r(struct _reent *r, const char *path)
{
    int err = path ? vfs_root->unlink(path) : -EFAULT;
    return err ? fd_fail(r, -err) : 0;
}

/* The plain POSIX names, over the reentrant ones. */
_READ_WRITE_RETURN_TYPE write(int fd, const void *buf, size_t n) { return _write_r(_REENT, fd, buf, n); }
_READ_WRITE_RETURN_TYPE read(int fd, void *buf, size_t n) { return _read_r(_REENT, fd, buf, n); }
int close(int fd) { return _close_r(_REENT, fd); }
off_t lseek(int fd, off_t off, int whence) { return _lseek_r(_REENT, fd, off, whence); }
int fstat(int fd, struct stat *st) { return _fstat_r(_REENT, fd, st); }
int isatty(int fd) { return _isatty_r(_REENT, fd); }
int stat(const char *path, struct stat *st) { return _stat_r(_REENT, path, st); }
int unlink(const char *path) { return _unlink_r(_REENT, path); }
int fcntl(int fd, int cmd, ...)
{
    va_list ap;
    va_start(ap, cmd);
    int arg = cmd == F_SETFL || cmd == F_SETFD ? va_arg(ap, int) : 0;
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
