/*
 * capmove.c: lending a Frame to another core, and taking it back.
 *
 * The CPU drivers share no capability database, so a Frame that crosses
 * cores is lent, not copied: the owner core keeps a copy of it in kernel
 * memory (an export: a child of the lent capability, so revoking that, or
 * the end of its domain, reaches it) and pins its memory; the importing
 * core holds exactly one capability to it (CAP_FLAG_IMPORTED: never
 * copied, minted or retyped, so one delete takes it back whole). Only the
 * monitors, holders of the Kernel capability, call these operations, and
 * they carry the description between them over their own channels:
 *
 *   owner core A                            importing core B
 *   Kernel.cap_export(slot, B) -> desc  ==UMP_CAP_MOVE==>  Kernel.cap_import(desc)
 *   revoke reaches the copy: EXPORT_REVOKED to monitor A
 *                                       ==UMP_CAP_DROP==>  Kernel.cap_drop: deleted,
 *                                                          unmapped (TLB shot down)
 *   Kernel.cap_release: unpinned  <==UMP_CAP_RELEASED==   IMPORT_GONE to monitor B
 *                                                          (also when B's holder
 *                                                          deletes it, or ends)
 * While pinned, no retype on A makes anything of that memory
 * (CAP_ERR_RETYPE_PINNED) and a dead domain's RAM that holds it is not
 * freed (capmove_free_ram): B can write it until its mapping is gone, so
 * nobody else may own it before then. A lost message leaves memory pinned
 * (leaked), never reachable twice.
 *
 * Everything here is this core's (struct core.capmove); nothing is shared.
 */
#include <capmove.h>
#include <invoke.h>
#include <cspace.h>
#include <dispatch.h>
#include <core.h>
#include <console.h>
#include <kpi/monitor.h>

#define MOVE_MAX_BYTES (1ull << 30)

extern const char _kernel_phys_start[], _kernel_phys_end[];

static struct sysret ret(errval_t e, uint64_t v) { return (struct sysret){ e, v }; }

static struct capmove_core *mine(void) { return &this_core()->capmove; }

static bool overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return alen && blen && a < b + blen && b < a + alen;
}

/* Tell this core's monitor something, from the kernel itself. */
static bool tell_monitor(uint64_t type, uint64_t a, uint64_t b)
{
    struct dcb *m = dispatch_monitor();
    uint64_t w[LMP_WORDS] = { type, a, b, 0 };
    return m && err_is_ok(dispatch_deliver(m, w, 0));
}

static errval_t caller_is_monitor(struct invocation *inv)
{
    return inv->d->monitor ? ERR_OK : CAP_ERR_NOT_MONITOR;
}

bool capmove_pinned(uint64_t base, uint64_t bytes)
{
    const struct capmove_core *cm = mine();
    for (int i = 0; i < CAPMOVE_EXPORTS; i++)
        if (cm->exports[i].id && overlap(cm->exports[i].base, cm->exports[i].bytes, base, bytes))
            return true;
    return false;
}

/* (cptr, dest core, struct cap_desc *out) */
struct sysret capmove_invoke_export(struct invocation *inv)
{
    struct capmove_core *cm = mine();
    uint64_t dest = inv->arg[1];
    errval_t err = caller_is_monitor(inv);
    if (err_is_fail(err))
        return ret(err, 0);
    struct cte *src;
    err = inv->arg[0] > UINT32_MAX ? SYS_ERR_ARG_RANGE
                                   : cspace_lookup(inv->d, (capaddr_t)inv->arg[0], &src);
    if (err_is_fail(err))
        return ret(invoke_refuse_arg(inv, 1, err, 0, UINT32_MAX), 0);
    if (src->cap.type != CAP_FRAME)
        return ret(invoke_refuse_arg(inv, 1, CAP_ERR_MOVE_TYPE, CAP_FRAME, CAP_FRAME), 0);
    if (dest >= ncores || dest == this_core()->id || !cores[dest])
        return ret(invoke_refuse_arg(inv, 2, SYS_ERR_ARG_RANGE, 0, ncores - 1), 0);
    struct capmove_export *e = NULL;
    for (int i = 0; i < CAPMOVE_EXPORTS && !e; i++)
        if (!cm->exports[i].id)
            e = &cm->exports[i];
    if (!e)
        return ret(CAP_ERR_MOVE_TABLE_FULL, 0);
    *e = (struct capmove_export){ 0 };
    err = cap_copy(&this_core()->mdb, src, &e->copy);      /* refuses an imported one */
    if (err_is_fail(err))
        return ret(invoke_refuse_arg(inv, 1, err, 0, UINT32_MAX), 0);
    if (++cm->next_id == 0)
        cm->next_id = 1;
    e->id = cm->next_id;
    e->dest = (uint32_t)dest;
    e->base = src->cap.base;
    e->bytes = src->cap.bytes;
    struct cap_desc desc = {
        .type = src->cap.type, .rights = src->cap.rights, .base = src->cap.base,
        .bytes = src->cap.bytes, .owner = this_core()->id, .export_id = e->id,
        .flags = src->cap._reserved[CAP_FLAGS],
    };
    err = vspace_copy_in(&inv->d->vspace, inv->arg[2], &desc, sizeof(desc));
    if (err_is_fail(err)) {                 /* undo: nobody was told of it */
        e->releasing = true;
        cap_delete(&this_core()->mdb, &e->copy);
        e->id = 0;
        return ret(invoke_refuse_arg(inv, 3, err, 0, 0), 0);
    }
    return ret(ERR_OK, e->id);
}

