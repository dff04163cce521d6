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
    return (struct sysret){ dispatch_deliver(t, inv->arg, inv->d->id), 0 };
}
