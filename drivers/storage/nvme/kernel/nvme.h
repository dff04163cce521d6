/**
 * \file nvme.h
 * \brief drivers/storage/nvme/kernel/: the kernel half of the NVMe driver
 * (kernel module nvmectl): the controller as a capability.
 *
 * The controller's state lives on the core that owns PCI (the one that ran
 * the driver's boot); other cores reach it through devcall (drivers/pci).
 * ctl.c: finding it, stopping what the firmware left running, giving it to
 * one domain in an IOMMU domain of its own and taking it back; invoke.c:
 * Kernel.nvme_create and the NVMe capability's commands, and the hooks
 * that undo them when capabilities go. The queues, commands and PRPs are
 * the user half's (drivers/storage/nvme/user, linked into usr/vsicd).
 */
#ifndef STORAGE_NVME_KERNEL_NVME_H
#define STORAGE_NVME_KERNEL_NVME_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <kpi/errors.h>
#include <xcall.h>
#include <iommu/vtd/dmaset.h>
#include <pci/pci.h>

/** The one controller (owned by ctl.owner_core). */
struct nvme_ctl {
    volatile bool up;               /* found and stopped; written last at boot */
    uint32_t owner_core;
    pci_rid_t rid;
    uint16_t vendor, device;
    uint64_t bar;                   /* BAR0's physical address */
    volatile uint8_t *regs;         /* BAR0, kernel-mapped (NVME_REGS_BYTES) */
    const struct pci_ops *ops;
    const struct pci_dev *dev;      /* in the boot's PCI table (MSI-X) */
    uint32_t holder;                /* domain holding it, 0: nobody */
    struct vtd_dmaset dma;          /* dma.dom: its IOMMU domain while held */
};
extern struct nvme_ctl nvme_ctl;

/* Requests to the owner core (the service "nvme", invoke.c). */
enum nvme_op {
    NVME_OP_TAKE = 1,               /* holder -> value: identity, BAR */
    NVME_OP_RELEASE,                /* holder */
    NVME_OP_DMA_REGISTER,           /* holder, base, bytes */
    NVME_OP_DMA_UNREGISTER,         /* holder, base */
    NVME_OP_VSIC_CREATE,            /* holder -> value: VSIC id */
    NVME_OP_VSIC_RELEASE,           /* vsic, holder */
    NVME_OP_VSIC_REGISTER,          /* vsic, holder, base, bytes */
    NVME_OP_VSIC_UNREGISTER,        /* vsic, holder, base */
    NVME_OP_VSIC_INFO,              /* holder (of the controller), vsic ->
                                       value: VSIC holder, base | log2(bytes) */
    NVME_OP_DOORBELL_CREATE,        /* holder, base: MSI-X entry, bytes: APIC
                                       id -> value: vector */
    NVME_OP_DOORBELL_DELETE,        /* holder */
    NVME_OP_VSA_HINT,               /* struct nvme_vsa_req: holder (the
                                       service), vsic: on the service's core,
                                       tell it a record died (vsa.c) */
};
struct nvme_req {
    uint32_t holder, vsic;
    uint64_t base, bytes;
};

/** The hint to the service (vsa.c). */
struct nvme_vsa_req {
    uint32_t holder, vsic;          /* the service, the VSIC whose record died */
};
_Static_assert(sizeof(struct nvme_vsa_req) <= XCALL_BODY_BYTES, "a VSA request is one xcall");

/** A VSIC (owned by ctl.owner_core): a domain's virtual storage
 *  controller, with the one Frame it registered for DMA. The VSA
 *  capabilities shown to it are in vsa.c's table. */
#define NVME_VSICS 16
struct nvme_vsic {
    uint32_t holder;                /* 0: free */
    uint64_t base, bytes;           /* bytes 0: nothing registered */
    struct cte *frame;              /* the capability that registered it, if on this core */
};
extern struct nvme_vsic nvme_vsics[NVME_VSICS];     /* VSIC id n is nvme_vsics[n - 1] */

/** Doorbells (drivers/pci/doorbell.c): the controller's (its MSI-X entry,
 *  kicked by VSIC_CMD_KICK too), and VSIC n's: nvme_vsic_bell0 + n - 1,
 *  rung by the service (NVME_CMD_VSIC_RING), listened to on the holder's
 *  core while it holds the VSIC. NVME_NO_BELL: none could be had. */
#define NVME_NO_BELL (~0u)
extern unsigned nvme_bell, nvme_vsic_bell0;

