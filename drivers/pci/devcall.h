/**
 * \file devcall.h
 * \brief A device's control call, served on the core that owns the device
 * (drivers/pci/devcall.c). Device state lives on one core (the one that
 * enumerated PCI); a decoder on any core checks the call, builds a request
 * body and hands it to devcall(), which serves it at once when this is the
 * owner, or sends it there through the driver's cross-core service
 * (kernel/xcall.c) while the caller's dispatcher waits. Either way the
 * service's own function does the work and `done` makes the caller's
 * result on the caller's core, which keeps its capabilities.
 *
 * The generic half of what drivers/net/nic/forward.c does for the NICs;
 * drivers/storage/nvme/kernel uses it.
 */
#ifndef PCI_DEVCALL_H
#define PCI_DEVCALL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xcall.h>
#include <kpi/syscall.h>
struct invocation;

/** A call in flight: the caller, the decoder's context, the request. */
struct devcall {
    uint32_t caller;                /* the invoking domain */
    uint16_t op;
    uint64_t ctx[2];
    uint8_t body[XCALL_BODY_BYTES];
};

/** Makes the caller's result from the owner's answer, on the caller's
 *  core. NULL: the answer as it is (err, value[0]). */
typedef struct sysret (*devcall_done_fn)(const struct devcall *c, const struct xcall_answer *a);

/** Serve request `op` with `body` (len bytes) of service `svc` on `owner`
 *  (here or there); `done` finishes it here with ctx0, ctx1. Returns the
 *  caller's result, unless forwarded: then it does not return. */
struct sysret devcall(struct invocation *inv, const struct xcall_service *svc, uint32_t owner,
                      uint16_t op, const void *body, size_t len, devcall_done_fn done,
                      uint64_t ctx0, uint64_t ctx1);
/** On the caller's core, once the owner made a device object for domain
 *  `holder`: put `cap` into the holder's (empty) receive slot and announce
 *  it with MONITOR_MSG_CAP (tag, value) from `sender`. *given says
 *  whether the capability is there (then the device is the holder's,
 *  even if the announcement failed); if not, the caller undoes the
 *  owner's part. */
struct capability;
errval_t devcall_give_cap(uint32_t holder, const struct capability *cap, uint64_t tag,
                          uint64_t value, uint32_t sender, bool *given);
/** The domain in arg[0] a new device capability (a VNIC, the NVMe
 *  controller, a VSIC) is made for: runnable, its first dispatcher (a
 *  secondary one has no cspace), its receive slot empty. A domain that is
 *  not there is refused naming the argument. */
struct dcb;
errval_t devcall_recipient(struct invocation *inv, struct dcb **out);
/** The Frame in arg[0] that a device is to reach by DMA: one of the
 *  caller's Frames, never one lent by another core (its owner's revoke
 *  there could overtake a forwarded unregister: CAP_ERR_IMPORTED); with
 *  `rw`, readable and writable (a device given memory both reads and
 *  writes it, so a read-only mint must not become a DMA target:
 *  CAP_ERR_RIGHTS). */
struct cte;
errval_t devcall_dma_frame(struct invocation *inv, bool rw, struct cte **f);
/** Tell `owner` something nobody waits for (a capability went); logs a
 *  line if it cannot be sent. */
void devcall_tell(const struct xcall_service *svc, uint32_t owner, uint16_t op,
                  const void *body, size_t len);
#endif
