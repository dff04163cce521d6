/*
 * invoke.c: the kernel half of the NVMe driver as a driver of the CPU
 * driver. At boot (after the PCI bus) it registers what it serves and
 * stops the controller (ctl.c) unless the command line says `nvme=off`:
 *   - Kernel.nvme_create(domain, tag): a monitor's call, made for the VSIC
 *     service the shell starts (usr/monitor `nvme NAME`); the controller
 *     becomes an NVMe capability in the domain's receive slot;
 *   - NVMe.map_regs, register_dma, unregister_dma, doorbell_create (the
 *     controller's MSI-X entry as a one-shot Doorbell of the holder's:
 *     drivers/pci/doorbell.c);
 *   - NVMe.map_vsas: the table of VSA capabilities shown to VSICs, mapped
 *     read-only into the holder (vsa.c);
 *   - what happens when an NVMe capability (the last copy: the controller
 *     is released), a registered Frame (unmapped) or a VSA capability shown
 *     to a VSIC (vsa.c: its record dies before the removal returns) goes.
 * Each decoder checks its arguments and builds one struct nvme_req served
 * on the controller's core (devcall: here, or forwarded by the service
 * "nvme"); its `done` makes the caller's result on the caller's core.
 */
#include <storage/nvme/kernel/nvme.h>
#include <storage/nvme/shared/regs.h>
#include <pci/devcall.h>
#include <pci/doorbell.h>
#include <boot/cmdline.h>
#include <cap/mdb.h>
#include <cap_hooks.h>
#include <core.h>
#include <cspace.h>
#include <dispatch.h>
#include <driver.h>
#include <invoke.h>
#include <mapping.h>
#include <console.h>
#include <string.h>
#include <kpi/monitor.h>

static struct sysret ret(errval_t e, uint64_t v) { return (struct sysret){ e, v }; }

static struct xcall_answer serve(const struct xcall_msg *m, uint32_t from)
{
    struct nvme_req r;
    memcpy(&r, m->body, sizeof(r));
    struct xcall_answer a = { ERR_OK, { 0, 0 } };
    switch (m->op) {
    case NVME_OP_TAKE:
        a.err = nvme_ctl_take(r.holder, &a.value[0], &a.value[1]);
        break;
    case NVME_OP_RELEASE:
        nvme_ctl_release(r.holder);
        break;
    case NVME_OP_DMA_REGISTER:
        a.err = nvme_ctl_dma_register(r.holder, r.base, r.bytes);
        break;
    case NVME_OP_DMA_UNREGISTER:
        a.err = nvme_ctl_dma_unregister(r.holder, r.base);
        break;
    case NVME_OP_VSIC_CREATE:
        a.err = nvme_vsic_create(r.holder, &a.value[0], &a.value[1]);
        break;
    case NVME_OP_VSIC_RELEASE:
        nvme_vsic_release(r.vsic, r.holder);
        break;
    case NVME_OP_VSIC_REGISTER:
        a.err = nvme_vsic_register(r.vsic, r.holder, r.base, r.bytes);
        break;
    case NVME_OP_VSIC_UNREGISTER:
        a.err = nvme_vsic_unregister(r.vsic, r.holder, r.base);
        break;
    case NVME_OP_VSIC_INFO:
        a.err = nvme_vsic_info(r.holder, r.vsic, &a.value[0], &a.value[1]);
        break;
    case NVME_OP_DOORBELL_CREATE:
        a.err = nvme_doorbell_create(r.holder, (unsigned)r.base, (uint32_t)r.bytes, &a.value[0]);
        break;
    case NVME_OP_DOORBELL_DELETE:
        if (nvme_bell != NVME_NO_BELL)
            pci_bell_silence(nvme_bell, r.holder);
        break;
    case NVME_OP_VSA_HINT: {
        struct nvme_vsa_req v;
        memcpy(&v, m->body, sizeof(v));
        nvme_vsa_hint(&v);
        break;
    }
    default:
        kprintf("nvme: unknown request %u from core %u ignored\n", m->op, from);
        a.err = SYS_ERR_ILLEGAL_INVOCATION;
    }
    return a;
}

XCALL_SERVICE(nvme_service, "nvme", serve);

