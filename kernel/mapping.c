/*
 * mapping.c: Frame.map and Frame.unmap, and keeping mappings honest.
 *
 * A domain maps a Frame capability it holds into its own address space,
 * in [USER_MAP_BASE, USER_MAP_END). The kernel records which slot made
 * each mapping; when that slot is emptied (delete, revoke, the domain's
 * end), the capability database tells mapping_slot_removed(), which takes
 * the mapping down and flushes the TLB of every core the domain runs on.
 * Otherwise a domain could keep writing memory that was since retyped into
 * a CNode and forge capabilities. One mapping per slot: copy the
 * capability to map the same frame twice. A Frame lent by another core
 * maps like any other: its owner core's revoke reaches it through
 * kernel/capmove.c, which deletes the one capability to it here.
 */
#include <mapping.h>
#include <dispatch.h>
#include <invoke.h>
#include <core.h>
#include <tlb.h>
#include <cap_hooks.h>
#include <arch/vspace.h>
#include <capmove.h>

static struct sysret ret(errval_t e) { return (struct sysret){ e, 0 }; }

static struct frame_mapping *find(struct dcb *d, const struct cte *slot)
{
    for (int i = 0; i < DCB_MAPPINGS; i++)
        if (d->maps[i].slot == slot)
            return &d->maps[i];
    return NULL;
}

static void take_down(struct dcb *d, struct frame_mapping *m)
{
    for (uint64_t i = 0; i < m->pages; i++)
        vspace_unmap(&d->vspace, m->va + i * PAGE_SIZE);
    tlb_shootdown(d->span_mask);
    m->slot = NULL;
}

struct sysret invoke_frame_map(struct invocation *inv)
{
    struct dcb *d = inv->d;
    const struct capability *cap = &inv->slot->cap;
    uint64_t va = inv->arg[0], flags = inv->arg[1];
    if (d->secondary)
        return ret(SPAN_ERR_NOT_ORIGIN);
    if (flags & ~(uint64_t)(FRAME_MAP_WRITE | FRAME_MAP_EXEC))
        return ret(invoke_refuse_arg(inv, 2, SYS_ERR_ARG_RANGE, 0, FRAME_MAP_WRITE | FRAME_MAP_EXEC));
    if (((flags & FRAME_MAP_WRITE) && !(cap->rights & CAP_RIGHT_WRITE)) ||
        ((flags & FRAME_MAP_EXEC) && !(cap->rights & CAP_RIGHT_EXECUTE)))
        return ret(invoke_refuse_arg(inv, 2, CAP_ERR_RIGHTS, 0,
                                     (cap->rights & CAP_RIGHT_WRITE ? FRAME_MAP_WRITE : 0) |
                                     (cap->rights & CAP_RIGHT_EXECUTE ? FRAME_MAP_EXEC : 0)));
    unsigned vflags = (flags & FRAME_MAP_WRITE ? VSPACE_WRITE : 0) |
                      (flags & FRAME_MAP_EXEC ? VSPACE_EXEC : 0);
    errval_t err = mapping_add(d, inv->slot, va, cap->base, cap->bytes, vflags);
    if (err_no(err) == MAP_ERR_RANGE)
        invoke_refuse_arg(inv, 1, err, USER_MAP_BASE, USER_MAP_END - cap->bytes);
    return ret(err);
}

errval_t mapping_add(struct dcb *d, struct cte *slot, uint64_t va, uint64_t pa, uint64_t bytes,
                     unsigned vflags)
{
    if (va % PAGE_SIZE || va < USER_MAP_BASE || va >= USER_MAP_END ||
        bytes > USER_MAP_END - va || bytes % PAGE_SIZE)
        return MAP_ERR_RANGE;
    return mapping_record(d, slot, va, pa, bytes, vflags);
}

bool mapping_slot_is_mapped(struct dcb *d, const struct cte *slot)
{
    return find(d, slot) != NULL;
}

errval_t mapping_record(struct dcb *d, struct cte *slot, uint64_t va, uint64_t pa, uint64_t bytes,
                        unsigned vflags)
{
    if (va % PAGE_SIZE || bytes % PAGE_SIZE || va >= VSPACE_USER_TOP || bytes > VSPACE_USER_TOP - va)
        return MAP_ERR_RANGE;
    if (find(d, slot))
        return MAP_ERR_ALREADY;
    struct frame_mapping *m = find(d, NULL);
    if (!m)
        return MAP_ERR_TOO_MANY;
    uint64_t pages = bytes / PAGE_SIZE, old;
    for (uint64_t i = 0; i < pages; i++)
        if (vspace_lookup(&d->vspace, va + i * PAGE_SIZE, &old))
            return MM_ERR_ALREADY_MAPPED;
    *m = (struct frame_mapping){ slot, va, 0 };
    for (uint64_t i = 0; i < pages; i++) {
        errval_t err = vspace_map(&d->vspace, va + i * PAGE_SIZE, pa + i * PAGE_SIZE,
                                  vflags | VSPACE_BORROWED);
        if (err_is_fail(err)) {             /* out of memory for tables */
            take_down(d, m);
            return err;
        }
        m->pages++;
    }
    return ERR_OK;
}

struct sysret invoke_frame_unmap(struct invocation *inv)
{
    struct frame_mapping *m = find(inv->d, inv->slot);
    if (!m)
        return ret(MAP_ERR_NOT_MAPPED);
    take_down(inv->d, m);
    return ret(ERR_OK);
}

void mapping_slot_removed(struct cte *slot)
{
    capmove_slot_removed(slot);         /* a lent Frame's copy, or one lent to us */
    cap_removed_run(slot);              /* drivers first: no DMA into a Frame any more */
    if (slot->cap.type != CAP_FRAME && slot->cap.type != CAP_DEVFRAME && slot->cap.type != CAP_VNIC &&
        slot->cap.type != CAP_NVME)
        return;
    struct core *c = this_core();
    for (int i = 0; c->dcbs && i < DCBS_PER_CORE; i++) {
        struct dcb *d = &c->dcbs[i];
        struct frame_mapping *m = d->state ? find(d, slot) : NULL;
        if (m && d->vspace.root)
            take_down(d, m);
        else if (m)
            m->slot = NULL;
    }
}
