/**
 * \file vsafs.h
 * \brief vsafs: a small crash-consistent file system on a VSA, run by the
 *        application itself (the library OS), over a struct blk_dev.
 *
 * The whole tree and every file's bytes live in the application's memory;
 * the device holds a checkpoint of them and a lib/tenacious log of every
 * change since (format in vsafs.c and lib/vsafs/README.md). A change is
 * made in memory and its record queued on the log at once (group commit:
 * the log's next batch carries all changes made while one is in flight);
 * vsafs_sync waits until every change so far is durable, which is what
 * fsync and fdatasync mean here. An append and its fdatasync cost one log
 * write and one flush. When the log is full the file system writes a new
 * checkpoint to the other of two slots, switches the superblock to it (one
 * sector, atomic) and resets the log. A crash at any moment leaves the
 * checkpoint and log prefix that mounting replays: each change whole or
 * not at all, in order, every synced one there.
 *
 * Limits: files live in memory, and the whole tree must fit one
 * checkpoint slot (about 3/8 of the device): beyond that writes get
 * ENOSPC. No hard links, no symbolic links, no times.
 *
 * These calls are the core, host-compilable and single-threaded: the
 * caller locks (vsafs_vfs.c, the struct vfs_ops of the library OS, does).
 * Paths are absolute within the file system and normalised ("/", "/a/b").
 * Calls return 0 (or a byte count) or a negative errno; a device failure
 * is -EIO and the file system then refuses every further change.
 */
#ifndef VSAFS_VSAFS_H
#define VSAFS_VSAFS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <arrakis/blk.h>
#include <kpi/errors.h>

struct vsafs;

#define VSAFS_ROOT_INO 1
#define VSAFS_NAME_MAX 255

struct vsafs_attr {
    uint32_t ino;
    bool dir;
    uint32_t mode;                      /* permission bits */
    uint32_t nlink;
    uint64_t size;
};

/** Counters, for tests and `make bench`. */
struct vsafs_stats {
    uint64_t records;                   /* log records appended */
    uint64_t checkpoints;
    uint64_t syncs_waited;              /* vsafs_sync calls that had to wait */
};

/** Writes an empty file system (superblock, empty checkpoint, empty log). */
errval_t vsafs_format(struct blk_dev *dev);
/** Mounts the file system on `dev` (checkpoint, then the log's records
 *  after it); with format_if_empty, a device without one (no valid
 *  superblock) is formatted first. VSAFS_ERR_NO_FS, VSAFS_ERR_CORRUPT. */
errval_t vsafs_open(struct blk_dev *dev, bool format_if_empty, struct vsafs **out);
/** Waits for every change to be durable, then frees the file system. */
errval_t vsafs_close(struct vsafs *fs);

int vsafs_lookup(struct vsafs *fs, const char *path, uint32_t *ino);
/** Makes a file or directory: -EEXIST if the name is taken. */
int vsafs_create(struct vsafs *fs, const char *path, bool dir, uint32_t mode, uint32_t *ino);
/** unlink (dir false: -EISDIR for a directory) or rmdir (dir true:
 *  -ENOTDIR, -ENOTEMPTY). A file still held stays readable until released. */
int vsafs_remove(struct vsafs *fs, const char *path, bool dir);
/** Renames, replacing `to` in the same step (one log record). */
int vsafs_rename(struct vsafs *fs, const char *from, const char *to);
ssize_t vsafs_read(struct vsafs *fs, uint32_t ino, void *buf, size_t n, uint64_t off);
ssize_t vsafs_write(struct vsafs *fs, uint32_t ino, const void *buf, size_t n, uint64_t off);
int vsafs_truncate(struct vsafs *fs, uint32_t ino, uint64_t len);
int vsafs_chmod(struct vsafs *fs, uint32_t ino, uint32_t mode);
int vsafs_getattr(struct vsafs *fs, uint32_t ino, struct vsafs_attr *attr);
/** Entry `index` of a directory (0 ".", 1 "..", then its names) into
 *  name[VSAFS_NAME_MAX + 1]: 0, 1 past the end, or a negative errno. */
int vsafs_readdir(struct vsafs *fs, uint32_t ino, long index, char *name, uint32_t *child);
/** An open file: its inode stays while held, even once unlinked. */
int vsafs_hold(struct vsafs *fs, uint32_t ino);
void vsafs_release(struct vsafs *fs, uint32_t ino);
/** Returns when every change made so far is durable (fsync, fdatasync). */
int vsafs_sync(struct vsafs *fs);
/** Writes a checkpoint now and empties the log. */
int vsafs_checkpoint(struct vsafs *fs);
/** Checks the tree: 0, or -EIO with the first fault in why[n] (why may
 *  be NULL). */
int vsafs_check(struct vsafs *fs, char *why, size_t n);
void vsafs_get_stats(const struct vsafs *fs, struct vsafs_stats *st);

/* --- In the library OS (vsafs_vfs.c, newlib) --- */

/** Mounts the file system on `dev` at `path` (e.g. "/data") in the mount
 *  table of lib/newlib (glue_mount): paths under it go to vsafs, the rest
 *  stays in memfs. One vsafs mount per domain. */
errval_t vsafs_mount(const char *path, struct blk_dev *dev, bool format_if_empty);

/** How a domain gets the block device of the VSA named `name` (the
 *  storage branch's VSIC provides it). */
typedef errval_t (*vsafs_blk_open_fn)(const char *name, struct blk_dev **dev);
/** The hook for spawn arguments: finds fs=NAME in the environment (where
 *  leading NAME=value spawn arguments go) or else among libos_argv (taken
 *  out: main does not see it), opens the VSA NAME with `open` and
 *  mounts it on /data, formatting it if it holds no file system (no valid
 *  superblock). ERR_OK also when there is no fs= argument. A failure is
 *  said on the console once; the caller should then end the program
 *  rather than let /data fall to memfs. Meant for a constructor (before
 *  main, before other threads). */
errval_t vsafs_mount_spawn_args(vsafs_blk_open_fn open);
#endif
