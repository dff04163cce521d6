/**
 * \file forward.h
 * \brief The one path of every NIC control call (forward.c). The NIC's
 * state lives on its core; a decoder checks the call, builds a request
 * and hands it to igb_call(), which serves it at once on the NIC's core
 * or sends it there (drivers/pci/devcall.c over kernel/xcall.c, the
 * IPI-woken cross-core service "igb") while the caller's dispatcher
 * waits, not the kernel. Either way
 * the same service function does the work, and the same `done` makes the
 * result on the caller's core, which keeps its capabilities: it creates
 * the capability the call asked for, or undoes what the NIC's core did if
 * it cannot.
 */
#ifndef NET_IGB_PF_FORWARD_H
#define NET_IGB_PF_FORWARD_H
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <xcall.h>
#include <pci/devcall.h>
#include <kpi/syscall.h>
struct invocation;

enum igb_op {
    IGB_OP_VNIC_TAKE = 1,           /* holder -> value: VF, register BAR */
    IGB_OP_VNIC_RELEASE,            /* vf, holder */
    IGB_OP_DMA_REGISTER,            /* vf, holder, a: base, b: bytes */
    IGB_OP_DMA_UNREGISTER,          /* vf, holder, a: base */
    IGB_OP_RATE_SET,                /* vf, holder, a: bytes per second -> value: Mb/s */
    IGB_OP_FILTER_CREATE,           /* vf, holder, spec -> value: filter key, id */
    IGB_OP_FILTER_DELETE,           /* a: filter key */
    IGB_OP_DOORBELL_CREATE,         /* vf, holder, entry, apic -> value: vector */
    IGB_OP_DOORBELL_DELETE,         /* vf, holder */
    IGB_OP_FAULT_TELL,              /* to the holder's core: vf, holder, a: address, b: write */
};

/** A request: what each operation reads is listed with it above. */
struct igb_req {
    uint32_t vf, holder;
    uint32_t entry, apic;
    union {
        struct { uint64_t a, b; };
        struct filter_spec spec;
    };
};
_Static_assert(sizeof(struct igb_req) <= XCALL_BODY_BYTES, "an igb request is one message");

/** A call in flight: the request, the caller, and the decoder's context. */
struct igb_call {
    uint32_t caller;                /* the invoking domain */
    uint64_t ctx[2];
    struct igb_req req;
};

/** Makes the caller's result from the NIC core's answer, on the caller's
 *  core (drivers/pci/devcall.h). NULL: the answer as it is (err, value[0]). */
typedef devcall_done_fn igb_done_fn;

/** The igb view of a finished devcall: the request, caller and context. */
static inline struct igb_call igb_call_of(const struct devcall *d)
{
    struct igb_call c = { .caller = d->caller, .ctx = { d->ctx[0], d->ctx[1] } };
    memcpy(&c.req, d->body, sizeof(c.req));
    return c;
}

/** True on the core that owns the NIC (its state lives there). */
bool igb_is_owner(void);
/** Serve `op` on the NIC's core (here, or forwarded); `done` finishes it
 *  here with ctx0, ctx1. Returns the caller's result, unless the call was
 *  forwarded: then it does not return (the caller waits for the answer). */
struct sysret igb_call(struct invocation *inv, enum igb_op op, const struct igb_req *r,
                       igb_done_fn done, uint64_t ctx0, uint64_t ctx1);
/** Tell the NIC's core something nobody waits for (a capability went). */
void igb_tell(enum igb_op op, const struct igb_req *r);
/** The same, to `core` (a VF's holder's, for IGB_OP_FAULT_TELL). */
void igb_tell_core(uint32_t core, enum igb_op op, const struct igb_req *r);
#endif
