/*
 * vsafs_priv.h: what the parts of the vsafs core share (the tree in
 * memory, the change records, the disk side). Not for users of the file
 * system: they have vsafs/vsafs.h.
 */
#ifndef VSAFS_PRIV_H
#define VSAFS_PRIV_H
#include <tenacious/tenacious.h>
#include <vsafs/vsafs.h>

struct vs_dirent {
    char *name;
    uint32_t ino;
};

struct vs_inode {
    bool used, dir;
    uint32_t mode;                      /* permission bits */
    uint32_t nlink;                     /* names it has (0: an unlinked file still held) */
    uint32_t parent;                    /* a directory's (the root's is itself) */
    uint32_t holds;                     /* open files on it */
    uint8_t *data;                      /* a file's bytes */
    uint64_t size, cap;
    struct vs_dirent *ents;             /* a directory's names */
    uint32_t nent, entcap;
};

struct vsafs {
    struct blk_dev *dev;
    struct tenacious *log;
    /* The layout, from the superblock. */
    uint64_t slot_blocks, log_first, log_blocks;
    uint64_t gen;                       /* checkpoint generation: slot gen & 1 */
    /* The tree: inode i is inodes[i] (0 unused, 1 the root). */
    struct vs_inode *inodes;
    uint32_t ninodes;
    uint8_t *rec;                       /* a record being built (max_rec bytes) */
    size_t max_rec;
    bool broken;                        /* the device failed: no more changes */
    uint64_t replay_from;               /* records with seq <= this are in the checkpoint */
    struct vsafs_stats stats;
};

/* Record kinds: every change of the tree is one record, applied by
 * vs_apply both when it is made and when the log is replayed. */
enum vs_op {
    VS_OP_CREATE = 1,   /* u32 parent, u32 ino, u32 mode, u8 dir, u16 nlen, name */
    VS_OP_REMOVE = 2,   /* u32 parent, u8 dir, u16 nlen, name */
    VS_OP_RENAME = 3,   /* u32 sparent, u32 dparent, u16 snlen, u16 dnlen, names */
    VS_OP_WRITE = 4,    /* u32 ino, u64 off, u32 len, data */
    VS_OP_TRUNC = 5,    /* u32 ino, u64 len */
    VS_OP_CHMOD = 6,    /* u32 ino, u32 mode */
};
/* The largest fixed part of a record: a WRITE's 17 bytes. */
#define VS_WRITE_HDR 17

/** Inode ino if it is in use, else NULL. */
struct vs_inode *vs_ino(struct vsafs *fs, uint32_t ino);
/** Puts v little-endian in `bytes` bytes at p; returns p + bytes. */
uint8_t *vs_put(uint8_t *p, uint64_t v, unsigned bytes);
/** Applies one record to the tree: 0 or a negative errno (and nothing
 *  changed). */
int vs_apply(struct vsafs *fs, const uint8_t *rec, size_t len);
/** The bytes a checkpoint of the tree takes now. */
uint64_t vs_image_bytes(const struct vsafs *fs);
/** Serialises the tree, handing it to `emit` piece by piece, in order;
 *  stops at emit's first error and returns it. */
typedef int (*vs_emit_fn)(void *cookie, const void *data, size_t n);
int vs_image_emit(const struct vsafs *fs, uint64_t gen, uint64_t seq, vs_emit_fn emit, void *cookie);
/** Serialises the tree into img[vs_image_bytes()]. */
void vs_image_write(const struct vsafs *fs, uint8_t *img, uint64_t gen, uint64_t seq);
/** Loads the tree from a checkpoint image (fs has no tree yet). */
int vs_image_read(struct vsafs *fs, const uint8_t *img, uint64_t bytes);
/** Frees the tree. */
void vs_tree_free(struct vsafs *fs);
/** A new empty tree (only the root). */
int vs_tree_init(struct vsafs *fs);
/** Frees inode ino's contents and marks it unused. */
void vs_inode_free(struct vsafs *fs, uint32_t ino);
#endif
