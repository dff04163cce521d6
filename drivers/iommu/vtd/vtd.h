/**
 * \file vtd.h
 * \brief Intel VT-d DMA remapping (legacy mode) for the CPU driver of the
 * core that owns the devices (core 0): the remapping units from the ACPI
 * DMAR, protection domains (one second-level page table each), device
 * attachment through root and context tables, invalidation and DMA fault
 * reporting. See drivers/iommu/vtd/README.md.
 *
 * Every function here runs on core 0 only (device control lives on one
 * core; a request from another core is forwarded to it as a message).
 */
#ifndef IOMMU_VTD_VTD_H
#define IOMMU_VTD_VTD_H
#include <stdbool.h>
#include <stdint.h>
#include <kpi/errors.h>
#include <acpi/acpi.h>
#include <iommu/vtd/pagetable.h>

/* The interrupt vector of the fault event MSI (boot core's local APIC). */
#include <arch/trap.h>
#define VTD_FAULT_VECTOR VEC_IOMMU_FAULT   /* one table of vectors: arch/trap.h */
#define VTD_MAX_DOMAINS  64

struct vtd_domain {
    uint16_t id;                    /* domain id in context entries; 0: free slot */
    unsigned devices;               /* attached devices */
    struct vtd_pt pt;
};

/** Find the remapping units in the DMAR, log them, build empty root
 *  tables and enable translation on every unit (so every device is
 *  blocked until attached). Honours `iommu=off` and `iommu.selftest`.
 *  Failure leaves translation off and is logged; the boot goes on. */
void vtd_init(const struct acpi_tables *acpi);
/** Translation is on (vtd_init succeeded on every unit). */
bool vtd_enabled(void);

/** A new domain with an empty page table and a fresh domain id. */
errval_t vtd_domain_create(struct vtd_domain **out);
/** Refused while devices are attached; frees the page tables. */
errval_t vtd_domain_destroy(struct vtd_domain *dom);
/** Let the domain's devices reach [pa, pa + bytes) at [iova, iova + bytes);
 *  `perm` is VTD_PERM_READ | VTD_PERM_WRITE (direction of the DMA). */
errval_t vtd_domain_map(struct vtd_domain *dom, uint64_t iova, uint64_t pa, uint64_t bytes,
                        unsigned perm);
/** Remove the mappings and invalidate the IOTLB before returning. */
errval_t vtd_domain_unmap(struct vtd_domain *dom, uint64_t iova, uint64_t bytes);
/** Put requester bus:devfn (segment 0) into the domain: context entry
 *  present, translation type second-level only. */
errval_t vtd_attach(struct vtd_domain *dom, uint8_t bus, uint8_t devfn);
/** Take the device out of its domain: its DMA is blocked again. */
errval_t vtd_detach(struct vtd_domain *dom, uint8_t bus, uint8_t devfn);

/** Read, log, count and clear the fault records of every unit; returns
 *  how many faults were read. Called by the fault interrupt. */
unsigned vtd_fault_poll(void);
/** Faults recorded so far for requester bus:devfn. */
uint64_t vtd_fault_count(uint8_t bus, uint8_t devfn);
/** Who else wants to hear of a DMA fault (the owner of the device). */
typedef void (*vtd_fault_fn)(uint16_t sid, uint64_t addr, bool write);
void vtd_set_fault_hook(vtd_fault_fn fn);
#endif
