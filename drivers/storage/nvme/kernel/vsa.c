/*
 * vsa.c: VSA capabilities shown to VSICs. A CAP_VSA (kpi/caps.h) is the
 * authority to use the VSA of one name with its rights; the kernel mints it
 * only at spawn (kernel/spawn.c), copies and mints only keep or remove
 * rights. This file is the VSIC's side of it:
 *
 *   VSIC.present_vsa(vsa cptr)   the VSIC's holder shows one of its CAP_VSA
 *       slots: a record (VSIC, name, rights) goes live in the table below,
 *       and the slot is marked (CAP_FLAG_VSA_SHOWN) so that its going is
 *       seen;
 *   a marked slot's removal      (delete, revoke, the holder's cspace
 *       going at its end) makes the records of that very slot dead, there
 *       and then, before the call that removed it returns;
 *   NVMe.map_vsas(va)            the table mapped read-only into the VSIC
 *       service (it holds the controller), which checks it for every
 *       request it takes (usr/vsicd/vsic.c);
 *   NVMe.vsa_rights(vsic, name)  the same answer as a call: the OR of the
 *       rights of the live records of that name, and the VSIC's count of
 *       records gone.
 *
 * Why one table in shared memory, written by the core of the slot, and no
 * message: revocation must be over when the delete returns (no request the
 * service takes afterwards may be served under it). A message to the
 * controller's core and on to the service can be late (the delete returns
 * first) or lost (a core's cross-core queue holds 16 requests: a revoke of
 * many shown copies fills it), and making every delete, revoke and
 * domain end wait for another core's answer would put a wait into the
 * capability database and into a domain's end, where nobody can wait. A
 * record dies by one compare-and-swap on the slot's own core, inside the
 * removal: a locked instruction, so it is visible to every core before the
 * delete returns and thus before the program can write its next request;
 * the service reads the record after it has read that request. The
 * controller's core still owns which VSIC is whose (vsic.c); a VSIC's end
 * kills its records too.
 *
 * A record (shared/vsatable.h: filled, killed and read with atomics only):
 * its state (a generation, rights) and name in the shared page, which slot
 * it is (core, cte address, capability id) here only. The generation
 * makes a kill of a record that died and was filled again since fail, so
 * one domain's revocation never cuts another's record.
 *
 * Records are by slot, not by object: a VSIC keeps a VSA while the slot
 * that was shown lives, so a domain that deletes the capability it showed
 * loses the VSA even if it kept a copy (it may show the copy, with the
 * copy's rights). A local capability never moves between slots (CNode.move
 * takes only imported ones, and a CAP_VSA is never exported), so a slot's
 * address names it until its removal.
 *
 * The service still gets a hint (MONITOR_MSG_VSA_GONE, delivered on its
 * core) so that it logs the cut handle at once; the hint carries no
 * authority and may be lost: the table is what is checked.
 */
#include <storage/nvme/kernel/nvme.h>
#include <storage/nvme/shared/vsatable.h>
#include <pci/devcall.h>
#include <cap/cap.h>
#include <core.h>
#include <cspace.h>
#include <dispatch.h>
#include <invoke.h>
#include <mapping.h>
#include <memlayout.h>
#include <mm/pmm.h>
#include <console.h>
#include <string.h>
#include <arch/vspace.h>
#include <kpi/monitor.h>

#define CAP_FLAG_VSA_SHOWN CAP_FLAG_DRIVER     /* presented to a VSIC */

_Static_assert(NVME_VSA_VSICS == NVME_VSICS, "the table has a row per VSIC");
_Static_assert(sizeof(struct nvme_vsa_table) <= PAGE_SIZE, "the table is one page");

/* A page of its own: nothing else of the kernel's is seen through it. */
static union {
    struct nvme_vsa_table t;
    uint8_t page[PAGE_SIZE];
} shared __attribute__((aligned(PAGE_SIZE)));

/* Which slot each record is (the kernel's only: addresses of its own). */
static struct vsatable_who who[NVME_VSA_VSICS][NVME_VSA_SHOWN];

static struct sysret ret(errval_t e, uint64_t v) { return (struct sysret){ e, v }; }

/* The service hears of it now, not at its next request (a hint on its core;
 * a lost one costs only a log line's promptness). */
static void hint(unsigned n)
{
    uint32_t service = nvme_ctl.holder;
    if (service)
        nvme_tell_to(service >> 16, NVME_OP_VSA_HINT,
                     &(struct nvme_vsa_req){ .holder = service, .vsic = n + 1 },
                     sizeof(struct nvme_vsa_req));
}

/* Every live record of that slot dies, in every VSIC. */
static void kill_slot(uint32_t core, uint64_t slot, uint64_t id)
{
    for (unsigned n = 0; n < NVME_VSA_VSICS; n++)
        if (vsatable_kill_slot(&shared.t.vsic[n], who[n], core, slot, id))
            hint(n);
}

void nvme_vsa_vsic_held(uint32_t vsic, uint32_t holder)
{
    struct nvme_vsa_vsic *t = &shared.t.vsic[vsic - 1];
    vsatable_kill_all(t);               /* none should live: its last holder's end killed them */
    __atomic_store_n(&t->holder, holder, __ATOMIC_RELEASE);
}

