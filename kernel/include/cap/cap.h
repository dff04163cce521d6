/**
 * \file cap.h
 * \brief The CPU driver's capabilities: slots, the mapping database and the
 * operations on them (retype, copy, mint, delete, revoke, identify, lookup).
 *
 * A capability lives in a slot (struct cte) of a CNode. Every slot also
 * carries its place in the mapping database (mdb), a tree of derivations:
 *   - a copy (or mint) is a child of the capability it was copied from and
 *     names the same object (cap_same_object);
 *   - a retyped object is a child of the capability it was retyped from and
 *     lies inside the source's memory;
 *   - boot capabilities (RAM regions, Kernel, IRQ vectors, the first CNode)
 *     are roots.
 * Revoke deletes a capability's subtree; the "region handed out once" check
 * of retype walks the source's copies and their children (see mdb.c).
 *
 * All state is per core: a struct mdb and the slots reachable from that
 * core's CNodes. Nothing here is global and nothing takes a lock; each CPU
 * driver passes its own struct mdb. The code is pure logic (no hardware), so
 * it is compiled unchanged into the host unit tests (HOST_TEST).
 *
 * Every operation validates all of its arguments first and changes nothing
 * when it returns an error; once validated, the change itself cannot fail.
 */
#ifndef KERNEL_CAP_CAP_H
#define KERNEL_CAP_CAP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <kpi/caps.h>
#include <kpi/errors.h>

struct cte;

/**
 * One capability. base/bytes give the object's memory for every type that
 * is made by retype (and for RAM/DevFrame boot regions); types without
 * memory (Kernel, IRQ vector) have bytes == 0. Per-type data is one 64-bit
 * word so two capabilities name the same object iff type, base, bytes and
 * that word are equal.
 */
struct capability {
    uint8_t  type;              /* enum cap_type; CAP_NULL: empty slot */
    uint8_t  rights;            /* CAP_RIGHT_* */
    uint8_t  _reserved[6];      /* zero */
    uint64_t base;              /* physical address of the object */
    uint64_t bytes;             /* size of the object */
    union {
        uint64_t raw;                           /* compared by cap_same_object */
        struct { struct cte *slots; } cnode;    /* CNode: bytes / 64 slots here */
        struct { uint64_t vector; } irq;        /* IRQ vector: the vector number */
    } u;
};
_Static_assert(sizeof(void *) == 8, "the capability layout assumes 64-bit pointers");
_Static_assert(sizeof(struct capability) == 32, "capability layout");

/** A slot's links in the derivation tree; all NULL when the slot is empty. */
struct mdb_node {
    struct cte *parent;         /* derived from (NULL: a boot root) */
    struct cte *first_child;
    struct cte *next_sibling;   /* siblings: doubly linked, unordered */
    struct cte *prev_sibling;
};

/** A capability table entry: one CNode slot. */
struct cte {
    struct capability cap;
    struct mdb_node mdb;
};
_Static_assert(sizeof(struct cte) == CAP_SLOT_BYTES, "a CNode slot is 64 bytes");

/**
 * Translate a physical range to a pointer the kernel can write (the direct
 * map in the CPU driver, a test buffer on the host); NULL if unreachable.
 */
typedef void *(*mdb_kva_fn)(void *arg, uint64_t paddr, uint64_t bytes);

/** The capability database of one core. Owner: that core's CPU driver only. */
/** Told about every capability just before its slot is emptied (so the
 *  kernel can undo what the capability was used for, e.g. a mapping). */
typedef void (*mdb_remove_fn)(struct cte *slot);
/** True if [base, base + bytes) must not become new objects yet (memory
 *  lent to another core whose revoke is still in flight). */
typedef bool (*mdb_pinned_fn)(uint64_t base, uint64_t bytes);

struct mdb {
    uint32_t core;              /* the core this database belongs to */
    mdb_kva_fn kva;             /* to clear new objects and place CNode slots */
    void *kva_arg;
    uint64_t live;              /* non-empty slots of this database */
    mdb_remove_fn on_remove;    /* NULL: nobody to tell */
    mdb_pinned_fn pinned;       /* NULL: nothing is ever pinned */
};

/* An Endpoint's u.raw: the dispatcher it reaches and the badge the kernel
 * gave it (lmp_msg.badge of what is sent through it). */
#define ENDPOINT_RAW(target, badge) ((uint64_t)(uint32_t)(target) | (uint64_t)(badge) << 32)
#define ENDPOINT_TARGET(raw)        ((uint32_t)(raw))
#define ENDPOINT_BADGE(raw)         ((uint32_t)((raw) >> 32))

/* struct capability._reserved[CAP_FLAGS]: kernel bookkeeping, not identity */
#define CAP_FLAGS 0
#define CAP_FLAG_IMPORTED 0x1   /* lent by another core (kernel/capmove.c): the only
                                   capability to it here, so it is never copied,
                                   minted or retyped; one delete gives it back */
#define CAP_FLAG_DRIVER   0x80  /* the mark of the driver serving the type (its
                                   removal hook reads it): a CAP_VSA shown to a
                                   VSIC (drivers/storage/nvme/kernel/vsa.c) */

/** Arguments of cap_retype. */
struct cap_retype_args {
    enum cap_type type;         /* type of the new objects */
    uint64_t offset;            /* first object's offset from the source's base */
    uint64_t objbytes;          /* size of each object (power of two) */
    uint32_t count;             /* number of objects, >= 1 */
    const struct capability *dest_cnode;    /* CNode that receives them */
    uint64_t dest_slot;         /* first of `count` consecutive empty slots */
};

/* mdb.c */
void mdb_init(struct mdb *mdb, uint32_t core, mdb_kva_fn kva, void *kva_arg);

/* cap.c */
bool cap_same_object(const struct capability *a, const struct capability *b);
errval_t cap_create_root(struct mdb *mdb, struct cte *dest, const struct capability *cap);
errval_t cap_identify(const struct cte *slot, struct cap_identity *out);

/* cnode.c */
void cnode_init(struct cte *slots, uint64_t nslots, uint64_t paddr, struct capability *out);
uint64_t cnode_slot_count(const struct capability *cnode);
errval_t cnode_slot(const struct capability *cnode, uint64_t index, struct cte **ret);
errval_t cnode_lookup(const struct capability *root, capaddr_t cptr, unsigned level,
                      struct cte **ret);

/* retype.c */
errval_t cap_retype(struct mdb *mdb, struct cte *src, const struct cap_retype_args *args);

/* copy.c */
errval_t cap_copy(struct mdb *mdb, struct cte *src, struct cte *dest);
errval_t cap_mint(struct mdb *mdb, struct cte *src, struct cte *dest, unsigned rights);
errval_t cap_move(struct mdb *mdb, struct cte *src, struct cte *dest);

/* vsa.c */
struct spawn_vsa;
/** SPAWN_ERR_VSA unless each of the n grants is a name of 1-8 printable
 *  bytes (zero-padded) with rights r or rw, the list ending at the first
 *  name 0. */
errval_t cap_vsa_grants_check(const struct spawn_vsa *vsa, unsigned n);
/** The VSA capability of one grant (checked), with the minting core's id. */
struct capability cap_vsa(uint64_t name, uint32_t rights, uint64_t id);

/* delete.c */
errval_t cap_delete(struct mdb *mdb, struct cte *slot);
errval_t cap_revoke(struct mdb *mdb, struct cte *slot);
#endif
