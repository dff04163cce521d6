/*
 * invoke_endpoint.c: local message passing (LMP). An Endpoint capability
 * names a dispatcher on this core; a send copies four words into that
 * dispatcher's receive ring in its shared page and wakes it if it was
 * blocked waiting. Endpoints to other cores are refused: across cores,
 * domains talk through shared-frame channels (UMP), without the kernel.
 */
#include <invoke_ops.h>
#include <dispatch.h>
#include <core.h>

struct sysret invoke_endpoint_send(struct invocation *inv)
{
    uint32_t target_id = (uint32_t)inv->slot->cap.u.raw;
    struct dcb *t = dispatch_find(target_id);
    if (!t || t->state != DOMAIN_RUNNABLE || !t->disp)
        return (struct sysret){ SYS_ERR_ENDPOINT_DEAD, 0 };
    struct dispatcher_shared *s = t->disp;
    uint32_t produced = s->lmp_produced, consumed = s->lmp_consumed;
    if (produced - consumed >= LMP_RING_SLOTS)
        return (struct sysret){ SYS_ERR_ENDPOINT_FULL, 0 };
    struct lmp_msg *m = &s->lmp[produced % LMP_RING_SLOTS];
    for (int i = 0; i < LMP_WORDS; i++)
        m->words[i] = inv->arg[i];
    m->sender = inv->d->id;
    m->badge = (uint32_t)(inv->slot->cap.u.raw >> 32);
    m->cap_slot = 0;
    m->seq = produced + 1;
    __atomic_store_n(&s->lmp_produced, produced + 1, __ATOMIC_RELEASE);
    s->haswork = 1;
    dispatch_wake(t);
    return (struct sysret){ ERR_OK, 0 };
}
