/*
 * vnic_invoke.c: the decoders of Kernel.vnic_create and of the VNIC
 * capability's own commands (map_regs, register_dma, unregister_dma,
 * rate_set). Each checks its arguments and builds one request for
 * igb_call() (forward.c), served on the NIC's core, here or there; its
 * `done` makes the caller's result here. The capability is the
 * authority: its holder, and whoever it gave a copy.
 */
#include <net/igb/pf/vnic.h>
#include <net/igb/pf/forward.h>
#include <pci/devcall.h>
#include <cspace.h>
#include <dispatch.h>
#include <invoke.h>
#include <mapping.h>
#include <core.h>
#include <kpi/monitor.h>

static struct sysret ret(errval_t e, uint64_t v) { return (struct sysret){ e, v }; }

/* The VF was taken for domain ctx[0]: its VNIC capability comes to be in
 * the domain's receive slot, announced by a MONITOR_MSG_CAP with tag
 * ctx[1]; if that cannot be, the VF is given back. */
static struct sysret vnic_created(const struct devcall *dc, const struct xcall_answer *a)
{
    const struct igb_call call = igb_call_of(dc), *c = &call;
    uint32_t holder = (uint32_t)c->ctx[0];
    struct capability cap = igb_vnic_cap(a->value[0], holder, a->value[1]);
    errval_t err = a->err;
    bool given = false;
    if (err_is_ok(err))
        err = devcall_give_cap(holder, &cap, c->ctx[1], a->value[0], c->caller, &given);
    if (!given && err_is_ok(a->err))     /* the VF was taken for nobody: give it back */
        igb_tell(IGB_OP_VNIC_RELEASE, &(struct igb_req){ .vf = (uint32_t)a->value[0],
                                                         .holder = holder });
    return ret(err, err_is_ok(err) ? a->value[0] : 0);
}

struct sysret igb_invoke_vnic_create(struct invocation *inv)
{
    struct dcb *t;
    errval_t err = devcall_recipient(inv, &t);
    if (err_is_fail(err))
        return ret(err, 0);
    const struct igb_req r = { .holder = t->id };
    return igb_call(inv, IGB_OP_VNIC_TAKE, &r, vnic_created, t->id, inv->arg[1]);
}

/* The value is the VF's PCI device id: the user half picks its NIC's
 * steps by it (drivers/net/vf/open.c). */
struct sysret igb_invoke_map_regs(struct invocation *inv)
{
    errval_t err = mapping_add(inv->d, inv->slot, inv->arg[0], inv->slot->cap.base,
                               inv->slot->cap.bytes, VSPACE_WRITE | VSPACE_UNCACHED);
    return ret(err, err_is_ok(err) ? IGB_VF_DEVICE_ID : 0);
}

/* The request of register_dma (rw: the VF both reads and writes what it
 * is given, so a read-only mint is refused; found by capfuzz, seed 5 on
 * core 0) and unregister_dma: the Frame in arg[0]. */
static errval_t dma_req(struct invocation *inv, bool rw, struct cte **f, struct igb_req *r)
{
    errval_t err = devcall_dma_frame(inv, rw, f);
    if (err_is_ok(err))
        *r = (struct igb_req){ .vf = igb_vnic_cap_vf(inv->slot),
                               .holder = igb_vnic_cap_holder(inv->slot),
                               .a = (*f)->cap.base, .b = (*f)->cap.bytes };
    return err;
}

/* The Frame (ctx[0]) is registered: follow it, so that its going unmaps it. */
static struct sysret dma_registered(const struct devcall *dc, const struct xcall_answer *a)
{
    const struct igb_call call = igb_call_of(dc), *c = &call;
    struct cte *frame = (struct cte *)(uintptr_t)c->ctx[0];
    errval_t err = a->err;
    if (err_is_ok(err) && !igb_dma_follow(frame, c->req.vf, c->req.holder, c->req.a)) {
        igb_tell(IGB_OP_DMA_UNREGISTER, &c->req);      /* cannot follow it: undo */
        err = VNIC_ERR_TOO_MANY_DMA;
    }
    return ret(err, err_is_ok(err) ? c->req.a : 0);
}

struct sysret igb_invoke_register_dma(struct invocation *inv)
{
    struct cte *f;
    struct igb_req r;
    errval_t err = dma_req(inv, true, &f, &r);
    if (err_is_fail(err))
        return ret(err, 0);
    return igb_call(inv, IGB_OP_DMA_REGISTER, &r, dma_registered, (uint64_t)(uintptr_t)f, 0);
}

struct sysret igb_invoke_unregister_dma(struct invocation *inv)
{
    struct cte *f;
    struct igb_req r;
    errval_t err = dma_req(inv, false, &f, &r);
    if (err_is_fail(err))
        return ret(err, 0);
    igb_dma_unfollow(r.vf, r.holder, r.a);
    return igb_call(inv, IGB_OP_DMA_UNREGISTER, &r, NULL, 0, 0);
}

struct sysret igb_invoke_rate_set(struct invocation *inv)
{
    const struct igb_req r = { .vf = igb_vnic_cap_vf(inv->slot),
                               .holder = igb_vnic_cap_holder(inv->slot), .a = inv->arg[0] };
    return igb_call(inv, IGB_OP_RATE_SET, &r, NULL, 0, 0);
}
