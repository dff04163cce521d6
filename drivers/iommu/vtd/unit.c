/*
 * unit.c: one VT-d remapping unit at the register level (spec rev. 3.3,
 * chapter 10): probe, root and context tables (9.1, 9.3), the global
 * command handshake, register-based invalidation (6.5.1) and enabling
 * translation.
 *
 * Every wait on the hardware is bounded (VTD_WAIT_MS) and a timeout is
 * the error VTD_ERR_TIMEOUT naming the register, never a hang. The
 * register-based invalidation interface is used, not the queue: QEMU's
 * model (hw/i386/intel_iommu.c, vtd_handle_ccmd_write and
 * vtd_handle_iotlb_write) implements it whenever queued invalidation is
 * off, and DMA remapping in legacy mode needs nothing only the queue has.
 * Tables come from core 0's page allocator and are never freed while
 * translation is on.
 */
#include <iommu/vtd/unit.h>
#include <arch/apic.h>
#include <arch/cpu.h>
#include <arch/paging.h>
#include <console.h>
#include <core.h>
#include <memlayout.h>
#include <string.h>

#define VTD_WAIT_MS 100

struct vtd_unit vtd_units[DMAR_MAX_UNITS];
unsigned vtd_nunits;
struct dmar_info vtd_dmar;

/* --- table memory ---------------------------------------------------- */

static errval_t table_alloc(void *ctx, uint64_t *pa)
{
    errval_t err = pmm_alloc(&this_core()->pmm, 1, 1, pa);
    if (err_is_fail(err))
        return err;
    memset(phys_to_virt(*pa), 0, PAGE_SIZE);
    vtd_sync(phys_to_virt(*pa), PAGE_SIZE);
    return ERR_OK;
}

static void table_free(void *ctx, uint64_t pa)
{
    pmm_free(&this_core()->pmm, pa, 1);
}

static uint64_t *table_va(void *ctx, uint64_t pa)
{
    return phys_to_virt(pa);
}

static void table_flush(void *ctx, const void *p, size_t n)
{
    vtd_sync(p, n);
}

const struct vtd_pt_ops vtd_table_ops = {
    .alloc = table_alloc, .free = table_free, .table = table_va, .flush = table_flush,
};

void vtd_sync(const void *p, size_t n)
{
    bool snooped = true, rwbf = false;
    for (unsigned i = 0; i < vtd_nunits; i++) {
        snooped &= (vtd_units[i].ecap & VTD_ECAP_C) != 0;
        rwbf |= (vtd_units[i].cap & VTD_CAP_RWBF) != 0;
    }
    if (!snooped) {
        for (uintptr_t a = (uintptr_t)p & ~63ul; a < (uintptr_t)p + n; a += 64)
            __asm__ volatile("clflush (%0)" : : "r"(a) : "memory");
    }
    __asm__ volatile("mfence" ::: "memory");
    if (!rwbf)
        return;
    for (unsigned i = 0; i < vtd_nunits; i++) {
        struct vtd_unit *u = &vtd_units[i];
        if (!(u->cap & VTD_CAP_RWBF) || !u->regs)
            continue;
        uint32_t keep = vtd_rd32(u, VTD_GSTS) & VTD_GSTS_PERSISTENT;
        vtd_wr32(u, VTD_GCMD, keep | VTD_GCMD_WBF);
        for (unsigned k = 0; k < 1000000 && (vtd_rd32(u, VTD_GSTS) & VTD_GCMD_WBF); k++)
            cpu_relax();
    }
}

/* --- bounded waits ----------------------------------------------------- */

static uint64_t deadline(void)
{
    uint64_t hz = tsc_hz() ? tsc_hz() : 1000000000ull;
    return rdtsc() + hz / 1000 * VTD_WAIT_MS;
}

static errval_t wait32(struct vtd_unit *u, unsigned reg, uint32_t mask, uint32_t want,
                       const char *what)
{
    uint64_t end = deadline();
    while ((vtd_rd32(u, reg) & mask) != want) {
        if (rdtsc() > end) {
            kprintf("vtd: unit at %#lx: %s did not complete in %u ms (register %#x = %#x)\n",
                    u->drhd->base, what, VTD_WAIT_MS, reg, vtd_rd32(u, reg));
            return VTD_ERR_TIMEOUT;
        }
        cpu_relax();
    }
    return ERR_OK;
}

