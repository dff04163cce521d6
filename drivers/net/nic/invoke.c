/*
 * invoke.c: the decoders of Kernel.vnic_create, Kernel.nics and the VNIC
 * capability's own commands (map_regs, register_dma, unregister_dma,
 * rate_set), for any registered NIC. Each checks its arguments and builds
 * one request for nic_call() (forward.c), served on the NIC's core, here
 * or there; its `done` makes the caller's result here. The capability is
 * the authority: its holder, and whoever it gave a copy.
 */
#include <net/nic/priv.h>
#include <cspace.h>
#include <dispatch.h>
#include <invoke.h>
#include <mapping.h>
#include <core.h>
#include <kpi/monitor.h>

#define NIC_VENDOR_INTEL 0x8086

static struct sysret ret(errval_t e, uint64_t v) { return (struct sysret){ e, v }; }

/* Kernel.nics, what the shell's `nics` shows: the PF and each VF with its
 * MAC address, pool and the domain holding it as a VNIC. Answered only on
 * the core that owns the NIC. */
struct sysret nic_invoke_nics(struct invocation *inv)
{
    struct dcb *d = inv->d;
    struct nic *n = nic_serving();
    uint64_t max = inv->arg[1];
    if (!n || !nic_is_up(n))
        return ret(IGB_ERR_NOT_UP, 0);
    if (!nic_is_owner(n))
        return ret(IGB_ERR_NOT_OWNER, n->ops->owner_core());
    if (max > n->book.nvfs + 1)
        max = n->book.nvfs + 1;
    if (!vspace_user_range(&d->vspace, inv->arg[0], max * sizeof(struct nic_info), true))
        return ret(SYS_ERR_BAD_USER_POINTER, 0);
    uint64_t k = 0;
    for (int i = -1; i < (int)n->book.nvfs && k < max; i++, k++) {
        struct nic_info info = { 0 };
        n->ops->info(i, &info);
        info.vf = i;
        info.vendor = NIC_VENDOR_INTEL;
        info.holder = i < 0 ? 0 : nic_book_holder(&n->book, (unsigned)i);
        errval_t err = vspace_copy_in(&d->vspace, inv->arg[0] + k * sizeof(info), &info, sizeof(info));
        if (err_is_fail(err))
            return ret(invoke_refuse_arg(inv, 1, err, 0, 0), k);
    }
    return ret(ERR_OK, k);
}

/* The VF was taken for domain ctx[0]: its VNIC capability comes to be in
 * the domain's receive slot, announced by a MONITOR_MSG_CAP with tag
 * ctx[1]; if that cannot be, the VF is given back. */
static struct sysret vnic_created(const struct devcall *dc, const struct xcall_answer *a)
{
    struct nic_call c = nic_call_of(dc);
    struct nic *n = nic_of(c.req.nic);
    uint32_t holder = (uint32_t)c.ctx[0];
    errval_t err = a->err;
    bool given = false;
    if (err_is_ok(err) && !n)
        err = SYS_ERR_ILLEGAL_INVOCATION;   /* cannot be: the request named it */
    if (err_is_ok(err)) {
        struct capability cap = nic_vnic_cap(n, a->value[0], holder, a->value[1]);
        err = devcall_give_cap(holder, &cap, c.ctx[1], a->value[0], c.caller, &given);
    }
    if (!given && err_is_ok(a->err) && n)   /* the VF was taken for nobody: give it back */
        nic_tell(n, NIC_OP_VNIC_RELEASE, &(struct nic_req){ .vf = (uint32_t)a->value[0],
                                                            .holder = holder });
    return ret(err, err_is_ok(err) ? a->value[0] : 0);
}

struct sysret nic_invoke_vnic_create(struct invocation *inv)
{
    struct dcb *t;
    struct nic *n = nic_serving();
    if (!n)
        return ret(IGB_ERR_NOT_UP, 0);
    errval_t err = devcall_recipient(inv, &t);
    if (err_is_fail(err))
        return ret(err, 0);
    struct nic_req r = { .holder = t->id };
    return nic_call(inv, n, NIC_OP_VNIC_TAKE, &r, vnic_created, t->id, inv->arg[1]);
}

