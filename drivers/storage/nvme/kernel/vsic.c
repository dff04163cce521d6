/*
 * vsic.c: the VSIC capability. A VSIC is a domain's virtual storage
 * controller: the VSIC service (usr/vsicd) serves its rings, and the
 * kernel keeps only what the service must be able to trust: which domain
 * holds it and the one Frame of its memory the device may reach.
 *
 *   Kernel.vsic_create(domain, tag)  a monitor's call for a client's
 *       MONITOR_MSG_VSIC_REQUEST: a VSIC id (while the service holds the
 *       controller), as a VSIC capability in the client's receive slot;
 *   VSIC.register_dma(frame)   the client's own Frame mapped into the
 *       controller's IOMMU domain (IOVA = physical address) and recorded as
 *       the VSIC's memory; its going (or the VSIC's) unmaps it;
 *   NVMe.vsic_info(id, out)    for the service (it holds the controller):
 *       the VSIC's holder and memory, so that a request naming memory
 *       outside it is refused before the device sees it; the service's
 *       core remembers the holder (route[][]) for
 *   NVMe.vsic_ring(id)         the service posted completions: VSIC id's
 *       bell rings on its holder's core, which listens to it from the
 *       VSIC's creation to its capability's last copy going;
 *   VSIC.kick()                the client wrote requests: the controller's
 *       bell is kicked on the service's core (named in the capability when
 *       it was made), coalesced until the service arms it again.
 * The state lives on the controller's core (nvme_vsics); calls from other
 * cores are forwarded (devcall).
 */
#include <storage/nvme/kernel/nvme.h>
#include <pci/devcall.h>
#include <pci/doorbell.h>
#include <arch/vspace.h>
#include <cap/mdb.h>
#include <core.h>
#include <cspace.h>
#include <dispatch.h>
#include <invoke.h>
#include <console.h>
#include <string.h>
#include <kpi/monitor.h>

struct nvme_vsic nvme_vsics[NVME_VSICS];

static struct sysret ret(errval_t e, uint64_t v) { return (struct sysret){ e, v }; }

static struct nvme_vsic *held(uint32_t vsic, uint32_t holder)
{
    return vsic >= 1 && vsic <= NVME_VSICS && holder && nvme_vsics[vsic - 1].holder == holder
         ? &nvme_vsics[vsic - 1] : NULL;
}

errval_t nvme_vsic_create(uint32_t holder, uint64_t *id, uint64_t *service)
{
    if (!nvme_ctl.holder)
        return NVME_ERR_NOT_UP;         /* no VSIC service holds the controller */
    *service = nvme_ctl.holder;
    for (unsigned i = 0; i < NVME_VSICS; i++) {
        if (!nvme_vsics[i].holder) {
            nvme_vsics[i] = (struct nvme_vsic){ .holder = holder };
            nvme_vsa_vsic_held(i + 1, holder);
            *id = i + 1;
            kprintf("vsic: VSIC %u is domain %#x's\n", i + 1, holder);
            return ERR_OK;
        }
    }
    return VSIC_ERR_TOO_MANY;
}

void nvme_vsic_release(uint32_t vsic, uint32_t holder)
{
    struct nvme_vsic *v = held(vsic, holder);
    if (!v)
        return;
    if (v->bytes)
        vtd_dmaset_remove(&nvme_ctl.dma, v->base);
    nvme_vsa_vsic_gone(vsic, holder);   /* done already where its last copy went */
    *v = (struct nvme_vsic){ 0 };
    kprintf("vsic: VSIC %u is free again (domain %#x let go of it)\n", vsic, holder);
}

errval_t nvme_vsic_register(uint32_t vsic, uint32_t holder, uint64_t base, uint64_t bytes)
{
    struct nvme_vsic *v = held(vsic, holder);
    if (!v)
        return CAP_ERR_WRONG_TYPE;
    if (v->bytes)
        return DMA_ERR_TOO_MANY;        /* one Frame a VSIC */
    if (!nvme_ctl.holder)
        return NVME_ERR_NOT_UP;
    errval_t err = vtd_dmaset_add(&nvme_ctl.dma, base, bytes);
    if (err_is_ok(err)) {
        v->base = base;
        v->bytes = bytes;
        v->frame = NULL;
    }
    return err;
}

errval_t nvme_vsic_unregister(uint32_t vsic, uint32_t holder, uint64_t base)
{
    struct nvme_vsic *v = held(vsic, holder);
    if (!v)
        return CAP_ERR_WRONG_TYPE;
    if (!v->bytes || v->base != base)
        return DMA_ERR_NOT_REGISTERED;
    v->bytes = 0;
    v->frame = NULL;
    return vtd_dmaset_remove(&nvme_ctl.dma, base);
}

