/**
 * \file vnic.h
 * \brief VNICs: an SR-IOV VF given to one domain (drivers/net/igb/vnic.c).
 * Control plane, on the core that owns the NIC.
 */
#ifndef NET_IGB_VNIC_H
#define NET_IGB_VNIC_H
#include <stdint.h>
#include <kpi/errors.h>
struct pci_table;
struct cte;
struct invocation;

/** Remember the PCI table (igb_pf_init, once the VFs are set up). */
void vnic_init(struct pci_table *t);
/** The domain holding VF `vf` as a VNIC, or 0. */
uint32_t vnic_holder(unsigned vf);
/** Hooks from the capability database (kernel/mapping.c). */
void vnic_removed(struct cte *slot);
void vnic_frame_removed(struct cte *frame);
/* The services behind the VNIC, Filter and Doorbell invocations, on the
 * NIC's core, for local callers and forwarded ones (forward.c). `holder`
 * is the domain holding the VF; a call naming another is refused. */
errval_t vnic_svc_create(uint32_t holder, uint64_t *vf, uint64_t *bar);
void vnic_svc_release(unsigned vf, uint32_t holder);
errval_t vnic_svc_register(unsigned vf, uint32_t holder, uint64_t base, uint64_t bytes,
                           struct cte *frame);
errval_t vnic_svc_unregister(unsigned vf, uint32_t holder, uint64_t base);
errval_t vnic_svc_rate(unsigned vf, uint32_t holder, uint64_t bytes_per_s, uint64_t *mbps);
struct filter_spec;
errval_t filter_svc_create(unsigned vf, uint32_t holder, const struct filter_spec *s,
                           uint64_t *key, uint64_t *id);
void filter_svc_delete(uint64_t key);
errval_t doorbell_svc_create(unsigned vf, uint32_t holder, unsigned entry, uint32_t apic,
                             uint64_t *vector);
void doorbell_svc_delete(unsigned vf, uint32_t holder);
/** What a VNIC capability names. */
unsigned vnic_cap_vf(const struct cte *slot);
uint32_t vnic_cap_holder(const struct cte *slot);
/** On the holder's core: tell it of a DMA fault (an LMP message). */
struct rpc_msg;
void vnic_tell_fault(const struct rpc_msg *m);
/** The IOMMU's fault hook: report a VF's DMA fault to its holder. */
#include <stdbool.h>
void vnic_dma_fault(uint16_t sid, uint64_t addr, bool write);
/** Filters (drivers/net/igb/filter.c): a Filter capability went; a VF
 *  was released (its filters go); (re)write the receive filters. */
void igb_filter_removed(struct cte *slot);
void igb_filter_vnic_released(unsigned vf);
void igb_filter_pool_setup(void);
/** Doorbells (drivers/net/igb/doorbell.c). */
void doorbell_init(void);
void doorbell_removed(struct cte *slot);
void doorbell_vnic_released(unsigned vf);
/** VF `vf`'s PCI function (NULL if absent) and the config space access. */
struct pci_dev;
struct pci_ops;
const struct pci_dev *vnic_vf_dev(unsigned vf);
const struct pci_ops *vnic_pci_ops(void);
#endif
