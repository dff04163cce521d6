/*
 * vsa.c: VSA capabilities shown to VSICs. A CAP_VSA (kpi/caps.h) is the
 * authority to use the VSA of one name with its rights; the kernel mints it
 * only at spawn (kernel/spawn.c), copies and mints only keep or remove
 * rights. This file is the VSIC's side of it:
 *
 *   VSIC.present_vsa(vsa cptr)   the VSIC's holder shows one of its CAP_VSA
 *       slots: recorded on the controller's core as (VSIC, name, rights,
 *       the slot's core and address, the capability's id), and the slot is
 *       marked (CAP_FLAG_VSA_SHOWN) so that its going is told;
 *   NVMe.vsa_rights(vsic, name)  for the VSIC service (it holds the
 *       controller): the OR of the rights of the live records of that name
 *       in that VSIC, and the VSIC's count of records gone;
 *   a marked slot's removal      (delete, revoke, the holder's cspace
 *       going at its end) tells the controller's core, which drops the
 *       records of that very slot.
 *
 * Records are by slot, not by object: a VSIC keeps a VSA while the slot
 * that was shown lives, so a domain that deletes the capability it showed
 * loses the VSA even if it kept a copy (it may show the copy, with the
 * copy's rights). A local capability never moves between slots (CNode.move
 * takes only imported ones, and a CAP_VSA is never exported), so a slot's
 * address names it until its removal is told. The messages from one core
 * to the controller's arrive in order, so a removal is recorded before a
 * later present of a new capability in the same slot.
 *
 * Revocation is as prompt as the messages: the deleting core's tell to the
 * controller's core, which drops the records and sends the service a hint
 * (MONITOR_MSG_VSA_GONE, delivered by the service's core); the service then
 * asks NVMe.vsa_rights for its handles. It also asks at every
 * create/acquire and once a second (usr/vsicd/README.md).
 */
#include <storage/nvme/kernel/nvme.h>
#include <pci/devcall.h>
#include <cap/cap.h>
#include <core.h>
#include <cspace.h>
#include <dispatch.h>
#include <invoke.h>
#include <console.h>
#include <string.h>
#include <kpi/monitor.h>

#define CAP_FLAG_VSA_SHOWN CAP_FLAG_DRIVER     /* presented to a VSIC */

static struct sysret ret(errval_t e, uint64_t v) { return (struct sysret){ e, v }; }

/* On the controller's core. */
errval_t nvme_vsa_present(const struct nvme_vsa_req *r)
{
    if (r->vsic < 1 || r->vsic > NVME_VSICS || !r->holder || nvme_vsics[r->vsic - 1].holder != r->holder)
        return NVME_ERR_NOT_HOLDER;
    struct nvme_vsic *v = &nvme_vsics[r->vsic - 1];
    int free = -1;
    for (int i = 0; i < NVME_VSIC_VSAS; i++) {
        struct nvme_vsic_vsa *e = &v->vsa[i];
        if (e->rights && e->core == r->core && e->slot == r->slot && e->id == r->id)
            return ERR_OK;              /* shown before */
        if (!e->rights && free < 0)
            free = i;
    }
    if (free < 0)
        return VSA_ERR_PRESENT_FULL;
    v->vsa[free] = (struct nvme_vsic_vsa){ .name = r->name, .id = r->id, .slot = r->slot,
                                           .core = r->core, .rights = r->rights };
    return ERR_OK;
}

errval_t nvme_vsa_rights(uint32_t ctl_holder, uint32_t vsic, uint64_t name, uint64_t *value)
{
    if (!ctl_holder || nvme_ctl.holder != ctl_holder)
        return NVME_ERR_NOT_HOLDER;
    if (vsic < 1 || vsic > NVME_VSICS)
        return VSIC_ERR_NOT_HELD;
    const struct nvme_vsic *v = &nvme_vsics[vsic - 1];
    uint32_t rights = 0;
    for (int i = 0; v->holder && i < NVME_VSIC_VSAS; i++)
        if (v->vsa[i].rights && v->vsa[i].name == name)
            rights |= v->vsa[i].rights;
    *value = rights | (uint64_t)v->vsa_gone << 32;
    return ERR_OK;
}