errval_t nvme_vsic_info(uint32_t ctl_holder, uint32_t vsic, uint64_t *holder, uint64_t *region)
{
    if (!ctl_holder || nvme_ctl.holder != ctl_holder)
        return CAP_ERR_WRONG_TYPE;
    if (vsic < 1 || vsic > NVME_VSICS)
        return VSA_ERR_BAD_HANDLE;
    const struct nvme_vsic *v = &nvme_vsics[vsic - 1];
    *holder = v->holder;
    unsigned lg = 0;
    while (v->bytes && (1ull << lg) < v->bytes)
        lg++;
    *region = v->bytes ? v->base | lg : 0;          /* Frames: page aligned, 2^n bytes */
    return ERR_OK;
}

void nvme_vsic_ctl_released(void)
{
    for (unsigned i = 0; i < NVME_VSICS; i++) {
        nvme_vsics[i].bytes = 0;
        nvme_vsics[i].frame = NULL;
    }
}

void nvme_vsic_frame_removed(struct cte *frame)
{
    for (unsigned i = 0; i < NVME_VSICS; i++)
        if (nvme_vsics[i].bytes && nvme_vsics[i].frame == frame) {
            nvme_vsics[i].bytes = 0;     /* its mapping goes with the dmaset's entry */
            nvme_vsics[i].frame = NULL;
        }
}

bool nvme_vsic_name(uint32_t vsic, struct cte *frame, uint64_t base)
{
    struct nvme_vsic *v = vsic >= 1 && vsic <= NVME_VSICS ? &nvme_vsics[vsic - 1] : NULL;
    if (!v || !v->bytes || v->base != base)
        return false;
    v->frame = frame;
    return vtd_dmaset_name(&nvme_ctl.dma, frame, base);
}

/* A VSIC capability names its id, the service's core and its holder: a
 * stale one reaches nothing. */
#define VSIC_RAW(id, core, holder) \
    ((uint64_t)(id) | (uint64_t)((core) & 0xffff) << 16 | (uint64_t)(holder) << 32)
static uint32_t cap_vsic(const struct cte *s) { return (uint32_t)(s->cap.u.raw & 0xffff); }
static uint32_t cap_service_core(const struct cte *s) { return (uint32_t)(s->cap.u.raw >> 16) & 0xffff; }
static uint32_t cap_holder(const struct cte *s) { return (uint32_t)(s->cap.u.raw >> 32); }

/* On the service's core: VSIC n's holder as NVMe.vsic_info last said (a
 * row per core, written and read only there). */
static uint32_t route[MAX_CORES][NVME_VSICS];

static unsigned vsic_bell(uint32_t vsic) { return nvme_vsic_bell0 + vsic - 1; }

static struct sysret created(const struct devcall *c, const struct xcall_answer *a)
{
    uint32_t holder = (uint32_t)c->ctx[0];
    struct capability cap = { .type = CAP_VSIC, .rights = CAP_RIGHT_ALL };
    cap.u.raw = VSIC_RAW(a->value[0], (uint32_t)a->value[1] >> 16, holder);
    errval_t err = a->err;
    bool given = false;
    if (err_is_ok(err))
        err = devcall_give_cap(holder, &cap, c->ctx[1], a->value[0], c->caller, &given);
    if (given && nvme_vsic_bell0 != NVME_NO_BELL)
        pci_bell_listen(vsic_bell((uint32_t)a->value[0]), holder);
    if (!given && err_is_ok(a->err))
        nvme_tell(NVME_OP_VSIC_RELEASE, &(struct nvme_req){ .vsic = (uint32_t)a->value[0],
                                                            .holder = holder });
    return ret(err, err_is_ok(err) ? a->value[0] : 0);
}

struct sysret nvme_invoke_vsic_create(struct invocation *inv)
{
    struct dcb *t;
    errval_t err = devcall_recipient(inv, &t);
    if (err_is_fail(err))
        return ret(err, 0);
    const struct nvme_req r = { .holder = t->id };
    return nvme_call(inv, NVME_OP_VSIC_CREATE, &r, created, t->id, inv->arg[1]);
}

static struct sysret registered(const struct devcall *c, const struct xcall_answer *a)
{
    struct nvme_req r;
    memcpy(&r, c->body, sizeof(r));
    errval_t err = a->err;
    if (err_is_ok(err) && !nvme_follow((struct cte *)(uintptr_t)c->ctx[0], r.holder, r.vsic, r.base)) {
        nvme_tell(NVME_OP_VSIC_UNREGISTER, &r);
        err = DMA_ERR_TOO_MANY;
    }
    return ret(err, err_is_ok(err) ? r.base : 0);
}

