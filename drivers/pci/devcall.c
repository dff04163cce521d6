/*
 * devcall.c: a device's control call here or on the device's core
 * (devcall.h). The forwarded caller waits in dispatch_await_answer; the
 * answer comes back by IPI and `done` runs on the caller's core.
 */
#include <pci/devcall.h>
#include <cap/cap.h>
#include <console.h>
#include <cspace.h>
#include <kpi/monitor.h>
#include <core.h>
#include <dispatch.h>
#include <invoke.h>
#include <string.h>

static struct sysret finish(const struct devcall *c, devcall_done_fn done,
                            const struct xcall_answer *a)
{
    return done ? done(c, a) : (struct sysret){ a->err, a->value[0] };
}

/* The owner answered a forwarded call: finish it for its caller. */
static void forwarded(const struct xcall *x, const struct xcall_answer *a)
{
    struct devcall c = { .caller = (uint32_t)x->ctx[0], .op = x->msg.op,
                         .ctx = { x->ctx[1], x->ctx[2] } };
    memcpy(c.body, x->msg.body, sizeof(c.body));
    struct sysret r = finish(&c, (devcall_done_fn)(uintptr_t)x->ctx[3], a);
    dispatch_answer(c.caller, r.err, r.value);
}

struct sysret devcall(struct invocation *inv, const struct xcall_service *svc, uint32_t owner,
                      uint16_t op, const void *body, size_t len, devcall_done_fn done,
                      uint64_t ctx0, uint64_t ctx1)
{
    struct xcall_msg m = xcall_msg(svc, op, body, len);
    if (owner == this_core()->id) {
        struct devcall c = { .caller = inv->d->id, .op = op, .ctx = { ctx0, ctx1 } };
        memcpy(c.body, m.body, sizeof(c.body));
        struct xcall_answer a = svc->serve(&m, owner);
        return finish(&c, done, &a);
    }
    const uint64_t ctx[4] = { inv->d->id, ctx0, ctx1, (uint64_t)(uintptr_t)done };
    errval_t err = xcall_send(owner, &m, forwarded, ctx);
    if (err_is_fail(err))
        return (struct sysret){ err, 0 };
    dispatch_await_answer(inv->tf);
}

errval_t devcall_recipient(struct invocation *inv, struct dcb **out)
{
    struct dcb *t = inv->arg[0] <= UINT32_MAX ? dispatch_find((uint32_t)inv->arg[0]) : NULL;
    if (!t || t->state != DOMAIN_RUNNABLE || t->secondary)
        return invoke_refuse_arg(inv, 1, SYS_ERR_NO_DOMAIN, 1, UINT32_MAX);
    struct cte *recv;
    errval_t err = cspace_lookup(t, CAP_TASK(TASKCN_SLOT_RECV), &recv);
    if (err_is_ok(err) && recv->cap.type != CAP_NULL)
        err = SYS_ERR_RECV_SLOT_FULL;
    *out = t;
    return err;
}

errval_t devcall_dma_frame(struct invocation *inv, bool rw, struct cte **f)
{
    const uint32_t need = CAP_RIGHT_READ | CAP_RIGHT_WRITE;
    errval_t err = inv->arg[0] > UINT32_MAX ? SYS_ERR_ARG_RANGE
                                            : cspace_lookup(inv->d, (capaddr_t)inv->arg[0], f);
    if (err_is_ok(err) && (*f)->cap.type != CAP_FRAME)
        err = CAP_ERR_WRONG_TYPE;
    if (err_is_ok(err) && ((*f)->cap._reserved[CAP_FLAGS] & CAP_FLAG_IMPORTED))
        err = CAP_ERR_IMPORTED;
    if (err_is_ok(err) && rw && ((*f)->cap.rights & need) != need)
        err = CAP_ERR_RIGHTS;
    return err;
}

errval_t devcall_give_cap(uint32_t holder, const struct capability *cap, uint64_t tag,
                          uint64_t value, uint32_t sender, bool *given)
{
    *given = false;
    struct dcb *t = dispatch_find(holder);
    struct cte *recv = NULL;
    errval_t err = t && t->state == DOMAIN_RUNNABLE ? ERR_OK : SYS_ERR_NO_DOMAIN;
    if (err_is_ok(err))
        err = cspace_lookup(t, CAP_TASK(TASKCN_SLOT_RECV), &recv);
    if (err_is_ok(err) && recv->cap.type != CAP_NULL)
        err = SYS_ERR_RECV_SLOT_FULL;
    if (err_is_ok(err))
        err = cap_create_root(&this_core()->mdb, recv, cap);
    if (err_is_fail(err))
        return err;
    *given = true;
    uint64_t w[LMP_WORDS] = { MONITOR_MSG_CAP, tag, value, 0 };
    return dispatch_deliver_cap(t, w, sender, CAP_TASK(TASKCN_SLOT_RECV));
}

void devcall_tell(const struct xcall_service *svc, uint32_t owner, uint16_t op,
                  const void *body, size_t len)
{
    struct xcall_msg m = xcall_msg(svc, op, body, len);
    errval_t err = ERR_OK;
    if (owner == this_core()->id)
        svc->serve(&m, owner);
    else
        err = xcall_send(owner, &m, NULL, NULL);
    if (err_is_fail(err))
        kprintf("%s: core %u could not tell core %u (request %u): %s\n", svc->name,
                this_core()->id, owner, op, err_msg(err_no(err)));
}