static errval_t wait64_clear(struct vtd_unit *u, unsigned reg, uint64_t bit, uint64_t *val,
                             const char *what)
{
    uint64_t end = deadline();
    while ((*val = vtd_rd64(u, reg)) & bit) {
        if (rdtsc() > end) {
            kprintf("vtd: unit at %#lx: %s did not complete in %u ms (register %#x = %#lx)\n",
                    u->drhd->base, what, VTD_WAIT_MS, reg, *val);
            return VTD_ERR_TIMEOUT;
        }
        cpu_relax();
    }
    return ERR_OK;
}

/* 10.4.4: set one command bit, keeping the persistent state. */
static errval_t gcmd(struct vtd_unit *u, uint32_t bit, bool on, uint32_t status, bool want,
                     const char *what)
{
    uint32_t keep = vtd_rd32(u, VTD_GSTS) & VTD_GSTS_PERSISTENT;
    vtd_wr32(u, VTD_GCMD, on ? keep | bit : keep & ~bit);
    return wait32(u, VTD_GSTS, status, want ? status : 0, what);
}

/* --- probe and enable -------------------------------------------------- */

errval_t vtd_unit_probe(struct vtd_unit *u, const struct dmar_drhd *d)
{
    memset(u, 0, sizeof(*u));
    u->drhd = d;
    size_t bytes = PAGE_SIZE << (d->size_log2 < 4 ? d->size_log2 : 4);
    volatile void *regs;
    errval_t err = paging_map_device(d->base, bytes, &regs);
    if (err_is_fail(err))
        return err;
    u->regs = regs;
    u->ver = vtd_rd32(u, VTD_VER);
    u->cap = vtd_rd64(u, VTD_CAP);
    u->ecap = vtd_rd64(u, VTD_ECAP);
    u->iro = ((u->ecap & VTD_ECAP_IRO_MASK) >> VTD_ECAP_IRO_SHIFT) * 16;
    u->fro = ((u->cap & VTD_CAP_FRO_MASK) >> VTD_CAP_FRO_SHIFT) * 16;
    u->nfr = ((u->cap & VTD_CAP_NFR_MASK) >> VTD_CAP_NFR_SHIFT) + 1;
    u->sagaw = (u->cap & VTD_CAP_SAGAW_MASK) >> VTD_CAP_SAGAW_SHIFT;
    u->mgaw = ((u->cap & VTD_CAP_MGAW_MASK) >> VTD_CAP_MGAW_SHIFT) + 1;
    if (u->iro + 16 > bytes || u->fro + 16 * u->nfr > bytes)
        return VTD_ERR_UNSUPPORTED;     /* registers outside the DRHD's pages */
    if (!(u->sagaw & (VTD_SAGAW_39 | VTD_SAGAW_48)))
        return VTD_ERR_UNSUPPORTED;
    return ERR_OK;
}

errval_t vtd_unit_enable(struct vtd_unit *u)
{
    errval_t err;
    if (!u->root) {
        err = table_alloc(NULL, &u->root_pa);
        if (err_is_fail(err))
            return err;
        u->root = phys_to_virt(u->root_pa);
    }
    if (vtd_rd32(u, VTD_GSTS) & VTD_GCMD_QIE)
        return VTD_ERR_UNSUPPORTED;     /* left on by firmware: registers ignored */
    vtd_wr64(u, VTD_RTADDR, u->root_pa & VTD_RTADDR_ADDR_MASK);   /* TTM 00: legacy */
    err = gcmd(u, VTD_GCMD_SRTP, true, VTD_GCMD_SRTP, true, "set root table pointer (GSTS.RTPS)");
    if (err_is_ok(err))
        err = vtd_inval_context_global(u);
    if (err_is_ok(err))
        err = vtd_inval_iotlb_global(u);
    if (err_is_fail(err))
        return err;
    vtd_fault_setup(u);
    err = gcmd(u, VTD_GCMD_TE, true, VTD_GCMD_TE, true, "translation enable (GSTS.TES)");
    u->translating = err_is_ok(err);
    return err;
}

errval_t vtd_unit_disable(struct vtd_unit *u)
{
    u->translating = false;
    return gcmd(u, VTD_GCMD_TE, false, VTD_GCMD_TE, false, "translation disable (GSTS.TES)");
}