struct sysret nvme_invoke_vsic_register(struct invocation *inv)
{
    struct cte *f;
    errval_t err = devcall_dma_frame(inv, true, &f);    /* the device writes it too */
    if (err_is_fail(err))
        return ret(err, 0);
    const struct nvme_req r = { .holder = cap_holder(inv->slot), .vsic = cap_vsic(inv->slot),
                                .base = f->cap.base, .bytes = f->cap.bytes };
    return nvme_call(inv, NVME_OP_VSIC_REGISTER, &r, registered, (uint64_t)(uintptr_t)f, 0);
}

struct sysret nvme_invoke_vsic_unregister(struct invocation *inv)
{
    struct cte *f;
    errval_t err = devcall_dma_frame(inv, false, &f);
    if (err_is_fail(err))
        return ret(err, 0);
    const struct nvme_req r = { .holder = cap_holder(inv->slot), .vsic = cap_vsic(inv->slot),
                                .base = f->cap.base };
    nvme_unfollow(r.holder, r.vsic, r.base);
    return nvme_call(inv, NVME_OP_VSIC_UNREGISTER, &r, NULL, 0, 0);
}

/* The answer, written into the caller's struct vsic_info (ctx[0]). */
static struct sysret info_done(const struct devcall *c, const struct xcall_answer *a)
{
    struct nvme_req r;
    memcpy(&r, c->body, sizeof(r));
    struct dcb *d = dispatch_find(c->caller);
    errval_t err = d ? a->err : SYS_ERR_NO_DOMAIN;
    unsigned lg = (unsigned)(a->value[1] & 0xfff);
    struct vsic_info info = { .vsic = r.vsic, .holder = (uint32_t)a->value[0],
                              .base = a->value[1] & ~0xfffull,
                              .bytes = a->value[1] ? 1ull << lg : 0 };
    if (err_is_ok(a->err) && r.vsic >= 1 && r.vsic <= NVME_VSICS)
        route[this_core()->id][r.vsic - 1] = info.holder;
    if (err_is_ok(err))
        err = vspace_copy_in(&d->vspace, c->ctx[0], &info, sizeof(info));
    return ret(err, info.holder);
}

struct sysret nvme_invoke_vsic_info(struct invocation *inv)
{
    if (inv->arg[0] < 1 || inv->arg[0] > NVME_VSICS)
        return ret(invoke_refuse_arg(inv, 1, VSA_ERR_BAD_HANDLE, 1, NVME_VSICS), 0);
    const struct nvme_req r = { .holder = (uint32_t)inv->slot->cap.u.raw,
                                .vsic = (uint32_t)inv->arg[0] };
    return nvme_call(inv, NVME_OP_VSIC_INFO, &r, info_done, inv->arg[1], 0);
}

struct sysret nvme_invoke_vsic_ring(struct invocation *inv)
{
    if ((uint32_t)inv->slot->cap.u.raw != inv->d->id)
        return ret(NVME_ERR_NOT_HOLDER, 0);
    if (inv->arg[0] < 1 || inv->arg[0] > NVME_VSICS)
        return ret(invoke_refuse_arg(inv, 1, VSIC_ERR_NOT_HELD, 1, NVME_VSICS), 0);
    uint32_t vsic = (uint32_t)inv->arg[0], holder = route[this_core()->id][vsic - 1];
    if (!holder)
        return ret(VSIC_ERR_NOT_HELD, 0);
    if (nvme_vsic_bell0 == NVME_NO_BELL)
        return ret(TRAP_ERR_NO_VECTORS, 0);
    return ret(pci_bell_ring(vsic_bell(vsic), holder), 0);
}

struct sysret nvme_invoke_vsic_kick(struct invocation *inv)
{
    if (cap_holder(inv->slot) != inv->d->id)
        return ret(NVME_ERR_NOT_HOLDER, 0);
    if (nvme_bell == NVME_NO_BELL)
        return ret(TRAP_ERR_NO_VECTORS, 0);
    bool sent;
    errval_t err = pci_bell_kick(nvme_bell, cap_service_core(inv->slot), &sent);
    return ret(err, sent);
}

void nvme_vsic_removed(struct cte *slot)
{
    if (mdb_is_last_copy(slot) && nvme_vsic_bell0 != NVME_NO_BELL)
        pci_bell_unlisten(vsic_bell(cap_vsic(slot)), cap_holder(slot));
    if (!mdb_is_last_copy(slot))
        return;
    /* Its VSA records die here, before the removal (or the holder's end)
     * returns; the rest is the controller's core's, told. */
    nvme_vsa_vsic_gone(cap_vsic(slot), cap_holder(slot));
    nvme_tell(NVME_OP_VSIC_RELEASE, &(struct nvme_req){ .vsic = cap_vsic(slot),
                                                        .holder = cap_holder(slot) });
}
