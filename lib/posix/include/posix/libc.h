/**
 * \file libc.h
 * \brief What the C library's glue (lib/newlib) offers the POSIX layer
 * (lib/posix) and the start-up code: threads' TLS blocks and the seam for
 * file systems.
 */
#ifndef POSIX_LIBC_H
#define POSIX_LIBC_H
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>
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

/**
 * A file system behind the file descriptors (lib/newlib/fd.c). Each call
 * returns 0 (or a byte count) or a negative errno. `file` is the file
 * system's own handle, made by open. Positions are the fd table's: read
 * and write get the offset to use. Today the one file system is the
 * in-memory memfs (lib/newlib/memfs.c); a VSA-backed one replaces it by
 * providing the same table.
 */
struct vfs_ops {
    const char *name;
    int (*open)(const char *path, int flags, int mode, void **file);
    ssize_t (*read)(void *file, void *buf, size_t n, off_t pos);
    ssize_t (*write)(void *file, const void *buf, size_t n, off_t pos);
    int (*fstat)(void *file, struct stat *st);
    int (*close)(void *file);
    int (*stat)(const char *path, struct stat *st);
    int (*unlink)(const char *path);
};

/** Puts (ops, file) in the lowest free fd from 3 on, with open flags
 *  `flags` (an epoll instance, say: lib/posix/epoll.c); returns the fd or
 *  -EMFILE. close() on it calls ops->close(file). */
int glue_fd_install(const struct vfs_ops *ops, void *file, int flags);
/** The file of `fd` if it is open with `ops`, else NULL. */
void *glue_fd_file(int fd, const struct vfs_ops *ops);

/**
 * Sockets are file descriptors whose numbers are lwIP's socket numbers
 * (LWIP_SOCKET_OFFSET 64 in lib/lwip/include/lwipopts.h, up to 256), above
 * the fd table's. read, write, close, fstat and fcntl on such an fd go to
 * these (lib/posix/socket.c sets glue_sockets when it makes its first
 * socket, so programs without sockets do not link lwIP). Each returns as
 * the POSIX call does, with errno set.
 */
#define GLUE_SOCKET_FD_MIN 64
#define GLUE_SOCKET_FD_END 256
struct glue_socket_ops {
    ssize_t (*read)(int fd, void *buf, size_t n);
    ssize_t (*write)(int fd, const void *buf, size_t n);
    int (*close)(int fd);
    int (*fcntl)(int fd, int cmd, int arg);
};
extern const struct glue_socket_ops *glue_sockets;

/** The file system for paths (memfs_ops until there is another). */
extern const struct vfs_ops *vfs_root;
extern const struct vfs_ops memfs_ops;
#endif