struct sysret nvme_call_body(struct invocation *inv, enum nvme_op op, const void *body, size_t len,
                             devcall_done_fn done, uint64_t ctx0, uint64_t ctx1)
{
    if (!nvme_ctl.up)
        return ret(NVME_ERR_NOT_UP, 0);
    return devcall(inv, &nvme_service, nvme_ctl.owner_core, (uint16_t)op, body, len, done,
                   ctx0, ctx1);
}

struct sysret nvme_call(struct invocation *inv, enum nvme_op op, const struct nvme_req *r,
                        devcall_done_fn done, uint64_t ctx0, uint64_t ctx1)
{
    return nvme_call_body(inv, op, r, sizeof(*r), done, ctx0, ctx1);
}

void nvme_tell_body(enum nvme_op op, const void *body, size_t len)
{
    if (nvme_ctl.up)
        devcall_tell(&nvme_service, nvme_ctl.owner_core, (uint16_t)op, body, len);
}

void nvme_tell_to(uint32_t core, enum nvme_op op, const void *body, size_t len)
{
    if (nvme_ctl.up && core < ncores)
        devcall_tell(&nvme_service, core, (uint16_t)op, body, len);
}

void nvme_tell(enum nvme_op op, const struct nvme_req *r)
{
    nvme_tell_body(op, r, sizeof(*r));
}

/* An NVMe capability names its holder: a stale one reaches nothing. */
static uint32_t cap_holder(const struct cte *slot) { return (uint32_t)slot->cap.u.raw; }

unsigned nvme_bell = NVME_NO_BELL, nvme_vsic_bell0 = NVME_NO_BELL;

errval_t nvme_doorbell_create(uint32_t holder, unsigned entry, uint32_t apic, uint64_t *vector)
{
    if (!holder || nvme_ctl.holder != holder)
        return NVME_ERR_NOT_HOLDER;
    if (nvme_bell == NVME_NO_BELL)
        return TRAP_ERR_NO_VECTORS;
    char what[PCI_BDF_LEN + 8] = "nvme ";
    pci_bdf(nvme_ctl.rid, what + 5);
    return pci_bell_route(nvme_bell, what, nvme_ctl.ops, nvme_ctl.dev, entry, holder, apic,
                          true, vector);
}

/* The owner routed the entry here: the Doorbell comes to be in slot ctx[0],
 * or the entry is masked again. */
static struct sysret doorbell_created(const struct devcall *c, const struct xcall_answer *a)
{
    struct dcb *d = dispatch_find(c->caller);
    errval_t err = a->err;
    if (err_is_ok(err))
        err = d ? pci_bell_settle(d, nvme_bell, c->ctx[0]) : SYS_ERR_NO_DOMAIN;
    if (err_is_fail(err) && err_is_ok(a->err))
        nvme_tell(NVME_OP_DOORBELL_DELETE, &(struct nvme_req){ .holder = c->caller });
    return ret(err, err_is_ok(err) ? a->value[0] : 0);
}

static struct sysret invoke_doorbell_create(struct invocation *inv)
{
    errval_t err = cap_holder(inv->slot) == inv->d->id ? ERR_OK : NVME_ERR_NOT_HOLDER;
    if (err_is_ok(err) && inv->arg[0] > UINT16_MAX)
        err = invoke_refuse_arg(inv, 1, DOORBELL_ERR_MSIX_ENTRY, 0, UINT16_MAX);
    if (err_is_ok(err))
        err = cspace_put(inv->d, inv->arg[1], NULL);    /* only check the slot */
    if (err_is_fail(err))
        return ret(err, 0);
    const struct nvme_req r = { .holder = inv->d->id, .base = inv->arg[0],
                                .bytes = this_core()->apic_id };
    return nvme_call(inv, NVME_OP_DOORBELL_CREATE, &r, doorbell_created, inv->arg[1], 0);
}

/* The controller was taken for domain ctx[0]: its capability comes to be
 * in the domain's receive slot with a MONITOR_MSG_CAP (tag ctx[1]), or it
 * is given back. */