/* Frame memory of the owner core: RAM in its slice, never the kernel. */
static bool desc_plausible(const struct cap_desc *d)
{
    if (d->type != CAP_FRAME || d->bytes < PAGE_SIZE || d->bytes > MOVE_MAX_BYTES ||
        (d->bytes & (d->bytes - 1)) || d->base % d->bytes || (d->rights & ~CAP_RIGHT_ALL) ||
        d->owner >= ncores || d->owner == this_core()->id || !cores[d->owner] || !d->export_id)
        return false;
    if (overlap(d->base, d->bytes, (uint64_t)_kernel_phys_start,
                (uint64_t)(_kernel_phys_end - _kernel_phys_start)))
        return false;
    for (uint32_t c = 1; c < ncores; c++) {
        const struct core *k = cores[c];
        bool inside = d->base >= k->mem_base && d->base + d->bytes <= k->mem_base + k->mem_bytes;
        if (c == d->owner && !inside)
            return false;
        if (c != d->owner && overlap(d->base, d->bytes, k->mem_base, k->mem_bytes))
            return false;
    }
    return true;
}

/* (const struct cap_desc *, target domain id, dest cptr, tag) */
struct sysret capmove_invoke_import(struct invocation *inv)
{
    struct capmove_core *cm = mine();
    struct dcb *d = inv->d;
    struct cap_desc desc;
    errval_t err = caller_is_monitor(inv);
    if (err_is_ok(err) && err_is_fail(err = vspace_copy_out(&d->vspace, &desc, inv->arg[0], sizeof(desc))))
        return ret(invoke_refuse_arg(inv, 1, err, 0, 0), 0);
    if (err_is_fail(err))
        return ret(err, 0);
    if (!desc_plausible(&desc))
        return ret(invoke_refuse_arg(inv, 1, CAP_ERR_MOVE_BAD_DESC, 0, 0), 0);
    struct dcb *t = inv->arg[1] <= UINT32_MAX ? dispatch_find((uint32_t)inv->arg[1]) : NULL;
    if (!t || t->state != DOMAIN_RUNNABLE)
        return ret(invoke_refuse_arg(inv, 2, SYS_ERR_NO_DOMAIN, 0, UINT32_MAX), 0);
    bool to_self = t == d;
    capaddr_t where = to_self ? (capaddr_t)inv->arg[2] : CAP_TASK(TASKCN_SLOT_RECV);
    struct cte *slot;
    if (to_self && inv->arg[2] > UINT32_MAX)
        return ret(invoke_refuse_arg(inv, 3, SYS_ERR_ARG_RANGE, 0, UINT32_MAX), 0);
    err = cspace_lookup(t, where, &slot);
    if (err_is_ok(err) && slot->cap.type != CAP_NULL)
        err = to_self ? CAP_ERR_SLOT_NOT_EMPTY : SYS_ERR_RECV_SLOT_FULL;
    if (err_is_ok(err) && !to_self && t->disp->lmp_produced - t->disp->lmp_consumed >= LMP_RING_SLOTS)
        err = SYS_ERR_ENDPOINT_FULL;
    if (err_is_fail(err))
        return ret(to_self ? invoke_refuse_arg(inv, 3, err, 0, UINT32_MAX) : err, 0);
    struct capmove_import *im = NULL;
    for (int i = 0; i < CAPMOVE_IMPORTS && !im; i++)
        if (!cm->imports[i].used)
            im = &cm->imports[i];
    if (!im)
        return ret(CAP_ERR_MOVE_TABLE_FULL, 0);
    struct capability cap = { .type = CAP_FRAME, .rights = (uint8_t)desc.rights,
                              .base = desc.base, .bytes = desc.bytes };
    cap._reserved[CAP_FLAGS] = (uint8_t)(desc.flags | CAP_FLAG_IMPORTED);
    err = cap_create_root(&this_core()->mdb, slot, &cap);
    if (err_is_fail(err))
        return ret(err, 0);
    *im = (struct capmove_import){ .used = true, .slot = slot, .owner = desc.owner,
                                   .export_id = desc.export_id };
    if (to_self)
        return ret(ERR_OK, 0);
    uint64_t w[LMP_WORDS] = { MONITOR_MSG_CAP, inv->arg[3], desc.sender, 0 };
    return ret(dispatch_deliver_cap(t, w, d->id, CAP_TASK(TASKCN_SLOT_RECV)), 0);
}

