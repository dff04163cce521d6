/**
 * \file libc.h
 * \brief What the C library's glue (lib/newlib) offers the POSIX layer
 * (lib/posix) and the start-up code: threads' TLS blocks, the fd table,
 * and the seam for file systems.
 */
#ifndef POSIX_LIBC_H
#define POSIX_LIBC_H
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <libos/sync.h>
#include <libos/tls.h>

/** A TLS block for a new thread, with its own struct _reent (errno...);
 *  NULL when out of memory. */
struct tls_tcb *glue_tls_new(void);
/** Frees a block of glue_tls_new() (not the caller's own). */
void glue_tls_free(struct tls_tcb *tcb);
/** Gives the initial thread its TLS block (libos_libc_init calls it). */
void glue_threads_init(void);
/** Sets up the file descriptors (libos_libc_init calls it). */
void glue_fd_init(void);

/** How many descriptors the table holds (getrlimit(RLIMIT_NOFILE),
 *  sysconf(_SC_OPEN_MAX) and FD_SETSIZE say the same). */
#define GLUE_FD_MAX 1024

/** RLIMIT_NOFILE's soft limit: new fds are below it (at most GLUE_FD_MAX;
 *  setrlimit lowers or raises it). Returns the limit; `limit` < 0 only asks. */
int glue_fd_limit(int limit);

/** vfs_ops.kind: a stream has no position (pipes, sockets, the console);
 *  its read and write may block and run without the descriptor's lock. */
#define VFS_STREAM 0x1

/**
 * An object behind file descriptors: a file system's file, a pipe, a
 * socket, an epoll instance (lib/newlib/fd.c). Each call returns 0 (or a
 * byte count, or poll bits) or a negative errno; NULL entries are refused
 * (EINVAL, or ENOTDIR/EPERM where POSIX says). `file` is the object's own
 * handle. Positions are the open file description's: read and write get
 * the offset to use and the description's status flags (O_NONBLOCK...).
 * Path calls belong to a file system (vfs_root: memfs today,
 * lib/newlib/memfs.c; a VSA-backed one replaces it by providing the same
 * table); paths reach them absolute and normalised (no ".", "..", "//"),
 * and a new file's or directory's mode with the umask already applied.
 */
struct vfs_ops {
    const char *name;
    unsigned kind;                  /* VFS_STREAM or 0 */
    int (*open)(const char *path, int flags, int mode, void **file);
    ssize_t (*read)(void *file, void *buf, size_t n, off_t pos, int flags);
    ssize_t (*write)(void *file, const void *buf, size_t n, off_t pos, int flags);
    int (*fstat)(void *file, struct stat *st);
    int (*close)(void *file);
    /** O_NONBLOCK (and O_APPEND) changed by fcntl(F_SETFL); may be NULL. */
    int (*setfl)(void *file, int flags);
    /** What the object is ready for now (POLLIN, POLLOUT, POLLHUP,
     *  POLLERR); NULL: not a waitable object (regular files, the console). */
    int (*poll)(void *file);
    int (*ftruncate)(void *file, off_t len);
    int (*fsync)(void *file);
    int (*fchmod)(void *file, int mode);
    /** The entry `index` of a directory opened with open(): its name and
     *  inode into name[256] and *ino; 0, 1 (no more) or a negative errno. */
    int (*readdir)(void *file, long index, char *name, ino_t *ino);
    int (*stat)(const char *path, struct stat *st);
    int (*unlink)(const char *path);
    int (*mkdir)(const char *path, int mode);
    int (*rmdir)(const char *path);
    int (*rename)(const char *from, const char *to);
    int (*truncate)(const char *path, off_t len);
    int (*chmod)(const char *path, int mode);
};

/** An open file description: what open() made, shared by dup()'d fds. */
struct glue_ofile {
    const struct vfs_ops *ops;
    void *file;
    int flags;                      /* open flags: access mode, O_APPEND, O_NONBLOCK */
    /* Under `lock`: */
    struct sync_mutex lock;         /* serialises position updates of non-streams */
    off_t pos;
    /* Under the fd table's lock: */
    unsigned refs;                  /* fds naming it + calls in flight */
};

/** Puts (ops, file) in the lowest free fd, as a new open file description
 *  with open flags `flags`; returns the fd or -EMFILE (or -ENOMEM). close()
 *  of its last fd calls ops->close(file); on failure the caller still owns
 *  `file`. */
int glue_fd_install(const struct vfs_ops *ops, void *file, int flags);
/** The file of `fd` if it is open with `ops`, else NULL. (No reference is
 *  taken: the caller must not race the fd's close.) */
void *glue_fd_file(int fd, const struct vfs_ops *ops);
/** The open file description of `fd`, referenced (so it outlives a close
 *  meanwhile), or NULL if `fd` is not open. Give it back with glue_fd_put. */
struct glue_ofile *glue_fd_get(int fd);
void glue_fd_put(struct glue_ofile *of);
/** The entry `index` of the directory open as `fd` (vfs_ops readdir): 0,
 *  1 at the end, or a negative errno (ENOTDIR, EBADF). dir.c uses it. */
int glue_fd_readdir(int fd, long index, char *name, ino_t *ino);
/** Called (outside the table's lock) with each fd that close() or dup2()
 *  ends, after it is gone from the table (epoll.c sets it). */
extern void (*glue_fd_close_hook)(int fd);

/** The file system for paths (memfs_ops until glue_mount makes it the
 *  mount table's dispatcher). */
extern const struct vfs_ops *vfs_root;
extern const struct vfs_ops memfs_ops;

/** Mounts the file system `ops` on `point` (absolute, normalised, not
 *  "/"; lib/newlib/mount.c): paths at or under it reach ops with the rest
 *  of the path ("/data/x" as "/x"); vfs_root becomes the mount table's
 *  dispatcher. 0, -EINVAL, -EBUSY (something is mounted there), -ENFILE
 *  (the table is full), or an error making the mount point in memfs. */
int glue_mount(const char *point, const struct vfs_ops *ops);

/** The longest path, with its NUL (sys/syslimits.h's PATH_MAX). */
#define GLUE_PATH_MAX 1024
/** Makes `path` absolute against the working directory and normalised
 *  into out[GLUE_PATH_MAX] (lib/newlib/path.c): 0 or a negative errno
 *  (EFAULT for NULL, ENOENT for "", ENAMETOOLONG). */
int glue_path(const char *path, char *out);
#endif
