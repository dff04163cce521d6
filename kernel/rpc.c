/*
 * rpc.c: requests between CPU drivers, answered (kernel/include/rpc.h).
 */
#include <rpc.h>
#include <core.h>
#include <console.h>
#include <string.h>

static rpc_serve_fn server;

void rpc_set_server(rpc_serve_fn fn)
{
    server = fn;
}

errval_t rpc_call(uint32_t core, const struct rpc_msg *m, rpc_done_fn done, const uint64_t ctx[4])
{
    if (core >= ncores || !cores[core])
        return SYS_ERR_ARG_RANGE;
    struct core *c = this_core();
    for (int i = 0; i < RPC_CALLS; i++) {
        struct rpc_call *k = &c->rpc_calls[i];
        if (k->used)
            continue;
        *k = (struct rpc_call){ .used = true, .core = core, .msg = *m, .done = done };
        if (ctx)
            memcpy(k->ctx, ctx, sizeof(k->ctx));
        return ERR_OK;
    }
    return SYS_ERR_BUSY;
}

static void serve(void)
{
    struct core_rpc *s = &this_core()->rpc;
    uint32_t seq = __atomic_load_n(&s->seq, __ATOMIC_ACQUIRE);
    if (seq == s->done)
        return;
    if (server)
        s->ans = server(&s->req, s->from);
    else
        s->ans = (struct rpc_answer){ SYS_ERR_ILLEGAL_INVOCATION, 0, 0 };
    __atomic_store_n(&s->done, seq, __ATOMIC_RELEASE);
}

static void progress(struct rpc_call *k)
{
    struct core_rpc *s = &cores[k->core]->rpc;
    if (!k->posted) {
        if (__atomic_exchange_n(&s->claim, 1, __ATOMIC_ACQUIRE))
            return;                     /* another core's request is in flight */
        s->req = k->msg;
        s->from = this_core()->id;
        k->seq = s->seq + 1;
        k->posted = true;
        __atomic_store_n(&s->seq, k->seq, __ATOMIC_RELEASE);
        return;
    }
    if (__atomic_load_n(&s->done, __ATOMIC_ACQUIRE) != k->seq)
        return;
    struct rpc_answer a = s->ans;
    __atomic_store_n(&s->claim, 0, __ATOMIC_RELEASE);
    k->used = false;
    if (k->done)
        k->done(k, &a);
}

void rpc_poll(void)
{
    serve();
    struct core *c = this_core();
    for (int i = 0; i < RPC_CALLS; i++)
        if (c->rpc_calls[i].used)
            progress(&c->rpc_calls[i]);
    serve();                            /* a request to ourselves answers at once */
    for (int i = 0; i < RPC_CALLS; i++)
        if (c->rpc_calls[i].used && c->rpc_calls[i].posted)
            progress(&c->rpc_calls[i]);
}
