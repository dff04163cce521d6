/*
 * cspace.c: a new domain's capability space, and its end.
 *
 * Memory for the three CNodes comes from the core's allocator and is
 * described by root capabilities in the core's database; the domain's RAM
 * is a root RAM capability it may retype. Destruction revokes the RAM (so
 * every object retyped from it, wherever its capability sits on this core,
 * dies with it), then deletes the last capability to the root CNode, which
 * empties every CNode below it (kernel/cap/delete.c).
 */
#include <cspace.h>
#include <dispatch.h>
#include <core.h>
#include <memlayout.h>
#include <string.h>

#define L2_SLOTS CAP_L2_SLOTS
#define L1_BYTES (CSPACE_L1_SLOTS * CAP_SLOT_BYTES)
#define L2_BYTES (L2_SLOTS * CAP_SLOT_BYTES)
#define CSPACE_BYTES (2 * L2_BYTES + PAGE_SIZE)     /* L1 gets its own page */

static errval_t put_root(struct cte *slot, struct capability cap)
{
    return cap_create_root(&this_core()->mdb, slot, &cap);
}

static struct capability mem_cap(enum cap_type t, uint64_t base, uint64_t bytes, uint64_t raw)
{
    struct capability c = { .type = (uint8_t)t, .rights = CAP_RIGHT_ALL, .base = base, .bytes = bytes };
    c.u.raw = raw;
    return c;
}

errval_t cspace_create(struct dcb *d, bool kernel_cap, uint32_t monitor_badge)
{
    struct core *c = this_core();
    uint64_t pa;
    errval_t err = pmm_alloc(&c->pmm, CSPACE_BYTES / PAGE_SIZE, 1, &pa);
    if (err_is_fail(err))
        return err;
    memset(phys_to_virt(pa), 0, CSPACE_BYTES);
    d->cspace_pa = pa;
    d->cspace_bytes = CSPACE_BYTES;
    uint64_t task_pa = pa + PAGE_SIZE, slot_pa = task_pa + L2_BYTES;

    /* The root CNode's one root capability lives in the dcb (kernel-held). */
    cnode_init(phys_to_virt(pa), CSPACE_L1_SLOTS, pa, &d->rootcn);
    memset(&d->root_slot, 0, sizeof(d->root_slot));
    if (err_is_fail(err = put_root(&d->root_slot, d->rootcn)))
        return err;
    struct cte *l1 = d->rootcn.u.cnode.slots;
    struct capability task, slots;
    cnode_init(phys_to_virt(task_pa), L2_SLOTS, task_pa, &task);
    cnode_init(phys_to_virt(slot_pa), L2_SLOTS, slot_pa, &slots);
    if (err_is_fail(err = put_root(&l1[CSPACE_L1_TASKCN], task)) ||
        err_is_fail(err = put_root(&l1[CSPACE_L1_SLOTCN], slots)))
        return err;
    struct cte *t = task.u.cnode.slots;
    if (err_is_fail(err = cap_copy(&c->mdb, &d->root_slot, &t[TASKCN_SLOT_ROOTCN])) ||
        err_is_fail(err = put_root(&t[TASKCN_SLOT_DISPATCHER],
                                   mem_cap(CAP_DISPATCHER, d->disp_pa, PAGE_SIZE, d->id))) ||
        err_is_fail(err = put_root(&t[TASKCN_SLOT_RAM],
                                   mem_cap(CAP_RAM, d->ram_pa, d->ram_bytes, 0))) ||
        err_is_fail(err = put_root(&t[TASKCN_SLOT_SELFEP],
                                   mem_cap(CAP_ENDPOINT, 0, 0, ENDPOINT_RAW(d->id, 0)))))
        return err;
    struct dcb *mon = dispatch_monitor();
    if (mon && mon != d &&
        err_is_fail(err = put_root(&t[TASKCN_SLOT_MONITOREP],
                                   mem_cap(CAP_ENDPOINT, 0, 0,
                                           ENDPOINT_RAW(mon->id, monitor_badge)))))
        return err;
    if (kernel_cap &&
        err_is_fail(err = put_root(&t[TASKCN_SLOT_KERNEL], mem_cap(CAP_KERNEL, 0, 0, c->id))))
        return err;
    return ERR_OK;
}

void cspace_destroy(struct dcb *d)
{
    struct mdb *mdb = &this_core()->mdb;
    if (!d->cspace_pa)
        return;
    if (d->root_slot.cap.type == CAP_CNODE) {
        struct cte *ram;
        if (err_is_ok(cspace_lookup(d, CAP_TASK(TASKCN_SLOT_RAM), &ram)) && ram->cap.type == CAP_RAM &&
            ram->cap.base == d->ram_pa)
            cap_revoke(mdb, ram);
        cap_revoke(mdb, &d->root_slot);
        cap_delete(mdb, &d->root_slot);
    }
    pmm_free(&this_core()->pmm, d->cspace_pa, d->cspace_bytes / PAGE_SIZE);
    d->cspace_pa = 0;
}

errval_t cspace_lookup(struct dcb *d, capaddr_t cptr, struct cte **slot)
{
    return cnode_lookup(&d->rootcn, cptr, CAP_LEVEL_L2, slot);
}

errval_t cspace_lookup_l1(struct dcb *d, capaddr_t cptr, struct cte **slot)
{
    return cnode_lookup(&d->rootcn, cptr, CAP_LEVEL_L1, slot);
}

errval_t cspace_put(struct dcb *d, uint64_t cptr, const struct capability *cap)
{
    struct cte *dest;
    errval_t err = cptr > UINT32_MAX ? SYS_ERR_ARG_RANGE : cspace_lookup(d, (capaddr_t)cptr, &dest);
    if (err_is_ok(err) && dest->cap.type != CAP_NULL)
        err = CAP_ERR_SLOT_NOT_EMPTY;
    if (err_is_fail(err) || !cap)
        return err;
    return cap_create_root(&this_core()->mdb, dest, cap);
}
