/**
 * \file vsa.h
 * \brief VSAs: named extents of the disk, their table kept on the disk
 * itself (vsa.c). The table is VSA_TABLE_BLOCKS at block 0, rewritten
 * and flushed on every change, read at start: the VSAs survive reboots.
 */
#ifndef VSICD_VSA_H
#define VSICD_VSA_H
#include <stdbool.h>
#include <stdint.h>
#include <kpi/errors.h>
#include <arrakis/vsic_ring.h>

#define VSA_MAGIC        0x3141534b52524141ull   /* "AARRKSA1" */
#define VSA_TABLE_BYTES  8192u
#define VSA_MAX          31
#define VSA_EXTENTS      12
#define VSA_DATA_START_BYTES (1u << 20)         /* blocks below: the table */
#define VSA_RESERVED_END_BYTES (4u << 20)       /* the last 4 MiB: vsicd selftest */

struct vsa_extent {
    uint64_t start, count;          /* physical blocks */
};

/* On disk, little endian (tools/vsa-read reads the same layout). */
struct vsa_entry {
    char name[VSIC_NAME_MAX];       /* not NUL-terminated when 8 long; all 0: free */
    uint32_t creator;               /* domain id that created it (informational) */
    uint32_t nextents;
    uint64_t blocks;                /* virtual size */
    uint64_t reserved[3];
    struct vsa_extent ext[VSA_EXTENTS];
};
_Static_assert(sizeof(struct vsa_entry) == 240, "VSA entry layout is on disk");

struct vsa_table {
    uint64_t magic;
    uint32_t version, count;
    uint64_t generation;            /* bumped on every write */
    uint8_t pad[256 - 24];
    struct vsa_entry vsa[VSA_MAX];
};
_Static_assert(sizeof(struct vsa_table) <= VSA_TABLE_BYTES, "the table fits its blocks");

extern struct vsa_table *vsa_table;

/** Read the table (or write an empty one on a blank disk). */
errval_t vsa_init(void);
/** The VSA named `name` (index), or -1. */
int vsa_find(const char *name);
errval_t vsa_create(const char *name, uint64_t blocks, uint32_t creator, int *index);
errval_t vsa_resize(int index, uint64_t blocks);
errval_t vsa_delete(int index);
/** The physical block of virtual block `vblock` of VSA `index` and how
 *  many blocks follow it in the same extent. False if out of range. */
bool vsa_translate(int index, uint64_t vblock, uint64_t *pblock, uint64_t *run);
/** Copy a name out of a request: NUL-padded, 1..8 printable bytes. */
bool vsa_name_ok(const char *in, char out[VSIC_NAME_MAX + 1]);
/** Bytes of a name of at most VSIC_NAME_MAX (not NUL-terminated when full). */
static inline unsigned vsa_name_len(const char *name)
{
    unsigned n = 0;
    while (n < VSIC_NAME_MAX && name[n])
        n++;
    return n;
}
#endif
