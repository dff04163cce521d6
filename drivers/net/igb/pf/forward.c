/*
 * forward.c: NIC control calls from other cores (forward.h).
 */
#include <net/igb/pf/forward.h>
#include <net/igb/pf/filter.h>
#include <net/igb/pf/pf.h>
#include <net/igb/pf/vnic.h>
#include <console.h>
#include <core.h>
#include <dispatch.h>
#include <invoke.h>
#include <string.h>

bool igb_is_owner(void)
{
    return igb_pf.up && igb_pf.owner_core == this_core()->id;
}

struct sysret igb_forward(struct invocation *inv, struct rpc_msg *m, rpc_done_fn done,
                          uint64_t ctx1, uint64_t ctx2)
{
    if (!igb_pf.up)
        return (struct sysret){ IGB_ERR_NOT_UP, 0 };
    const uint64_t ctx[4] = { inv->d->id, ctx1, ctx2, 0 };
    errval_t err = rpc_call(igb_pf.owner_core, m, done, ctx);
    if (err_is_fail(err))
        return (struct sysret){ err, 0 };
    dispatch_await_answer(inv->tf);
}

void igb_forward_done_plain(struct rpc_call *c, const struct rpc_answer *a)
{
    dispatch_answer((uint32_t)c->ctx[0], a->err, a->value);
}

void igb_tell(struct rpc_msg *m)
{
    errval_t err = igb_pf.up ? rpc_call(igb_pf.owner_core, m, NULL, NULL) : IGB_ERR_NOT_UP;
    if (err_is_fail(err))
        kprintf("igb: core %u could not tell the NIC's core (request %u, VF %u): %s\n",
                this_core()->id, m->op, m->vf, err_msg(err_no(err)));
}

static struct rpc_answer serve(const struct rpc_msg *m, uint32_t from)
{
    struct rpc_answer a = { ERR_OK, 0, 0 };
    struct filter_spec spec;
    switch (m->op) {
    case NIC_RPC_VNIC_CREATE:
        a.err = igb_vnic_take(m->holder, &a.value, &a.value2);
        break;
    case NIC_RPC_VNIC_RELEASE:
        igb_vnic_release(m->vf, m->holder);
        break;
    case NIC_RPC_DMA_REGISTER:
        a.err = igb_dma_register(m->vf, m->holder, m->a, m->b, NULL);
        break;
    case NIC_RPC_DMA_UNREGISTER:
        a.err = igb_dma_unregister(m->vf, m->holder, m->a);
        break;
    case NIC_RPC_RATE_SET:
        a.err = igb_rate_set(m->vf, m->holder, m->a, &a.value);
        break;
    case NIC_RPC_FILTER_CREATE:
        memcpy(&spec, m->blob, sizeof(spec));
        a.err = igb_filter_create(m->vf, m->holder, &spec, &a.value, &a.value2);
        break;
    case NIC_RPC_FILTER_DELETE:
        igb_filter_delete(m->a);
        break;
    case NIC_RPC_DOORBELL_CREATE:
        a.err = igb_doorbell_create(m->vf, m->holder, m->arg, (uint32_t)m->a, &a.value);
        break;
    case NIC_RPC_DOORBELL_DELETE:
        igb_doorbell_delete(m->vf, m->holder);
        break;
    case NIC_RPC_FAULT_TELL:
        igb_dma_fault_tell(m);
        break;
    default:
        kprintf("igb: unknown request %u from core %u ignored\n", m->op, from);
        a.err = SYS_ERR_ILLEGAL_INVOCATION;
    }
    return a;
}

void igb_forward_init(void)
{
    _Static_assert(sizeof(struct filter_spec) <= sizeof(((struct rpc_msg *)0)->blob),
                   "a filter spec travels in one request");
    rpc_set_server(serve);
}
