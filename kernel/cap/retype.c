/*
 * retype.c: make new objects out of memory capabilities.
 *
 * Interface: cap_retype(mdb, src, args) turns the range
 *     src.base + offset .. + count * objbytes
 * into `count` objects of one type, each `objbytes` large, placed in
 * consecutive empty slots dest_slot .. dest_slot + count - 1 of dest_cnode.
 * The new capabilities are retype children of src and inherit its rights
 * and its provenance flags (CAP_FLAGS).
 *
 * What may become what (retype_targets): RAM becomes RAM, Frame, CNode,
 * VNodes, Dispatcher or Endpoint; a Frame may be split into smaller Frames;
 * a DevFrame only into smaller DevFrames (device memory never becomes RAM or
 * a Frame). Sizes (retype_sizes) are powers of two between a type's limits,
 * fixed for page tables, dispatchers and endpoints; each object is aligned
 * to its size.
 *
 * Memory is handed out once (Barrelfish-style range check, not seL4's
 * watermark): a retype is refused if its range overlaps any object already
 * retyped from the same memory through src or any copy of src
 * (mdb_range_in_use). Retyping the whole source into its own type is refused
 * too: the result would be indistinguishable from a copy. Memory lent to
 * another core whose revoke is still in flight is pinned (mdb->pinned):
 * nothing new is made of it until that core has let go.
 *
 * Objects made from RAM that the kernel or a user will read (Frames, CNodes,
 * page tables, dispatchers, endpoints) are zeroed through the mdb's kva hook,
 * so no data leaks from an earlier owner; a CNode's slots live in that memory.
 *
 * decode/validate (retype_check) touches nothing; retype_invoke cannot fail.
 */
#include <cap/mdb.h>
#include <string.h>

_Static_assert(CAP_TYPE_COUNT <= 32, "retype_targets uses one bit per type");
#define T(type) (1u << (type))

/* Source type -> the set of types it may be retyped into. */
static const uint32_t retype_targets[CAP_TYPE_COUNT] = {
    [CAP_RAM]      = T(CAP_RAM) | T(CAP_FRAME) | T(CAP_CNODE) | T(CAP_VNODE_PML4) |
                     T(CAP_VNODE_PDPT) | T(CAP_VNODE_PD) | T(CAP_VNODE_PT) |
                     T(CAP_DISPATCHER) | T(CAP_ENDPOINT),
    [CAP_FRAME]    = T(CAP_FRAME),
    [CAP_DEVFRAME] = T(CAP_DEVFRAME),
};

/* Object sizes per type: 2^min_bits .. 2^max_bits bytes. */
struct retype_size {
    uint8_t min_bits, max_bits;
    bool clear;                 /* zeroed when made from RAM */
};
static const struct retype_size retype_sizes[CAP_TYPE_COUNT] = {
    [CAP_RAM]        = { 12, 52, false },
    [CAP_FRAME]      = { 12, 52, true },
    [CAP_DEVFRAME]   = { 12, 52, false },
    [CAP_CNODE]      = { 12, 30, true },     /* 64 .. 2^24 slots */
    [CAP_VNODE_PML4] = { 12, 12, true },
    [CAP_VNODE_PDPT] = { 12, 12, true },
    [CAP_VNODE_PD]   = { 12, 12, true },
    [CAP_VNODE_PT]   = { 12, 12, true },
    [CAP_DISPATCHER] = { 12, 12, true },
    [CAP_ENDPOINT]   = {  6,  6, true },
};

/* A validated retype: everything retype_invoke needs. */
struct retype_plan {
    struct cte *src;
    enum cap_type type;
    uint64_t base;              /* physical base of the first object */
    uint64_t objbytes;
    uint32_t count;
    struct cte *dest;           /* first destination slot */
    uint8_t *kva;               /* the objects' memory if they are cleared, else NULL */
};

static errval_t check_type(const struct cte *src, unsigned type)
{
    if (src->cap.type == CAP_NULL)
        return CAP_ERR_SLOT_EMPTY;
    if (src->cap._reserved[CAP_FLAGS] & CAP_FLAG_IMPORTED)
        return CAP_ERR_IMPORTED;        /* its owner core must take it back whole */
    if (retype_targets[src->cap.type] == 0)
        return CAP_ERR_WRONG_TYPE;
    if (type >= CAP_TYPE_COUNT || !(retype_targets[src->cap.type] & T(type)))
        return CAP_ERR_RETYPE_INVALID_TYPE;
    return ERR_OK;
}

