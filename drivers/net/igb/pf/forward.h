/**
 * \file forward.h
 * \brief Control-plane calls made on a core that does not own the NIC are
 * forwarded to the NIC's core and answered there (forward.c over
 * kernel/rpc.c). The caller's dispatcher waits, not the kernel.
 *
 * The NIC's core keeps all NIC state and serves each request with the
 * same service functions the local invocations use (vnic.c, filter.c,
 * doorbell.c); the requesting core keeps its capabilities and, when the
 * answer comes, creates the capability the call asked for and finishes
 * the call.
 */
#ifndef NET_IGB_FORWARD_H
#define NET_IGB_FORWARD_H
#include <stdbool.h>
#include <stdint.h>
#include <rpc.h>
#include <kpi/syscall.h>
struct invocation;

enum nic_rpc_op {
    NIC_RPC_VNIC_CREATE = 1,        /* holder -> value: VF, value2: register BAR */
    NIC_RPC_VNIC_RELEASE,           /* vf */
    NIC_RPC_DMA_REGISTER,           /* vf, holder, a: base, b: bytes */
    NIC_RPC_DMA_UNREGISTER,         /* vf, holder, a: base */
    NIC_RPC_RATE_SET,               /* vf, holder, a: bytes per second */
    NIC_RPC_FILTER_CREATE,          /* vf, holder, blob: struct filter_spec
                                       -> value: filter key, value2: filter id */
    NIC_RPC_FILTER_DELETE,          /* a: filter key */
    NIC_RPC_DOORBELL_CREATE,        /* vf, holder, arg: MSI-X entry, a: APIC id
                                       -> value: vector */
    NIC_RPC_DOORBELL_DELETE,        /* vf, holder */
    NIC_RPC_FAULT_TELL,             /* to the holder's core: vf, holder, a: address,
                                       b: write */
};

/** True on the core that owns the NIC (its state lives there). */
bool igb_is_owner(void);
/** Send the invocation's call to the NIC's core; `done` finishes it here
 *  (ctx[0] is the caller's domain id). Does not return unless the request
 *  cannot even be queued (then: the error to return). */
struct sysret igb_forward(struct invocation *inv, struct rpc_msg *m, rpc_done_fn done,
                          uint64_t ctx1, uint64_t ctx2);
/** The answer, as it is, to the waiting caller. */
void igb_forward_done_plain(struct rpc_call *c, const struct rpc_answer *a);
/** Tell the NIC's core something nobody waits for (a capability went). */
void igb_tell(struct rpc_msg *m);
/** Serve forwarded requests (registered at NIC bring-up). */
void igb_forward_init(void);
/** Finishing forwarded calls on the caller's core (remote.c). */
void igb_remote_vnic_created(struct rpc_call *c, const struct rpc_answer *a);
void igb_remote_dma_registered(struct rpc_call *c, const struct rpc_answer *a);
#endif
