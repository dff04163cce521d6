/**
 * \file vnic.h
 * \brief VNICs: an SR-IOV VF given to one domain, in the kernel half of
 * the igb driver (drivers/net/igb/pf/). Control plane, on the core that
 * owns the NIC unless said otherwise. One topic per file:
 *   vnic.c          which VF belongs to which domain (take, release)
 *   dma.c           the Frames each VF may reach through the IOMMU
 *   fault.c         a VF's DMA fault, told to its holder
 *   rate.c          the transmit rate limiter
 *   vnic_invoke.c   the VNIC invocations and Kernel.vnic_create
 *   forward.c       every control call's one path: here or the NIC's core
 */
#ifndef NET_IGB_PF_VNIC_H
#define NET_IGB_PF_VNIC_H
#include <stdbool.h>
#include <stdint.h>
#include <kpi/errors.h>
#include <cap/cap.h>
#include <kpi/syscall.h>
#include <net/igb/pf/igb.h>
#include <iommu/vtd/dmaset.h>
struct pci_table;
struct invocation;
struct vtd_domain;

#define IGB_VNIC_REGS_BYTES (16 * 1024)     /* a VNIC maps the VF's register BAR */
#define IGB_VNIC_DMA_MAX    16              /* Frames registered per VF */

/** One VF as a VNIC (owned by the NIC's core). */
struct igb_vnic {
    uint32_t holder;                /* domain id, 0: free */
    struct vtd_dmaset dma;          /* its IOMMU domain and the Frames in it */
};
extern struct igb_vnic igb_vnics[IGB_MAX_VFS];

/** Remember the PCI table (igb_pf_init, once the VFs are set up). */
void igb_vnic_init(struct pci_table *t);
/** The domain holding VF `vf` as a VNIC, or 0. */
uint32_t igb_vnic_holder(unsigned vf);
/** VF `vf`'s state if `holder` holds it, else NULL. */
struct igb_vnic *igb_vnic_held(unsigned vf, uint32_t holder);
/** Capability database hooks: a VNIC capability or a Frame went. */
void igb_vnic_removed(struct cte *slot);
void igb_dma_frame_removed(struct cte *frame);
/* The services behind the VNIC, Filter and Doorbell invocations, on the
 * NIC's core, for every caller (forward.c's serve_op). `holder`
 * is the domain holding the VF; a call naming another is refused. */
errval_t igb_vnic_take(uint32_t holder, uint64_t *vf, uint64_t *bar);
void igb_vnic_release(unsigned vf, uint32_t holder);
errval_t igb_dma_register(unsigned vf, uint32_t holder, uint64_t base, uint64_t bytes);
errval_t igb_dma_unregister(unsigned vf, uint32_t holder, uint64_t base);
/** On the caller's core, once `frame` is registered as VF `vf`'s `base`:
 *  remember it, so that its going unmaps it (false: no room); forget it
 *  (it is being unregistered). */
bool igb_dma_follow(struct cte *frame, unsigned vf, uint32_t holder, uint64_t base);
void igb_dma_unfollow(unsigned vf, uint32_t holder, uint64_t base);
errval_t igb_rate_set(unsigned vf, uint32_t holder, uint64_t bytes_per_s, uint64_t *mbps);
struct filter_spec;
errval_t igb_filter_create(unsigned vf, uint32_t holder, const struct filter_spec *s,
                           uint64_t *key, uint64_t *id);
void igb_filter_delete(uint64_t key);
errval_t igb_doorbell_create(unsigned vf, uint32_t holder, unsigned entry, uint32_t apic,
                             uint64_t *vector);
void igb_doorbell_delete(unsigned vf, uint32_t holder);
/** What a VNIC capability names, and a new one naming VF `vf` of `holder`
 *  with its register BAR at `bar`. */
unsigned igb_vnic_cap_vf(const struct cte *slot);
uint32_t igb_vnic_cap_holder(const struct cte *slot);
struct capability igb_vnic_cap(uint64_t vf, uint32_t holder, uint64_t bar);
/** On the holder's core: tell it of a DMA fault (an LMP message). */
void igb_dma_fault_tell(unsigned vf, uint32_t holder, uint64_t addr, bool write);
/** The IOMMU's fault hook: report a VF's DMA fault to its holder. */
void igb_dma_fault(uint16_t sid, uint64_t addr, bool write);
/** igb.dma_canary: a page of kernel memory the fault hook checks. */
void igb_dma_canary_init(void);
/** Filters (filter.c): a Filter capability went; a VF was released (its
 *  filters go); (re)write the receive filters. */
void igb_filter_removed(struct cte *slot);
void igb_filter_vnic_released(unsigned vf);
void igb_filter_pool_setup(void);
/** Doorbells (doorbell.c). */
void igb_doorbell_init(void);
void igb_doorbell_vnic_released(unsigned vf);
/** The decoders this driver registers (driver.c): Kernel.nics (nics.c),
 *  Kernel.vnic_create and the VNIC commands (vnic_invoke.c), Filter
 *  creation and Kernel.filters (filter.c), Doorbell creation (doorbell.c). */
struct sysret igb_invoke_nics(struct invocation *inv);
struct sysret igb_invoke_vnic_create(struct invocation *inv);
struct sysret igb_invoke_map_regs(struct invocation *inv);
struct sysret igb_invoke_register_dma(struct invocation *inv);
struct sysret igb_invoke_unregister_dma(struct invocation *inv);
struct sysret igb_invoke_rate_set(struct invocation *inv);
struct sysret igb_invoke_filter_create(struct invocation *inv);
struct sysret igb_invoke_filters(struct invocation *inv);
struct sysret igb_invoke_doorbell_create(struct invocation *inv);
/** VF `vf`'s PCI function (NULL if absent) and the config space access. */
struct pci_dev;
struct pci_ops;
const struct pci_dev *igb_vf_dev(unsigned vf);
const struct pci_ops *igb_pci_ops(void);
#endif
