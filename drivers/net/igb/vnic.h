/**
 * \file vnic.h
 * \brief VNICs: an SR-IOV VF given to one domain (drivers/net/igb/vnic.c).
 * Control plane, on the core that owns the NIC.
 */
#ifndef NET_IGB_VNIC_H
#define NET_IGB_VNIC_H
#include <stdint.h>
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
