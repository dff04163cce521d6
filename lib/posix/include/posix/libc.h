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

/** The file system for paths (memfs_ops until there is another). */
extern const struct vfs_ops *vfs_root;
extern const struct vfs_ops memfs_ops;
#endif