/* (owner core, export id) */
struct sysret capmove_invoke_drop(struct invocation *inv)
{
    struct capmove_core *cm = mine();
    errval_t err = caller_is_monitor(inv);
    if (err_is_fail(err))
        return ret(err, 0);
    for (int i = 0; i < CAPMOVE_IMPORTS; i++) {
        struct capmove_import *im = &cm->imports[i];
        if (im->used && im->slot && im->owner == inv->arg[0] && im->export_id == inv->arg[1]) {
            cap_delete(&this_core()->mdb, im->slot);    /* capmove_slot_removed tells */
            return ret(ERR_OK, 0);
        }
    }
    return ret(CAP_ERR_MOVE_UNKNOWN, 0);    /* gone already: its holder let go first */
}

static void retry_deferred(void)
{
    struct capmove_core *cm = mine();
    for (int i = 0; i < CAPMOVE_DEFERRED; i++) {
        struct capmove_deferred *f = &cm->deferred[i];
        if (!f->pages || capmove_pinned(f->pa, f->pages * PAGE_SIZE))
            continue;
        pmm_free(&this_core()->pmm, f->pa, f->pages);
        kprintf("capmove: core %u: %lu pages of RAM freed now that no other core maps them\n",
                this_core()->id, f->pages);
        f->pages = 0;
    }
}

/* (export id) */
struct sysret capmove_invoke_release(struct invocation *inv)
{
    struct capmove_core *cm = mine();
    errval_t err = caller_is_monitor(inv);
    if (err_is_fail(err))
        return ret(err, 0);
    for (int i = 0; i < CAPMOVE_EXPORTS; i++) {
        struct capmove_export *e = &cm->exports[i];
        if (!e->id || e->id != inv->arg[0])
            continue;
        if (!e->revoking) {
            e->releasing = true;
            cap_delete(&this_core()->mdb, &e->copy);
        }
        e->id = 0;
        retry_deferred();
        return ret(ERR_OK, 0);
    }
    return ret(invoke_refuse_arg(inv, 1, CAP_ERR_MOVE_UNKNOWN, 1, cm->next_id), 0);
}

void capmove_slot_removed(struct cte *slot)
{
    struct capmove_core *cm = mine();
    if (slot >= &cm->exports[0].copy && slot <= &cm->exports[CAPMOVE_EXPORTS - 1].copy) {
        struct capmove_export *e = (struct capmove_export *)((char *)slot -
                                    __builtin_offsetof(struct capmove_export, copy));
        if (e->releasing)
            return;
        e->revoking = true;
        e->notify_pending = !tell_monitor(MONITOR_MSG_EXPORT_REVOKED, e->id, e->dest);
        return;
    }
    if (!(slot->cap._reserved[CAP_FLAGS] & CAP_FLAG_IMPORTED))
        return;
    for (int i = 0; i < CAPMOVE_IMPORTS; i++) {
        struct capmove_import *im = &cm->imports[i];
        if (!im->used || im->slot != slot)
            continue;
        im->slot = NULL;
        im->notify_pending = !tell_monitor(MONITOR_MSG_IMPORT_GONE, im->owner, im->export_id);
        if (!im->notify_pending)
            im->used = false;
        return;
    }
}

void capmove_slot_moved(const struct cte *from, struct cte *to)
{
    struct capmove_core *cm = mine();
    for (int i = 0; i < CAPMOVE_IMPORTS; i++)
        if (cm->imports[i].used && cm->imports[i].slot == from)
            cm->imports[i].slot = to;
}

void capmove_free_ram(uint64_t pa, uint64_t pages)
{
    struct capmove_core *cm = mine();
    if (!capmove_pinned(pa, pages * PAGE_SIZE)) {
        pmm_free(&this_core()->pmm, pa, pages);
        return;
    }
    for (int i = 0; i < CAPMOVE_DEFERRED; i++) {
        if (cm->deferred[i].pages)
            continue;
        cm->deferred[i] = (struct capmove_deferred){ pa, pages };
        kprintf("capmove: core %u: %lu pages of RAM held until another core lets go of a Frame in "
                "them\n", this_core()->id, pages);
        return;
    }
    kprintf("capmove: core %u: no room to hold %lu pages of RAM lent to another core; leaked, "
            "not freed under it\n", this_core()->id, pages);
}

void capmove_tick(void)
{
    struct capmove_core *cm = mine();
    for (int i = 0; i < CAPMOVE_EXPORTS; i++) {
        struct capmove_export *e = &cm->exports[i];
        if (e->id && e->notify_pending)
            e->notify_pending = !tell_monitor(MONITOR_MSG_EXPORT_REVOKED, e->id, e->dest);
    }
    for (int i = 0; i < CAPMOVE_IMPORTS; i++) {
        struct capmove_import *im = &cm->imports[i];
        if (im->used && im->notify_pending &&
            tell_monitor(MONITOR_MSG_IMPORT_GONE, im->owner, im->export_id))
            im->used = false;
    }
}