void nvme_vsa_gone(const struct nvme_vsa_req *r)
{
    for (unsigned n = 0; n < NVME_VSICS; n++) {
        bool gone = false;
        for (int i = 0; i < NVME_VSIC_VSAS; i++) {
            struct nvme_vsic_vsa *e = &nvme_vsics[n].vsa[i];
            if (e->rights && e->core == r->core && e->slot == r->slot && e->id == r->id) {
                *e = (struct nvme_vsic_vsa){ 0 };
                nvme_vsics[n].vsa_gone++;
                gone = true;
            }
        }
        /* The service hears of it now, not at its next question: a hint
         * on its core (the answer it then asks for is the authority). */
        if (gone && nvme_ctl.holder)
            nvme_tell_to(nvme_ctl.holder >> 16, NVME_OP_VSA_HINT,
                         &(struct nvme_vsa_req){ .holder = nvme_ctl.holder, .vsic = n + 1 },
                         sizeof(struct nvme_vsa_req));
    }
}

void nvme_vsa_hint(const struct nvme_vsa_req *r)
{
    struct dcb *d = dispatch_find(r->holder);
    const uint64_t w[LMP_WORDS] = { MONITOR_MSG_VSA_GONE, r->vsic, 0, 0 };
    if (d)
        (void)dispatch_deliver(d, w, 0);    /* a full inbox: its check each second finds it */
}

/* On the caller's core: the present went through; mark the slot. */
static struct sysret presented(const struct devcall *c, const struct xcall_answer *a)
{
    struct nvme_vsa_req r;
    memcpy(&r, c->body, sizeof(r));
    if (err_is_fail(a->err))
        return ret(a->err, 0);
    /* The slot is the caller's while it is there: it waited, nobody else
     * deletes in its cspace but a revoke of a parent, which empties it. */
    struct cte *s = dispatch_find(c->caller) ? (struct cte *)(uintptr_t)r.slot : NULL;
    if (s && s->cap.type == CAP_VSA && s->cap.u.raw == r.id) {
        s->cap._reserved[CAP_FLAGS] |= CAP_FLAG_VSA_SHOWN;
        return ret(ERR_OK, 0);
    }
    nvme_tell_body(NVME_OP_VSA_GONE, &r, sizeof(r));   /* it went while we waited */
    return ret(VSA_ERR_REVOKED, 0);
}

struct sysret nvme_invoke_vsa_present(struct invocation *inv)
{
    uint32_t holder = (uint32_t)(inv->slot->cap.u.raw >> 32), vsic = (uint32_t)(inv->slot->cap.u.raw & 0xffff);
    if (holder != inv->d->id)
        return ret(NVME_ERR_NOT_HOLDER, 0);
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
    const struct nvme_vsa_req r = {
        .holder = holder, .vsic = vsic, .name = s->cap.base, .id = s->cap.u.raw,
        .slot = (uint64_t)(uintptr_t)s, .core = this_core()->id,
        .rights = s->cap.rights & (CAP_RIGHT_READ | CAP_RIGHT_WRITE),
    };
    return nvme_call_body(inv, NVME_OP_VSA_PRESENT, &r, sizeof(r), presented, 0, 0);
}

struct sysret nvme_invoke_vsa_rights(struct invocation *inv)
{
    if ((uint32_t)inv->slot->cap.u.raw != inv->d->id)
        return ret(NVME_ERR_NOT_HOLDER, 0);
    if (inv->arg[0] < 1 || inv->arg[0] > NVME_VSICS)
        return ret(invoke_refuse_arg(inv, 1, VSIC_ERR_NOT_HELD, 1, NVME_VSICS), 0);
    const struct nvme_vsa_req r = { .holder = inv->d->id, .vsic = (uint32_t)inv->arg[0],
                                    .name = inv->arg[1] };
    return nvme_call_body(inv, NVME_OP_VSA_RIGHTS, &r, sizeof(r), NULL, 0, 0);
}

void nvme_vsa_removed(struct cte *slot)
{
    if (!(slot->cap._reserved[CAP_FLAGS] & CAP_FLAG_VSA_SHOWN))
        return;                         /* never shown (a copy of a shown one is marked too) */
    const struct nvme_vsa_req r = { .id = slot->cap.u.raw, .slot = (uint64_t)(uintptr_t)slot,
                                    .core = this_core()->id };
    nvme_tell_body(NVME_OP_VSA_GONE, &r, sizeof(r));
}