void nvme_vsa_vsic_gone(uint32_t vsic, uint32_t holder)
{
    if (vsic < 1 || vsic > NVME_VSA_VSICS)
        return;
    struct nvme_vsa_vsic *t = &shared.t.vsic[vsic - 1];
    uint32_t h = holder;
    if (!__atomic_compare_exchange_n(&t->holder, &h, 0, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
        return;                         /* not (or no longer) that holder's */
    if (vsatable_kill_all(t))
        hint(vsic - 1);
}

/* On the caller's core, which holds the slot: the record goes live here,
 * and the slot is marked, in one kernel entry, so no removal of the slot
 * can come in between. */
static errval_t present(uint32_t holder, uint32_t vsic, struct cte *s)
{
    if (vsic < 1 || vsic > NVME_VSA_VSICS ||
        __atomic_load_n(&shared.t.vsic[vsic - 1].holder, __ATOMIC_ACQUIRE) != holder)
        return NVME_ERR_NOT_HOLDER;
    errval_t err = vsatable_fill(&shared.t.vsic[vsic - 1], who[vsic - 1], this_core()->id,
                                 (uint64_t)(uintptr_t)s, s->cap.u.raw, s->cap.base,
                                 s->cap.rights & (CAP_RIGHT_READ | CAP_RIGHT_WRITE));
    if (err_is_ok(err))
        s->cap._reserved[CAP_FLAGS] |= CAP_FLAG_VSA_SHOWN;
    return err;
}

struct sysret nvme_invoke_vsa_present(struct invocation *inv)
{
    uint32_t holder = (uint32_t)(inv->slot->cap.u.raw >> 32), vsic = (uint32_t)(inv->slot->cap.u.raw & 0xffff);
    if (holder != inv->d->id)
        return ret(NVME_ERR_NOT_HOLDER, 0);
    if (!nvme_ctl.up)
        return ret(NVME_ERR_NOT_UP, 0);
    struct cte *s;
    errval_t err = inv->arg[0] > UINT32_MAX ? SYS_ERR_ARG_RANGE
                                            : cspace_lookup(inv->d, (capaddr_t)inv->arg[0], &s);
    if (err_is_ok(err) && s->cap.type == CAP_NULL)
        err = CAP_ERR_SLOT_EMPTY;
    if (err_is_ok(err) && s->cap.type != CAP_VSA)
        err = VSA_ERR_CAP_TYPE;
    if (err_is_ok(err) && !(s->cap.rights & (CAP_RIGHT_READ | CAP_RIGHT_WRITE)))
        err = VSA_ERR_NO_AUTHORITY;     /* a mint that kept no right of use */
    if (err_is_fail(err))
        return ret(invoke_refuse_arg(inv, 1, err, 0, UINT32_MAX), 0);
    return ret(present(holder, vsic, s), 0);
}

/* Read here, on the caller's core, from the table: what the service
 * would read in its own mapping of it. */
struct sysret nvme_invoke_vsa_rights(struct invocation *inv)
{
    if ((uint32_t)inv->slot->cap.u.raw != inv->d->id)
        return ret(NVME_ERR_NOT_HOLDER, 0);
    if (inv->arg[0] < 1 || inv->arg[0] > NVME_VSICS)
        return ret(invoke_refuse_arg(inv, 1, VSIC_ERR_NOT_HELD, 1, NVME_VSICS), 0);
    const struct nvme_vsa_vsic *t = &shared.t.vsic[inv->arg[0] - 1];
    uint32_t gone = __atomic_load_n(&t->gone, __ATOMIC_ACQUIRE);
    uint32_t rights = vsatable_rights(t, __atomic_load_n(&t->holder, __ATOMIC_ACQUIRE), inv->arg[1]);
    return ret(ERR_OK, rights | (uint64_t)gone << 32);
}

/* The key of the table's mapping in a domain's mapping list (one a
 * domain): never a slot of any cspace, so no removal takes it down; it
 * goes with the domain's address space. The page is the kernel's
 * (VSPACE_BORROWED: never freed with the domain). */
static struct cte table_key;

struct sysret nvme_invoke_map_vsas(struct invocation *inv)
{
    if ((uint32_t)inv->slot->cap.u.raw != inv->d->id)
        return ret(NVME_ERR_NOT_HOLDER, 0);
    return ret(mapping_add(inv->d, &table_key, inv->arg[0], virt_to_phys(&shared), PAGE_SIZE, 0), 0);
}

void nvme_vsa_hint(const struct nvme_vsa_req *r)
{
    struct dcb *d = dispatch_find(r->holder);
    const uint64_t w[LMP_WORDS] = { MONITOR_MSG_VSA_GONE, r->vsic, 0, 0 };
    if (d)
        (void)dispatch_deliver(d, w, 0);    /* a full inbox: its next request sees the table */
}

void nvme_vsa_removed(struct cte *slot)
{
    if (slot->cap._reserved[CAP_FLAGS] & CAP_FLAG_VSA_SHOWN)     /* a copy of a shown one is marked too */
        kill_slot(this_core()->id, (uint64_t)(uintptr_t)slot, slot->cap.u.raw);
}