/** Find the first NVMe function in `t`, stop it (CC.EN = 0, bus
 *  mastering off); logs what it found or why not. */
void nvme_ctl_init(struct pci_table *t);
/* On the owner core. */
errval_t nvme_ctl_take(uint32_t holder, uint64_t *ident, uint64_t *bar);
void nvme_ctl_release(uint32_t holder);
errval_t nvme_ctl_dma_register(uint32_t holder, uint64_t base, uint64_t bytes);
errval_t nvme_ctl_dma_unregister(uint32_t holder, uint64_t base);
/* VSICs (vsic.c), on the owner core. */
errval_t nvme_vsic_create(uint32_t holder, uint64_t *id, uint64_t *service);
void nvme_vsic_release(uint32_t vsic, uint32_t holder);
errval_t nvme_vsic_register(uint32_t vsic, uint32_t holder, uint64_t base, uint64_t bytes);
errval_t nvme_vsic_unregister(uint32_t vsic, uint32_t holder, uint64_t base);
errval_t nvme_vsic_info(uint32_t ctl_holder, uint32_t vsic, uint64_t *holder, uint64_t *region);
/** The controller was released: every VSIC's memory is unmapped. */
void nvme_vsic_ctl_released(void);
/** On the owner core: `frame` went; forget the VSIC memory it registered. */
void nvme_vsic_frame_removed(struct cte *frame);
/** Bind the registration at `base` of `vsic` to `frame` (owner core). */
bool nvme_vsic_name(uint32_t vsic, struct cte *frame, uint64_t base);
/* The serving and following of requests (invoke.c), for vsic.c's decoders. */
struct invocation;
struct devcall;
struct sysret nvme_call(struct invocation *inv, enum nvme_op op, const struct nvme_req *r,
                        struct sysret (*done)(const struct devcall *, const struct xcall_answer *),
                        uint64_t ctx0, uint64_t ctx1);
void nvme_tell(enum nvme_op op, const struct nvme_req *r);
/** The same with a body of another layout (len <= XCALL_BODY_BYTES). */
struct sysret nvme_call_body(struct invocation *inv, enum nvme_op op, const void *body, size_t len,
                             struct sysret (*done)(const struct devcall *, const struct xcall_answer *),
                             uint64_t ctx0, uint64_t ctx1);
void nvme_tell_body(enum nvme_op op, const void *body, size_t len);
/** The same to the nvme service of another core than the controller's. */
void nvme_tell_to(uint32_t core, enum nvme_op op, const void *body, size_t len);
/* VSA capabilities shown to VSICs (vsa.c): a table in shared memory,
 * written on whichever core holds the slot (vsa.c says why). */
/** On the controller's core: VSIC `vsic` is `holder`'s now (no record). */
void nvme_vsa_vsic_held(uint32_t vsic, uint32_t holder);
/** On any core: `holder` let go of VSIC `vsic`; its records die now. */
void nvme_vsa_vsic_gone(uint32_t vsic, uint32_t holder);
/** On the service's core: MONITOR_MSG_VSA_GONE (vsic) to it. */
void nvme_vsa_hint(const struct nvme_vsa_req *r);
/* On the caller's core: */
struct sysret nvme_invoke_vsa_present(struct invocation *inv);
struct sysret nvme_invoke_vsa_rights(struct invocation *inv);
struct sysret nvme_invoke_map_vsas(struct invocation *inv);
void nvme_vsa_removed(struct cte *slot);
/** Follow `frame`, registered as `base` for (holder, vsic), on this core. */
bool nvme_follow(struct cte *frame, uint32_t holder, uint32_t vsic, uint64_t base);
void nvme_unfollow(uint32_t holder, uint32_t vsic, uint64_t base);
struct sysret nvme_invoke_vsic_create(struct invocation *inv);
struct sysret nvme_invoke_vsic_register(struct invocation *inv);
struct sysret nvme_invoke_vsic_unregister(struct invocation *inv);
struct sysret nvme_invoke_vsic_info(struct invocation *inv);
struct sysret nvme_invoke_vsic_ring(struct invocation *inv);
struct sysret nvme_invoke_vsic_kick(struct invocation *inv);
/** The controller's Doorbell (invoke.c), on the owner core. */
errval_t nvme_doorbell_create(uint32_t holder, unsigned entry, uint32_t apic, uint64_t *vector);
void nvme_vsic_removed(struct cte *slot);
#endif