static errval_t check_size(enum cap_type type, uint64_t objbytes, uint32_t count)
{
    const struct retype_size *sz = &retype_sizes[type];
    if (objbytes == 0 || (objbytes & (objbytes - 1)) != 0)
        return CAP_ERR_RETYPE_SIZE;
    unsigned bits = (unsigned)__builtin_ctzll(objbytes);
    if (bits < sz->min_bits || bits > sz->max_bits)
        return CAP_ERR_RETYPE_SIZE;
    return count == 0 ? CAP_ERR_RETYPE_COUNT : ERR_OK;
}

static errval_t check_range(const struct mdb *mdb, const struct cte *src,
                            const struct cap_retype_args *a)
{
    const struct capability *s = &src->cap;
    if (a->offset > s->bytes || a->count > (s->bytes - a->offset) / a->objbytes)
        return CAP_ERR_RETYPE_FIT;
    uint64_t base = s->base + a->offset;
    if ((base & (a->objbytes - 1)) != 0)
        return CAP_ERR_RETYPE_MISALIGNED;
    if (a->type == s->type && a->objbytes == s->bytes)
        return CAP_ERR_RETYPE_WHOLE;
    if (mdb_range_in_use(src, base, a->count * a->objbytes))
        return CAP_ERR_RETYPE_OVERLAP;
    if (mdb->pinned && mdb->pinned(base, a->count * a->objbytes))
        return CAP_ERR_RETYPE_PINNED;
    return ERR_OK;
}

static errval_t check_dest(const struct cap_retype_args *a, struct cte **first)
{
    errval_t err = cnode_slot(a->dest_cnode, a->dest_slot, first);
    if (err_is_fail(err))
        return err;
    if (a->count > cnode_slot_count(a->dest_cnode) - a->dest_slot)
        return CAP_ERR_SLOT_OUT_OF_RANGE;
    for (uint32_t i = 0; i < a->count; i++)
        if ((*first)[i].cap.type != CAP_NULL)
            return CAP_ERR_SLOT_NOT_EMPTY;
    return ERR_OK;
}

static errval_t check_mapping(const struct mdb *mdb, struct retype_plan *p)
{
    p->kva = NULL;
    if (p->src->cap.type != CAP_RAM || !retype_sizes[p->type].clear)
        return ERR_OK;
    uint64_t bytes = p->count * p->objbytes;
    p->kva = mdb->kva ? mdb->kva(mdb->kva_arg, p->base, bytes) : NULL;
    return p->kva ? ERR_OK : CAP_ERR_RETYPE_NO_MAPPING;
}

static errval_t retype_check(const struct mdb *mdb, struct cte *src,
                             const struct cap_retype_args *a, struct retype_plan *p)
{
    errval_t err = check_type(src, a->type);
    if (err_is_ok(err))
        err = check_size(a->type, a->objbytes, a->count);
    if (err_is_ok(err))
        err = check_range(mdb, src, a);
    if (err_is_fail(err))
        return err;
    err = check_dest(a, &p->dest);
    if (err_is_fail(err))
        return err_push(err, CAP_ERR_RETYPE_DEST);
    p->src = src;
    p->type = a->type;
    p->base = src->cap.base + a->offset;
    p->objbytes = a->objbytes;
    p->count = a->count;
    return check_mapping(mdb, p);
}

static void retype_invoke(struct mdb *mdb, const struct retype_plan *p)
{
    if (p->kva)
        memset(p->kva, 0, p->count * p->objbytes);
    for (uint32_t i = 0; i < p->count; i++) {
        struct capability cap = {
            .type = (uint8_t)p->type,
            .rights = p->src->cap.rights,
            .base = p->base + i * p->objbytes,
            .bytes = p->objbytes,
        };
        /* Provenance (imported from another core, ...) is not the
         * holder's to shed: every object made from it keeps it. */
        cap._reserved[CAP_FLAGS] = p->src->cap._reserved[CAP_FLAGS];
        if (p->type == CAP_CNODE)
            cap.u.cnode.slots = (struct cte *)(void *)(p->kva + i * p->objbytes);
        mdb_insert(mdb, p->src, &p->dest[i], &cap);
    }
}

errval_t cap_retype(struct mdb *mdb, struct cte *src, const struct cap_retype_args *args)
{
    struct retype_plan plan;
    errval_t err = retype_check(mdb, src, args, &plan);
    if (err_is_fail(err))
        return err;
    retype_invoke(mdb, &plan);
    return ERR_OK;
}
