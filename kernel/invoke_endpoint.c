/*
 * invoke_endpoint.c: local message passing (LMP). An Endpoint capability
 * names a dispatcher on this core; a send copies four words into that
 * dispatcher's receive ring in its shared page and wakes it if it was
 * blocked waiting. A send may carry a capability: it is copied (a child
 * of the sender's, so the sender's revoke takes it back) into the
 * receiver's receive slot. Endpoints to other cores are refused: across
 * cores, domains talk through shared-frame channels (UMP), without the
 * kernel.
 *
 * An Endpoint names its dispatcher and a badge (u.raw: ENDPOINT_TARGET,
 * ENDPOINT_BADGE), set when the kernel made it; copies keep it and nothing
 * changes it, so the receiver can trust lmp_msg.badge (kpi/monitor.h).
 */
#include <invoke_ops.h>
#include <dispatch.h>
#include <core.h>
#include <cspace.h>

struct sysret invoke_endpoint_send(struct invocation *inv)
{
    uint32_t target_id = ENDPOINT_TARGET(inv->slot->cap.u.raw);
    struct dcb *t = dispatch_find(target_id);
    if (!t || t->state != DOMAIN_RUNNABLE || !t->disp)
        return (struct sysret){ SYS_ERR_ENDPOINT_DEAD, 0 };
    return (struct sysret){ dispatch_deliver_badged(t, inv->arg, inv->d->id,
                                                    ENDPOINT_BADGE(inv->slot->cap.u.raw), 0), 0 };
}

struct sysret invoke_endpoint_send_cap(struct invocation *inv)
{
    uint32_t target_id = ENDPOINT_TARGET(inv->slot->cap.u.raw);
    struct dcb *t = dispatch_find(target_id);
    if (!t || t->state != DOMAIN_RUNNABLE || !t->disp)
        return (struct sysret){ SYS_ERR_ENDPOINT_DEAD, 0 };
    struct cte *src, *recv;
    errval_t err = inv->arg[3] > UINT32_MAX ? SYS_ERR_ARG_RANGE
                                            : cspace_lookup(inv->d, (capaddr_t)inv->arg[3], &src);
    if (err_is_ok(err))
        err = cspace_lookup(t, CAP_TASK(TASKCN_SLOT_RECV), &recv);
    if (err_is_ok(err) && src->cap.type == CAP_NULL)
        err = CAP_ERR_SLOT_EMPTY;
    if (err_is_ok(err) && recv->cap.type != CAP_NULL)
        err = err_push(CAP_ERR_SLOT_NOT_EMPTY, SYS_ERR_RECV_SLOT_FULL);
    if (err_is_ok(err) && t->disp->lmp_produced - t->disp->lmp_consumed >= LMP_RING_SLOTS)
        err = SYS_ERR_ENDPOINT_FULL;
    if (err_is_fail(err))
        return (struct sysret){ err, 0 };
    err = cap_copy(&this_core()->mdb, src, recv);
    if (err_is_fail(err))
        return (struct sysret){ err, 0 };
    uint64_t w[LMP_WORDS] = { inv->arg[0], inv->arg[1], inv->arg[2], 0 };
    err = dispatch_deliver_badged(t, w, inv->d->id, ENDPOINT_BADGE(inv->slot->cap.u.raw),
                                  CAP_TASK(TASKCN_SLOT_RECV));
    return (struct sysret){ err, 0 };
}
