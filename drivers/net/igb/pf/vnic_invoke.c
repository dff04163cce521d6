/*
 * vnic_invoke.c: the decoders of Kernel.vnic_create and of the VNIC
 * capability's own commands (map_regs, register_dma, unregister_dma,
 * rate_set). Each checks its arguments, then serves the call here on the
 * NIC's core or forwards it there (forward.c; remote.c finishes it).
 * The capability is the authority: its holder, and whoever it gave a copy.
 */
#include <net/igb/pf/vnic.h>
#include <net/igb/pf/forward.h>
#include <cspace.h>
#include <dispatch.h>
#include <invoke.h>
#include <mapping.h>
#include <core.h>
#include <kpi/monitor.h>

static struct sysret ret(errval_t e, uint64_t v) { return (struct sysret){ e, v }; }

struct sysret igb_invoke_vnic_create(struct invocation *inv)
{
    struct dcb *t = inv->arg[0] <= UINT32_MAX ? dispatch_find((uint32_t)inv->arg[0]) : NULL;
    if (!t || t->state != DOMAIN_RUNNABLE || t->secondary)
        return ret(SYS_ERR_NO_DOMAIN, 0);
    struct cte *recv;
    errval_t err = cspace_lookup(t, CAP_TASK(TASKCN_SLOT_RECV), &recv);
    if (err_is_ok(err) && recv->cap.type != CAP_NULL)
        err = SYS_ERR_RECV_SLOT_FULL;
    if (err_is_fail(err))
        return ret(err, 0);
    if (!igb_is_owner()) {
        struct rpc_msg m = { .op = NIC_RPC_VNIC_CREATE, .holder = t->id };
        return igb_forward(inv, &m, igb_remote_vnic_created, t->id, inv->arg[1]);
    }
    uint64_t vf, bar;
    if (err_is_fail(err = igb_vnic_take(t->id, &vf, &bar)))
        return ret(err, 0);
    struct capability cap = igb_vnic_cap(vf, t->id, bar);
    if (err_is_fail(err = cap_create_root(&this_core()->mdb, recv, &cap))) {
        igb_vnic_release((unsigned)vf, t->id);
        return ret(err, 0);
    }
    uint64_t w[LMP_WORDS] = { MONITOR_MSG_CAP, inv->arg[1], vf, 0 };
    return ret(dispatch_deliver_cap(t, w, inv->d->id, CAP_TASK(TASKCN_SLOT_RECV)), vf);
}

struct sysret igb_invoke_map_regs(struct invocation *inv)
{
    return ret(mapping_add(inv->d, inv->slot, inv->arg[0], inv->slot->cap.base,
                           inv->slot->cap.bytes, VSPACE_WRITE | VSPACE_UNCACHED), 0);
}

static errval_t frame_arg(struct invocation *inv, struct cte **f)
{
    errval_t err = inv->arg[0] > UINT32_MAX ? SYS_ERR_ARG_RANGE
                                            : cspace_lookup(inv->d, (capaddr_t)inv->arg[0], f);
    if (err_is_ok(err) && ((*f)->cap.type != CAP_FRAME || ((*f)->cap._reserved[CAP_FLAGS] & CAP_FLAG_IMPORTED)))
        err = CAP_ERR_WRONG_TYPE;
    return err;
}

struct sysret igb_invoke_register_dma(struct invocation *inv)
{
    struct cte *f;
    errval_t err = frame_arg(inv, &f);
    if (err_is_fail(err))
        return ret(err, 0);
    unsigned vf = igb_vnic_cap_vf(inv->slot);
    uint32_t holder = igb_vnic_cap_holder(inv->slot);
    if (!igb_is_owner()) {
        struct rpc_msg m = { .op = NIC_RPC_DMA_REGISTER, .vf = vf, .holder = holder,
                             .a = f->cap.base, .b = f->cap.bytes };
        return igb_forward(inv, &m, igb_remote_dma_registered, (uint64_t)(uintptr_t)f, 0);
    }
    err = igb_dma_register(vf, holder, f->cap.base, f->cap.bytes, f);
    return ret(err, err_is_ok(err) ? f->cap.base : 0);
}

struct sysret igb_invoke_unregister_dma(struct invocation *inv)
{
    struct cte *f;
    errval_t err = frame_arg(inv, &f);
    if (err_is_fail(err))
        return ret(err, 0);
    unsigned vf = igb_vnic_cap_vf(inv->slot);
    uint32_t holder = igb_vnic_cap_holder(inv->slot);
    if (igb_is_owner())
        return ret(igb_dma_unregister(vf, holder, f->cap.base), 0);
    igb_dma_remote_forget(f);
    struct rpc_msg m = { .op = NIC_RPC_DMA_UNREGISTER, .vf = vf, .holder = holder, .a = f->cap.base };
    return igb_forward(inv, &m, igb_forward_done_plain, 0, 0);
}

struct sysret igb_invoke_rate_set(struct invocation *inv)
{
    unsigned vf = igb_vnic_cap_vf(inv->slot);
    uint32_t holder = igb_vnic_cap_holder(inv->slot);
    if (!igb_is_owner()) {
        struct rpc_msg m = { .op = NIC_RPC_RATE_SET, .vf = vf, .holder = holder, .a = inv->arg[0] };
        return igb_forward(inv, &m, igb_forward_done_plain, 0, 0);
    }
    uint64_t mbps = 0;
    errval_t err = igb_rate_set(vf, holder, inv->arg[0], &mbps);
    return ret(err, mbps);
}
