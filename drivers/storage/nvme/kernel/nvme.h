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
};
struct nvme_req {
    uint32_t holder, reserved;
    uint64_t base, bytes;
};

/** Find the first NVMe function in `t`, stop it (CC.EN = 0, bus
 *  mastering off); logs what it found or why not. */
void nvme_ctl_init(struct pci_table *t);
/* On the owner core. */
errval_t nvme_ctl_take(uint32_t holder, uint64_t *ident, uint64_t *bar);
void nvme_ctl_release(uint32_t holder);
errval_t nvme_ctl_dma_register(uint32_t holder, uint64_t base, uint64_t bytes);
errval_t nvme_ctl_dma_unregister(uint32_t holder, uint64_t base);
#endif
