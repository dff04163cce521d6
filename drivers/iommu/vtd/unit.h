/**
 * \file unit.h
 * \brief Private to drivers/iommu/vtd: one remapping unit (a DRHD) and
 * the register-level operations the other files share.
 */
#ifndef IOMMU_VTD_UNIT_H
#define IOMMU_VTD_UNIT_H
#include <stdbool.h>
#include <stdint.h>
#include <kpi/errors.h>
#include <mmio.h>
#include <iommu/vtd/dmar.h>
#include <iommu/vtd/regs.h>
#include <iommu/vtd/pagetable.h>

struct vtd_unit {
    const struct dmar_drhd *drhd;
    volatile uint8_t *regs;
    uint32_t ver;
    uint64_t cap, ecap;
    unsigned iro, fro, nfr;         /* register offsets, fault records */
    unsigned sagaw, mgaw;           /* CAP fields: level bitmap, bits */
    uint64_t root_pa;               /* root table: 256 entries, one per bus */
    struct vtd_root_entry *root;
    bool translating;               /* GSTS.TES seen set */
};

extern struct vtd_unit vtd_units[DMAR_MAX_UNITS];
extern unsigned vtd_nunits;
extern struct dmar_info vtd_dmar;
extern const struct vtd_pt_ops vtd_table_ops;   /* from core 0's allocator */

static inline uint32_t vtd_rd32(const struct vtd_unit *u, unsigned off) { return mmio_read32(u->regs + off); }
static inline uint64_t vtd_rd64(const struct vtd_unit *u, unsigned off) { return mmio_read64(u->regs + off); }
static inline void vtd_wr32(const struct vtd_unit *u, unsigned off, uint32_t v) { mmio_write32(u->regs + off, v); }
static inline void vtd_wr64(const struct vtd_unit *u, unsigned off, uint64_t v) { mmio_write64(u->regs + off, v); }

/** Map the unit's registers, read VER/CAP/ECAP, check what we need. */
errval_t vtd_unit_probe(struct vtd_unit *u, const struct dmar_drhd *d);
/** Root table, SRTP, invalidate, fault event setup, then GCMD.TE. */
errval_t vtd_unit_enable(struct vtd_unit *u);
/** Clear GCMD.TE: the unit's devices DMA untranslated again. */
errval_t vtd_unit_disable(struct vtd_unit *u);
/** The unit whose scope covers bus:devfn (segment 0), or NULL. */
struct vtd_unit *vtd_unit_for(uint8_t bus, uint8_t devfn);
/** The context entry of bus:devfn; its table is made if `create`. */
errval_t vtd_context_entry(struct vtd_unit *u, uint8_t bus, uint8_t devfn, bool create,
                           struct vtd_context_entry **out);
/** Register-based invalidation (6.5.1): context cache, global or one
 *  device (sid = bus << 8 | devfn) of a domain; IOTLB, global or one domain. */
errval_t vtd_inval_context_global(struct vtd_unit *u);
errval_t vtd_inval_context_device(struct vtd_unit *u, uint16_t did, uint16_t sid);
errval_t vtd_inval_iotlb_global(struct vtd_unit *u);
errval_t vtd_inval_iotlb_domain(struct vtd_unit *u, uint16_t did);
/** Write back CPU caches over a remapping structure the unit reads
 *  (when ECAP.C says its walks do not snoop), then the write buffer
 *  (CAP.RWBF). */
void vtd_sync(const void *p, size_t n);
/** Program the fault event MSI and unmask it (fault.c). */
void vtd_fault_setup(struct vtd_unit *u);
#endif