static struct sysret created(const struct devcall *c, const struct xcall_answer *a)
{
    uint32_t holder = (uint32_t)c->ctx[0];
    struct capability cap = { .type = CAP_NVME, .rights = CAP_RIGHT_ALL, .base = a->value[1],
                              .bytes = NVME_REGS_BYTES };
    cap.u.raw = holder;
    errval_t err = a->err;
    bool given = false;
    if (err_is_ok(err))
        err = devcall_give_cap(holder, &cap, c->ctx[1], a->value[0], c->caller, &given);
    if (!given && err_is_ok(a->err))
        nvme_tell(NVME_OP_RELEASE, &(struct nvme_req){ .holder = holder });
    return ret(err, err_is_ok(err) ? a->value[0] : 0);
}

static struct sysret invoke_create(struct invocation *inv)
{
    struct dcb *t;
    errval_t err = devcall_recipient(inv, &t);
    if (err_is_fail(err))
        return ret(err, 0);
    const struct nvme_req r = { .holder = t->id };
    return nvme_call(inv, NVME_OP_TAKE, &r, created, t->id, inv->arg[1]);
}

static struct sysret invoke_map_regs(struct invocation *inv)
{
    return ret(mapping_add(inv->d, inv->slot, inv->arg[0], inv->slot->cap.base,
                           inv->slot->cap.bytes, VSPACE_WRITE | VSPACE_UNCACHED), 0);
}

/* Frames registered from this core while the controller is another's,
 * by (holder, VSIC): VSIC 0 is the controller's own registration. */
static struct vtd_dmaset_remote remote[MAX_CORES][VTD_DMASET_REMOTE_MAX];
#define KEY(holder, vsic) ((uint64_t)(holder) | (uint64_t)(vsic) << 32)

bool nvme_follow(struct cte *frame, uint32_t holder, uint32_t vsic, uint64_t base)
{
    if (nvme_ctl.owner_core == this_core()->id)
        return vsic ? nvme_vsic_name(vsic, frame, base)
                    : vtd_dmaset_name(&nvme_ctl.dma, frame, base);
    return vtd_dmaset_remote_follow(remote[this_core()->id], frame, KEY(holder, vsic), base);
}

void nvme_unfollow(uint32_t holder, uint32_t vsic, uint64_t base)
{
    vtd_dmaset_remote_unfollow(remote[this_core()->id], KEY(holder, vsic), base);
}

/* The Frame in arg[0] and the request naming it (rw for register: the
 * controller both reads and writes what it is given). */
static errval_t dma_req(struct invocation *inv, bool rw, struct cte **f, struct nvme_req *r)
{
    errval_t err = devcall_dma_frame(inv, rw, f);
    if (err_is_ok(err))
        *r = (struct nvme_req){ .holder = cap_holder(inv->slot), .base = (*f)->cap.base,
                                .bytes = (*f)->cap.bytes };
    return err;
}

/* The Frame (ctx[0]) is registered: follow it, so that its going unmaps it. */
static struct sysret dma_registered(const struct devcall *c, const struct xcall_answer *a)
{
    struct nvme_req r;
    memcpy(&r, c->body, sizeof(r));
    struct cte *frame = (struct cte *)(uintptr_t)c->ctx[0];
    errval_t err = a->err;
    if (err_is_ok(err)) {
        if (!nvme_follow(frame, r.holder, 0, r.base)) {
            nvme_tell(NVME_OP_DMA_UNREGISTER, &r);
            err = DMA_ERR_TOO_MANY;
        }
    }
    return ret(err, err_is_ok(err) ? r.base : 0);
}

static struct sysret invoke_register_dma(struct invocation *inv)
{
    struct cte *f;
    struct nvme_req r;
    errval_t err = dma_req(inv, true, &f, &r);
    if (err_is_fail(err))
        return ret(err, 0);
    return nvme_call(inv, NVME_OP_DMA_REGISTER, &r, dma_registered, (uint64_t)(uintptr_t)f, 0);
}

static struct sysret invoke_unregister_dma(struct invocation *inv)
{
    struct cte *f;
    struct nvme_req r;
    errval_t err = dma_req(inv, false, &f, &r);
    if (err_is_fail(err))
        return ret(err, 0);
    nvme_unfollow(r.holder, 0, r.base);
    return nvme_call(inv, NVME_OP_DMA_UNREGISTER, &r, NULL, 0, 0);
}

