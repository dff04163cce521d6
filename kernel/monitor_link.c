/*
 * monitor_link.c: the CPU driver's two small conversations outside
 * syscalls. A domain's end is reported to the monitor of its core as an
 * LMP message (MONITOR_MSG_EXIT, id, status), so the monitor can tell
 * whoever waits for it. And another core's CPU driver may ask, through
 * this core's one-cache-line mailbox, for this core's monitor to start
 * (init asks for every core), which happens on the next timer tick here.
 */
#include <monitor_link.h>
#include <dispatch.h>
#include <spawn.h>
#include <core.h>
#include <console.h>
#include <string.h>
#include <kpi/monitor.h>

static struct dcb *core_monitor(void)
{
    struct core *c = this_core();
    for (int i = 0; i < DCBS_PER_CORE; i++)
        if (c->dcbs[i].state == DOMAIN_RUNNABLE && strcmp(c->dcbs[i].name, "monitor") == 0)
            return &c->dcbs[i];
    return NULL;
}

void monitor_notify_exit(struct dcb *d)
{
    struct dcb *m = core_monitor();
    if (!m || m == d || !m->disp)
        return;
    struct dispatcher_shared *s = m->disp;
    uint32_t produced = s->lmp_produced;
    if (produced - s->lmp_consumed >= LMP_RING_SLOTS)
        return;                         /* the monitor will see it in `ps` */
    struct lmp_msg *msg = &s->lmp[produced % LMP_RING_SLOTS];
    memset(msg, 0, sizeof(*msg));
    msg->words[0] = MONITOR_MSG_EXIT;
    msg->words[1] = d->id;
    msg->words[2] = (uint64_t)(int64_t)d->exit_status;
    msg->words[3] = d->state;
    msg->seq = produced + 1;
    __atomic_store_n(&s->lmp_produced, produced + 1, __ATOMIC_RELEASE);
    s->haswork = 1;
    dispatch_wake(m);
}

void monitor_link_poll(void)
{
    struct core_mailbox *m = &this_core()->mailbox;
    if (!this_core()->dcbs)
        return;                         /* not taking requests yet */
    uint32_t seq = __atomic_load_n(&m->seq, __ATOMIC_ACQUIRE);
    if (seq == m->done)
        return;
    if (m->op == MAILBOX_OP_SPAWN_MONITOR) {
        uint32_t id;
        errval_t err = spawn_domain("monitor", "", true, &id);
        if (err_is_fail(err))
            kprint_err("monitor: cannot start on this core", err);
    }
    __atomic_store_n(&m->done, seq, __ATOMIC_RELEASE);
}