/* --- scopes and tables ------------------------------------------------- */

/* 8.3: an exact endpoint or bridge scope first, then the segment's
 * INCLUDE_PCI_ALL unit. Devices below a bridge scope (QEMU's root ports)
 * would need the bridge's bus range from config space; with a single
 * unit, as QEMU has, that unit covers them. */
struct vtd_unit *vtd_unit_for(uint8_t bus, uint8_t devfn)
{
    for (unsigned i = 0; i < vtd_nunits; i++)
        if (vtd_units[i].drhd->segment == 0 &&
            dmar_scope_lists(vtd_units[i].drhd, bus, devfn >> 3, devfn & 7))
            return &vtd_units[i];
    for (unsigned i = 0; i < vtd_nunits; i++)
        if (vtd_units[i].drhd->segment == 0 && vtd_units[i].drhd->include_pci_all)
            return &vtd_units[i];
    return vtd_nunits == 1 && vtd_units[0].drhd->segment == 0 ? &vtd_units[0] : NULL;
}

errval_t vtd_context_entry(struct vtd_unit *u, uint8_t bus, uint8_t devfn, bool create,
                           struct vtd_context_entry **out)
{
    struct vtd_root_entry *re = &u->root[bus];
    if (!(re->lo & VTD_ROOT_P)) {
        if (!create) {
            *out = NULL;
            return ERR_OK;
        }
        uint64_t pa;
        errval_t err = table_alloc(NULL, &pa);
        if (err_is_fail(err))
            return err;
        re->hi = 0;
        re->lo = (pa & VTD_ROOT_CTP_MASK) | VTD_ROOT_P;
        vtd_sync(re, sizeof(*re));
    }
    struct vtd_context_entry *table = phys_to_virt(re->lo & VTD_ROOT_CTP_MASK);
    *out = &table[devfn];
    return ERR_OK;
}

/* --- invalidation (6.5.1, 10.4.7, 10.4.8) ------------------------------ */

static errval_t ccmd(struct vtd_unit *u, uint64_t gran, uint64_t fields)
{
    uint64_t v;
    vtd_wr64(u, VTD_CCMD, VTD_CCMD_ICC | gran << VTD_CCMD_CIRG_SHIFT | fields);
    errval_t err = wait64_clear(u, VTD_CCMD, VTD_CCMD_ICC, &v, "context-cache invalidation (CCMD.ICC)");
    if (err_is_ok(err) && !(v & VTD_CCMD_CAIG_MASK))
        err = VTD_ERR_INVALIDATION;
    return err;
}

errval_t vtd_inval_context_global(struct vtd_unit *u)
{
    return ccmd(u, VTD_CCMD_GLOBAL, 0);
}

errval_t vtd_inval_context_device(struct vtd_unit *u, uint16_t did, uint16_t sid)
{
    return ccmd(u, VTD_CCMD_DEVICE, (uint64_t)sid << VTD_CCMD_SID_SHIFT | did);
}

static errval_t iotlb(struct vtd_unit *u, uint64_t gran, uint16_t did)
{
    uint64_t v, drain = 0;
    if (u->cap & VTD_CAP_DRD)
        drain |= VTD_IOTLB_DR;
    if (u->cap & VTD_CAP_DWD)
        drain |= VTD_IOTLB_DW;
    vtd_wr64(u, VTD_IOTLB(u->iro), VTD_IOTLB_IVT | gran << VTD_IOTLB_IIRG_SHIFT | drain |
                                   (uint64_t)did << VTD_IOTLB_DID_SHIFT);
    errval_t err = wait64_clear(u, VTD_IOTLB(u->iro), VTD_IOTLB_IVT, &v, "IOTLB invalidation (IOTLB_REG.IVT)");
    if (err_is_ok(err) && !(v & VTD_IOTLB_IAIG_MASK))
        err = VTD_ERR_INVALIDATION;
    return err;
}

errval_t vtd_inval_iotlb_global(struct vtd_unit *u)
{
    return iotlb(u, VTD_IOTLB_GLOBAL, 0);
}

errval_t vtd_inval_iotlb_domain(struct vtd_unit *u, uint16_t did)
{
    return iotlb(u, VTD_IOTLB_DOMAIN, did);
}