/* The value is the VF's PCI device id: the user half picks its NIC's
 * steps by it (drivers/net/vf/open.c). */
struct sysret nic_invoke_map_regs(struct invocation *inv)
{
    unsigned vf;
    uint32_t holder;
    struct nic *n = nic_of_vnic(inv->slot, &vf, &holder);
    if (!n)
        return ret(CAP_ERR_WRONG_TYPE, 0);
    errval_t err = mapping_add(inv->d, inv->slot, inv->arg[0], inv->slot->cap.base,
                               inv->slot->cap.bytes, VSPACE_WRITE | VSPACE_UNCACHED);
    return ret(err, err_is_ok(err) ? n->ops->vf_device : 0);
}

/* The request of register_dma (rw: the VF both reads and writes what it
 * is given, so a read-only mint is refused; found by capfuzz, seed 5 on
 * core 0) and unregister_dma: the Frame in arg[0]. */
static errval_t dma_req(struct invocation *inv, bool rw, struct cte **f, struct nic **n,
                        struct nic_req *r)
{
    *r = (struct nic_req){ 0 };
    *n = nic_of_vnic(inv->slot, &r->vf, &r->holder);
    if (!*n)
        return CAP_ERR_WRONG_TYPE;
    errval_t err = devcall_dma_frame(inv, rw, f);
    if (err_is_ok(err)) {
        r->a = (*f)->cap.base;
        r->b = (*f)->cap.bytes;
    }
    return err;
}

/* The Frame (ctx[0]) is registered: follow it, so that its going unmaps it. */
static struct sysret dma_registered(const struct devcall *dc, const struct xcall_answer *a)
{
    struct nic_call c = nic_call_of(dc);
    struct nic *n = nic_of(c.req.nic);
    struct cte *frame = (struct cte *)(uintptr_t)c.ctx[0];
    errval_t err = a->err;
    if (err_is_ok(err) && (!n || !nic_dma_follow(n, frame, c.req.vf, c.req.holder, c.req.a))) {
        if (n)
            nic_tell(n, NIC_OP_DMA_UNREGISTER, &c.req);     /* cannot follow it: undo */
        err = VNIC_ERR_TOO_MANY_DMA;
    }
    return ret(err, err_is_ok(err) ? c.req.a : 0);
}

struct sysret nic_invoke_register_dma(struct invocation *inv)
{
    struct cte *f;
    struct nic *n;
    struct nic_req r;
    errval_t err = dma_req(inv, true, &f, &n, &r);
    if (err_is_fail(err))
        return ret(err, 0);
    return nic_call(inv, n, NIC_OP_DMA_REGISTER, &r, dma_registered, (uint64_t)(uintptr_t)f, 0);
}

struct sysret nic_invoke_unregister_dma(struct invocation *inv)
{
    struct cte *f;
    struct nic *n;
    struct nic_req r;
    errval_t err = dma_req(inv, false, &f, &n, &r);
    if (err_is_fail(err))
        return ret(err, 0);
    nic_dma_unfollow(n, r.vf, r.holder, r.a);
    return nic_call(inv, n, NIC_OP_DMA_UNREGISTER, &r, NULL, 0, 0);
}

/* The rate specifier: the NIC's own limiter (its nichw.c), or its named
 * refusal where it has none. */
errval_t nic_rate_set(struct nic *n, unsigned vf, uint32_t holder, uint64_t bytes_per_s,
                      uint64_t *mbps)
{
    if (!nic_book_held(&n->book, vf, holder))
        return CAP_ERR_WRONG_TYPE;
    return n->ops->rate_set(vf, bytes_per_s, mbps);
}

struct sysret nic_invoke_rate_set(struct invocation *inv)
{
    struct nic_req r = { 0 };
    struct nic *n = nic_of_vnic(inv->slot, &r.vf, &r.holder);
    if (!n)
        return ret(CAP_ERR_WRONG_TYPE, 0);
    r.a = inv->arg[0];
    return nic_call(inv, n, NIC_OP_RATE_SET, &r, NULL, 0, 0);
}
