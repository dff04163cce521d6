/*
 * mailbox.c: how one CPU driver asks another for something. Each core has
 * one cache-line mailbox in its struct core; a writer claims it with an
 * atomic exchange, fills the body, publishes `seq` (release) and lets the
 * claim go; the owner polls on its timer tick, serves the request and
 * publishes `done = seq`. No lock is held across cores, nobody waits in
 * the kernel: a busy mailbox is an error the caller may retry.
 */
#include <mailbox.h>
#include <core.h>
#include <console.h>
#include <monitor_link.h>
#include <span.h>
#include <string.h>

errval_t mailbox_post(uint32_t core, enum mailbox_op op, uint32_t arg, uint64_t a, uint64_t b,
                      const char *name, uint32_t *seq)
{
    if (core >= ncores || !cores[core])
        return SYS_ERR_ARG_RANGE;
    struct core_mailbox *m = &cores[core]->mailbox;
    if (__atomic_exchange_n(&m->claim, 1, __ATOMIC_ACQUIRE))
        return SYS_ERR_BUSY;
    errval_t err = ERR_OK;
    if (__atomic_load_n(&m->done, __ATOMIC_ACQUIRE) != m->seq) {
        err = SYS_ERR_BUSY;
    } else {
        m->op = op;
        m->arg = arg;
        m->a = a;
        m->b = b;
        memset(m->name, 0, sizeof(m->name));
        for (size_t i = 0; name && name[i] && i + 1 < sizeof(m->name); i++)
            m->name[i] = name[i];
        *seq = m->seq + 1;
        __atomic_store_n(&m->seq, *seq, __ATOMIC_RELEASE);
    }
    __atomic_store_n(&m->claim, 0, __ATOMIC_RELEASE);
    return err;
}

bool mailbox_done(uint32_t core, uint32_t seq)
{
    return (int32_t)(__atomic_load_n(&cores[core]->mailbox.done, __ATOMIC_ACQUIRE) - seq) >= 0;
}

void mailbox_poll(void)
{
    struct core *c = this_core();
    struct core_mailbox *m = &c->mailbox;
    if (!c->dcbs)
        return;                         /* not taking requests yet */
    uint32_t seq = __atomic_load_n(&m->seq, __ATOMIC_ACQUIRE);
    if (seq == m->done)
        return;
    switch (m->op) {
    case MAILBOX_OP_SPAWN_MONITOR:
        monitor_link_start();
        break;
    case MAILBOX_OP_SPAN:
        span_start_secondary(m->arg, m->a, m->b, m->name);
        break;
    case MAILBOX_OP_KILL_SPAN:
        span_stop_secondaries(m->arg);
        break;
    default:
        kprintf("mailbox: core %u: unknown request %u ignored\n", c->id, m->op);
    }
    __atomic_store_n(&m->done, seq, __ATOMIC_RELEASE);
}