static void nvme_removed(struct cte *slot)
{
    if (mdb_is_last_copy(slot))
        nvme_tell(NVME_OP_RELEASE, &(struct nvme_req){ .holder = cap_holder(slot) });
}

static void frame_removed(struct cte *frame)
{
    if (!nvme_ctl.up)
        return;
    if (nvme_ctl.owner_core == this_core()->id) {
        nvme_vsic_frame_removed(frame);
        vtd_dmaset_frame_removed(&nvme_ctl.dma, frame);
    }
    uint64_t key, base;
    while (vtd_dmaset_remote_gone(remote[this_core()->id], frame, &key, &base)) {
        struct nvme_req r = { .holder = (uint32_t)key, .vsic = (uint32_t)(key >> 32), .base = base };
        nvme_tell(r.vsic ? NVME_OP_VSIC_UNREGISTER : NVME_OP_DMA_UNREGISTER, &r);
    }
}

static const struct invoke_entry kernel_cmds[] = {
    [KERNEL_CMD_NVME_CREATE] = { invoke_create, "Kernel.nvme_create", 0 },
    [KERNEL_CMD_VSIC_CREATE] = { nvme_invoke_vsic_create, "Kernel.vsic_create", 0 },
};

static const struct invoke_entry nvme_cmds[] = {
    [NVME_CMD_MAP_REGS]       = { invoke_map_regs, "NVMe.map_regs", CAP_RIGHT_WRITE },
    [NVME_CMD_REGISTER_DMA]   = { invoke_register_dma, "NVMe.register_dma", CAP_RIGHT_WRITE },
    [NVME_CMD_UNREGISTER_DMA] = { invoke_unregister_dma, "NVMe.unregister_dma", 0 },
    [NVME_CMD_VSIC_INFO]      = { nvme_invoke_vsic_info, "NVMe.vsic_info", CAP_RIGHT_READ },
    [NVME_CMD_DOORBELL_CREATE] = { invoke_doorbell_create, "NVMe.doorbell_create", CAP_RIGHT_WRITE },
    [NVME_CMD_VSIC_RING]      = { nvme_invoke_vsic_ring, "NVMe.vsic_ring", CAP_RIGHT_WRITE },
    [NVME_CMD_VSA_RIGHTS]     = { nvme_invoke_vsa_rights, "NVMe.vsa_rights", CAP_RIGHT_READ },
    [NVME_CMD_MAP_VSAS]       = { nvme_invoke_map_vsas, "NVMe.map_vsas", CAP_RIGHT_READ },
};

static const struct invoke_entry vsic_cmds[] = {
    [VSIC_CMD_REGISTER_DMA]   = { nvme_invoke_vsic_register, "VSIC.register_dma", CAP_RIGHT_WRITE },
    [VSIC_CMD_UNREGISTER_DMA] = { nvme_invoke_vsic_unregister, "VSIC.unregister_dma", 0 },
    [VSIC_CMD_KICK]           = { nvme_invoke_vsic_kick, "VSIC.kick", 0 },
    [VSIC_CMD_PRESENT_VSA]    = { nvme_invoke_vsa_present, "VSIC.present_vsa", 0 },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void nvme_boot(const struct driver_env *env)
{
    (void)env;
    invoke_register(CAP_KERNEL, kernel_cmds, N(kernel_cmds));
    invoke_register(CAP_NVME, nvme_cmds, N(nvme_cmds));
    invoke_register(CAP_VSIC, vsic_cmds, N(vsic_cmds));
    cap_removed_register(CAP_VSIC, nvme_vsic_removed);
    cap_removed_register(CAP_NVME, nvme_removed);
    cap_removed_register(CAP_FRAME, frame_removed);
    cap_removed_register(CAP_VSA, nvme_vsa_removed);
    errval_t err = pci_bells_alloc(1, true, &nvme_bell);
    if (err_is_ok(err))
        err = pci_bells_alloc(NVME_VSICS, false, &nvme_vsic_bell0);
    if (err_is_fail(err))
        kprint_err("nvme: no doorbells; the VSIC service and its clients poll", err);
    struct pci_table *t = pci_boot_table();
    if (t && !cmdline_has("nvme=off"))
        nvme_ctl_init(t);
}

DRIVER(nvme_driver, DRIVER_ORDER_DEVICE, "nvme", nvme_boot);
