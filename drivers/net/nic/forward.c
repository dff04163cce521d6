/*
 * forward.c: NIC control calls, here or on the NIC's core. The NIC's state
 * lives on its core; a decoder checks the call, builds one request (struct
 * nic_req, naming the NIC) and hands it to nic_call(), which serves it at
 * once on the NIC's core or sends it there (drivers/pci/devcall.c over
 * kernel/xcall.c: the IPI-woken cross-core service "nic") while the
 * caller's dispatcher waits, not the kernel. Either way the same service
 * function does the work, and the decoder's `done` makes the result on
 * the caller's core, which keeps its capabilities. The service runs on
 * every core: the NIC's core serves the control plane, a holder's core is
 * told of its VF's DMA faults.
 */
#include <net/nic/priv.h>
#include <console.h>
#include <core.h>
#include <dispatch.h>
#include <invoke.h>

bool nic_is_owner(const struct nic *n)
{
    return nic_is_up(n) && n->ops->owner_core() == this_core()->id;
}

static struct xcall_answer serve_op(unsigned op, const struct nic_req *r, uint32_t from)
{
    struct xcall_answer a = { ERR_OK, { 0, 0 } };
    struct nic *n = nic_of(r->nic);
    if (op == NIC_OP_FAULT_TELL) {      /* on the holder's core, not the NIC's */
        nic_dma_fault_tell(r->vf, r->holder, r->a, r->b);
        return a;
    }
    if (!n || !nic_is_owner(n)) {
        kprintf("nic: request %u for NIC %u from core %u: not this core's NIC; ignored\n", op,
                r->nic, from);
        a.err = n ? IGB_ERR_NOT_OWNER : SYS_ERR_ILLEGAL_INVOCATION;
        return a;
    }
    switch (op) {
    case NIC_OP_VNIC_TAKE:
        a.err = nic_vnic_take(n, r->holder, &a.value[0], &a.value[1]);
        break;
    case NIC_OP_VNIC_RELEASE:
        nic_vnic_release(n, r->vf, r->holder);
        break;
    case NIC_OP_DMA_REGISTER:
        a.err = nic_dma_register(n, r->vf, r->holder, r->a, r->b);
        break;
    case NIC_OP_DMA_UNREGISTER:
        a.err = nic_dma_unregister(n, r->vf, r->holder, r->a);
        break;
    case NIC_OP_RATE_SET:
        a.err = nic_rate_set(n, r->vf, r->holder, r->a, &a.value[0]);
        break;
    case NIC_OP_FILTER_CREATE:
        a.err = nic_filter_create(n, r->vf, r->holder, &r->spec, &a.value[0], &a.value[1]);
        break;
    case NIC_OP_FILTER_DELETE:
        nic_filter_delete(n, r->a);
        break;
    case NIC_OP_DOORBELL_CREATE:
        a.err = nic_doorbell_create(n, r->vf, r->holder, r->entry, r->apic, &a.value[0]);
        break;
    case NIC_OP_DOORBELL_DELETE:
        nic_doorbell_delete(n, r->vf, r->holder);
        break;
    default:
        kprintf("nic: unknown request %u from core %u ignored\n", op, from);
        a.err = SYS_ERR_ILLEGAL_INVOCATION;
    }
    return a;
}

static struct xcall_answer serve(const struct xcall_msg *m, uint32_t from)
{
    struct nic_req r;
    memcpy(&r, m->body, sizeof(r));
    return serve_op(m->op, &r, from);
}

XCALL_SERVICE(nic_service, "nic", serve);

struct sysret nic_call(struct invocation *inv, const struct nic *n, enum nic_op op,
                       struct nic_req *r, devcall_done_fn done, uint64_t ctx0, uint64_t ctx1)
{
    if (!nic_is_up(n))
        return (struct sysret){ IGB_ERR_NOT_UP, 0 };
    r->nic = (uint16_t)nic_index(n);
    return devcall(inv, &nic_service, n->ops->owner_core(), (uint16_t)op, r, sizeof(*r), done,
                   ctx0, ctx1);
}

void nic_tell_core(uint32_t core, const struct nic *n, enum nic_op op, struct nic_req *r)
{
    r->nic = (uint16_t)nic_index(n);
    devcall_tell(&nic_service, core, (uint16_t)op, r, sizeof(*r));
}

void nic_tell(const struct nic *n, enum nic_op op, struct nic_req *r)
{
    if (!nic_is_up(n)) {
        kprintf("nic: core %u could not tell the %s's core (request %u, VF %u): %s\n",
                this_core()->id, n->ops->name, op, r->vf, err_msg(IGB_ERR_NOT_UP));
        return;
    }
    nic_tell_core(n->ops->owner_core(), n, op, r);
}
