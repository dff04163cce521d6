/*
 * remote.c: finishing, on the caller's core, a VNIC call that the NIC's
 * core served (forward.c brings the answer here). The caller's core keeps
 * its capabilities: it creates the VNIC capability the call asked for, or
 * starts following the Frame it registered, and answers the waiting
 * dispatcher. If that fails, what the NIC's core did is undone.
 */
#include <net/igb/pf/vnic.h>
#include <net/igb/pf/forward.h>
#include <cspace.h>
#include <dispatch.h>
#include <core.h>
#include <kpi/monitor.h>

void igb_remote_vnic_created(struct rpc_call *c, const struct rpc_answer *a)
{
    uint32_t holder = (uint32_t)c->ctx[1];
    struct dcb *t = dispatch_find(holder);
    struct cte *recv = NULL;
    errval_t err = a->err;
    if (err_is_ok(err) && (!t || t->state != DOMAIN_RUNNABLE))
        err = SYS_ERR_NO_DOMAIN;
    if (err_is_ok(err))
        err = cspace_lookup(t, CAP_TASK(TASKCN_SLOT_RECV), &recv);
    if (err_is_ok(err) && recv->cap.type != CAP_NULL)
        err = SYS_ERR_RECV_SLOT_FULL;
    struct capability cap = igb_vnic_cap(a->value, holder, a->value2);
    if (err_is_ok(err))
        err = cap_create_root(&this_core()->mdb, recv, &cap);
    if (err_is_fail(err)) {
        if (err_is_ok(a->err)) {        /* the VF was taken for nobody: give it back */
            struct rpc_msg m = { .op = NIC_RPC_VNIC_RELEASE, .vf = (uint32_t)a->value, .holder = holder };
            igb_tell(&m);
        }
        dispatch_answer((uint32_t)c->ctx[0], err, 0);
        return;
    }
    uint64_t w[LMP_WORDS] = { MONITOR_MSG_CAP, c->ctx[2], a->value, 0 };
    dispatch_answer((uint32_t)c->ctx[0],
                    dispatch_deliver_cap(t, w, (uint32_t)c->ctx[0], CAP_TASK(TASKCN_SLOT_RECV)),
                    a->value);
}

void igb_remote_dma_registered(struct rpc_call *c, const struct rpc_answer *a)
{
    struct cte *frame = (struct cte *)(uintptr_t)c->ctx[1];
    errval_t err = a->err;
    if (err_is_ok(err) && !igb_dma_remote_track(frame, c->msg.vf, c->msg.holder, c->msg.a)) {
        struct rpc_msg m = c->msg;      /* cannot follow it: undo */
        m.op = NIC_RPC_DMA_UNREGISTER;
        igb_tell(&m);
        err = VNIC_ERR_TOO_MANY_DMA;
    }
    dispatch_answer((uint32_t)c->ctx[0], err, err_is_ok(err) ? c->msg.a : 0);
}
