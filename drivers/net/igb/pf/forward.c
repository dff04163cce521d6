/*
 * forward.c: NIC control calls, here or on the NIC's core (forward.h).
 * The service "igb" runs on every core: the NIC's core serves the control
 * plane, a holder's core is told of its VF's DMA faults.
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

static struct xcall_answer serve_op(unsigned op, const struct igb_req *r, uint32_t from)
{
    struct xcall_answer a = { ERR_OK, { 0, 0 } };
    switch (op) {
    case IGB_OP_VNIC_TAKE:
        a.err = igb_vnic_take(r->holder, &a.value[0], &a.value[1]);
        break;
    case IGB_OP_VNIC_RELEASE:
        igb_vnic_release(r->vf, r->holder);
        break;
    case IGB_OP_DMA_REGISTER:
        a.err = igb_dma_register(r->vf, r->holder, r->a, r->b);
        break;
    case IGB_OP_DMA_UNREGISTER:
        a.err = igb_dma_unregister(r->vf, r->holder, r->a);
        break;
    case IGB_OP_RATE_SET:
        a.err = igb_rate_set(r->vf, r->holder, r->a, &a.value[0]);
        break;
    case IGB_OP_FILTER_CREATE:
        a.err = igb_filter_create(r->vf, r->holder, &r->spec, &a.value[0], &a.value[1]);
        break;
    case IGB_OP_FILTER_DELETE:
        igb_filter_delete(r->a);
        break;
    case IGB_OP_DOORBELL_CREATE:
        a.err = igb_doorbell_create(r->vf, r->holder, r->entry, r->apic, &a.value[0]);
        break;
    case IGB_OP_DOORBELL_DELETE:
        igb_doorbell_delete(r->vf, r->holder);
        break;
    case IGB_OP_FAULT_TELL:
        igb_dma_fault_tell(r->vf, r->holder, r->a, r->b);
        break;
    default:
        kprintf("igb: unknown request %u from core %u ignored\n", op, from);
        a.err = SYS_ERR_ILLEGAL_INVOCATION;
    }
    return a;
}

static struct xcall_answer serve(const struct xcall_msg *m, uint32_t from)
{
    struct igb_req r;
    memcpy(&r, m->body, sizeof(r));
    return serve_op(m->op, &r, from);
}

XCALL_SERVICE(igb_service, "igb", serve);

struct sysret igb_call(struct invocation *inv, enum igb_op op, const struct igb_req *r,
                       igb_done_fn done, uint64_t ctx0, uint64_t ctx1)
{
    if (!igb_pf.up)
        return (struct sysret){ IGB_ERR_NOT_UP, 0 };
    return devcall(inv, &igb_service, igb_pf.owner_core, (uint16_t)op, r, sizeof(*r), done, ctx0,
                   ctx1);
}

void igb_tell_core(uint32_t core, enum igb_op op, const struct igb_req *r)
{
    devcall_tell(&igb_service, core, (uint16_t)op, r, sizeof(*r));
}

void igb_tell(enum igb_op op, const struct igb_req *r)
{
    if (!igb_pf.up) {
        kprintf("igb: core %u could not tell the NIC's core (request %u, VF %u): %s\n",
                this_core()->id, op, r->vf, err_msg(IGB_ERR_NOT_UP));
        return;
    }
    igb_tell_core(igb_pf.owner_core, op, r);
}
