/*
 * vtd.c: bringing up VT-d at boot (vtd_init) and the `iommu.selftest`
 * boot option.
 *
 * vtd_init reads the DMAR, probes and logs each remapping unit, gives
 * each an empty root table and turns translation on. From then on every
 * DMA request is checked: a device without a present context entry is
 * blocked (fault reason 1 or 2) until vtd_attach puts it in a domain.
 * Devices that must DMA (a VNIC's VF) are attached when they are handed
 * out (drivers/net/igb); `iommu=off` leaves translation off for firmware
 * or devices that need it, and then no VNIC is handed out. If any
 * unit fails, the ones already enabled are turned off again, so the
 * machine is never half protected.
 *
 * The self test proves what it can without a DMA-capable driver: the
 * page-table walk of a mapped page, refusals, and that the tables the
 * hardware was given (read back from RTADDR, not from the driver's own
 * pointers) lead to the same translation. It does not prove that a
 * device's DMA goes through them.
 */
#include <iommu/vtd/vtd.h>
#include <iommu/vtd/unit.h>
#include <boot/cmdline.h>
#include <driver.h>
#include <console.h>
#include <core.h>
#include <memlayout.h>
#include <string.h>

static bool translating;

bool vtd_enabled(void)
{
    return translating;
}

static void log_unit(const struct vtd_unit *u)
{
    const struct dmar_drhd *d = u->drhd;
    kprintf("vtd: unit at %#lx, version %u.%u, SAGAW%s%s, MGAW %u, %u fault record%s, QI %s, "
            "IR %s, %zu scope%s%s (cap %#lx ecap %#lx)\n",
            d->base, (u->ver & VTD_VER_MAJOR_MASK) >> VTD_VER_MAJOR_SHIFT,
            u->ver & VTD_VER_MINOR_MASK,
            (u->sagaw & VTD_SAGAW_39) ? " 39-bit/3-level" : "",
            (u->sagaw & VTD_SAGAW_48) ? " 48-bit/4-level" : "", u->mgaw, u->nfr,
            u->nfr == 1 ? "" : "s", (u->ecap & VTD_ECAP_QI) ? "yes" : "no",
            (u->ecap & VTD_ECAP_IR) ? "yes" : "no", d->nscopes, d->nscopes == 1 ? "" : "s",
            d->include_pci_all ? ", all other PCI devices" : "", u->cap, u->ecap);
}

static void selftest(void);

void vtd_init(const struct acpi_tables *acpi)
{
    const struct acpi_sdt_header *h;
    errval_t err = acpi_find(acpi, "DMAR", &h);
    if (err_is_fail(err)) {
        kprintf("vtd: no ACPI DMAR table: no DMA remapping; devices reach all memory\n");
        return;
    }
    err = dmar_parse(h, &vtd_dmar);
    if (err_is_fail(err)) {
        kprint_err("vtd: DMAR", err);
        kprintf("vtd: unusable DMAR table: DMA remapping stays off\n");
        return;
    }
    kprintf("vtd: DMAR: host address width %u, %zu remapping unit%s, %zu reserved region%s%s\n",
            vtd_dmar.haw, vtd_dmar.nunits, vtd_dmar.nunits == 1 ? "" : "s", vtd_dmar.nrmrr,
            vtd_dmar.nrmrr == 1 ? "" : "s",
            (vtd_dmar.flags & DMAR_FLAG_INTR_REMAP) ? ", interrupt remapping" : "");
    for (size_t i = 0; i < vtd_dmar.nrmrr; i++)
        kprintf("vtd: RMRR %#lx-%#lx (%zu devices) is not identity-mapped: those devices' "
                "DMA is blocked (boot with iommu=off if one is needed)\n", vtd_dmar.rmrr[i].base,
                vtd_dmar.rmrr[i].limit, vtd_dmar.rmrr[i].nscopes);
    char opt[8];
    bool off = cmdline_value("iommu", opt, sizeof(opt)) && strcmp(opt, "off") == 0;
    for (size_t i = 0; i < vtd_dmar.nunits; i++) {
        struct vtd_unit *u = &vtd_units[vtd_nunits];
        err = vtd_unit_probe(u, &vtd_dmar.units[i]);
        if (err_is_fail(err)) {
            kprint_err("vtd: unit", err);
            kprintf("vtd: cannot use the unit at %#lx: DMA remapping stays off\n",
                    vtd_dmar.units[i].base);
            return;
        }
        vtd_nunits++;
        log_unit(u);
    }
    if (off) {
        kprintf("vtd: iommu=off: translation left disabled; devices reach all memory\n");
        return;
    }
    for (unsigned i = 0; i < vtd_nunits; i++) {
        err = vtd_unit_enable(&vtd_units[i]);
        if (err_is_fail(err)) {
            kprint_err("vtd: enable", err);
            kprintf("vtd: translation not enabled on the unit at %#lx; turning it off on all\n",
                    vtd_units[i].drhd->base);
            for (unsigned k = 0; k < vtd_nunits; k++)
                if (vtd_units[k].translating)
                    vtd_unit_disable(&vtd_units[k]);
            return;
        }
    }
    translating = true;
    kprintf("vtd: translation enabled on %u unit%s; devices are blocked until attached to a domain\n",
            vtd_nunits, vtd_nunits == 1 ? "" : "s");
    if (cmdline_has("iommu.selftest"))
        selftest();
}

/* --- iommu.selftest ----------------------------------------------------- */

#define ST_BUS   0xfe           /* a requester id no device has on QEMU's q35 */
#define ST_DEVFN 0x00
#define ST_IOVA  0x100000ull

static uint64_t *ro_table(void *ctx, uint64_t pa) { return phys_to_virt(pa); }

/* Translate as the hardware would: from RTADDR through the root and
 * context entries in memory to the second-level tables. */
static errval_t hw_translate(struct vtd_unit *u, uint8_t bus, uint8_t devfn, uint64_t iova,
                             uint16_t *did, uint64_t *pa, unsigned *perm)
{
    uint64_t rt = vtd_rd64(u, VTD_RTADDR) & VTD_RTADDR_ADDR_MASK;
    if (!(vtd_rd32(u, VTD_GSTS) & VTD_GCMD_TE) || rt != u->root_pa)
        return VTD_ERR_OFF;
    const struct vtd_root_entry *re = (const struct vtd_root_entry *)phys_to_virt(rt) + bus;
    if (!(re->lo & VTD_ROOT_P))
        return VTD_ERR_NOT_ATTACHED;
    const struct vtd_context_entry *ce =
        (const struct vtd_context_entry *)phys_to_virt(re->lo & VTD_ROOT_CTP_MASK) + devfn;
    if (!(ce->lo & VTD_CTX_P))
        return VTD_ERR_NOT_ATTACHED;
    unsigned aw = (ce->hi & VTD_CTX_AW_MASK) >> VTD_CTX_AW_SHIFT;
    if ((ce->lo & VTD_CTX_TT_MASK) != VTD_CTX_TT_SLONLY << VTD_CTX_TT_SHIFT ||
        !(u->sagaw & (1u << aw)))
        return VTD_ERR_UNSUPPORTED;
    *did = (ce->hi & VTD_CTX_DID_MASK) >> VTD_CTX_DID_SHIFT;
    struct vtd_pt walk = {
        .ops = { .table = ro_table }, .root_pa = ce->lo & VTD_CTX_SLPTPTR_MASK,
        .levels = aw + 2, .iova_bits = u->mgaw, .pa_bits = vtd_dmar.haw,
    };
    return vtd_pt_translate(&walk, iova, pa, perm);
}

#define CHECK(cond, ...) do { if (!(cond)) { kprintf("vtd: selftest FAILED: " __VA_ARGS__); \
                                             kprintf("\n"); goto out; } } while (0)

static void selftest(void)
{
    struct vtd_domain *dom = NULL;
    uint64_t page = 0, pa;
    unsigned perm;
    uint16_t did;
    bool attached = false, passed = false;
    errval_t err = vtd_domain_create(&dom);
    CHECK(err_is_ok(err), "vtd_domain_create: %s", err_name(err_no(err)));
    err = pmm_alloc(&this_core()->pmm, 2, 1, &page);
    CHECK(err_is_ok(err), "no memory for the test pages");
    err = vtd_domain_map(dom, ST_IOVA, page, PAGE_SIZE, VTD_PERM_READ | VTD_PERM_WRITE);
    CHECK(err_is_ok(err), "map: %s", err_name(err_no(err)));
    err = vtd_domain_map(dom, ST_IOVA + PAGE_SIZE, page + PAGE_SIZE, PAGE_SIZE, VTD_PERM_READ);
    CHECK(err_is_ok(err), "read-only map: %s", err_name(err_no(err)));
    err = vtd_pt_translate(&dom->pt, ST_IOVA + 0x123, &pa, &perm);
    CHECK(err_is_ok(err) && pa == page + 0x123 && perm == (VTD_PERM_READ | VTD_PERM_WRITE),
          "walk of iova %#llx gave %#lx perm %u", ST_IOVA + 0x123, pa, perm);
    err = vtd_domain_map(dom, ST_IOVA, page, PAGE_SIZE, VTD_PERM_READ);
    CHECK(err_no(err) == VTD_ERR_OVERLAP, "an overlapping map was not refused");
    err = vtd_domain_map(dom, ST_IOVA + 0x800, page, PAGE_SIZE, VTD_PERM_READ);
    CHECK(err_no(err) == VTD_ERR_MISALIGNED, "a misaligned map was not refused");
    err = vtd_domain_map(dom, 1ull << dom->pt.iova_bits, page, PAGE_SIZE, VTD_PERM_READ);
    CHECK(err_no(err) == VTD_ERR_IOVA_RANGE, "a map past the address width was not refused");
    err = vtd_attach(dom, ST_BUS, ST_DEVFN);
    CHECK(err_is_ok(err), "attach %02x:%02x.%x: %s", ST_BUS, ST_DEVFN >> 3, ST_DEVFN & 7,
          err_name(err_no(err)));
    attached = true;
    struct vtd_unit *u = vtd_unit_for(ST_BUS, ST_DEVFN);
    err = hw_translate(u, ST_BUS, ST_DEVFN, ST_IOVA + PAGE_SIZE + 8, &did, &pa, &perm);
    CHECK(err_is_ok(err) && did == dom->id && pa == page + PAGE_SIZE + 8 &&
          perm == VTD_PERM_READ, "walk from RTADDR: %s, domain %u, pa %#lx, perm %u",
          err_name(err_no(err)), did, pa, perm);
    kprintf("vtd: selftest: domain %u, %u-level table; iova %#llx -> %#lx (rw), "
            "%#llx -> %#lx (r) walked from RTADDR %#lx for %02x:%02x.%x\n", dom->id,
            dom->pt.levels, ST_IOVA, page, ST_IOVA + PAGE_SIZE, page + PAGE_SIZE, u->root_pa,
            ST_BUS, ST_DEVFN >> 3, ST_DEVFN & 7);
    err = vtd_domain_unmap(dom, ST_IOVA, 2 * PAGE_SIZE);
    CHECK(err_is_ok(err), "unmap: %s", err_name(err_no(err)));
    err = hw_translate(u, ST_BUS, ST_DEVFN, ST_IOVA, &did, &pa, &perm);
    CHECK(err_no(err) == VTD_ERR_NOT_MAPPED, "the unmapped page still translates");
    err = vtd_detach(dom, ST_BUS, ST_DEVFN);
    attached = false;
    CHECK(err_is_ok(err), "detach: %s", err_name(err_no(err)));
    err = hw_translate(u, ST_BUS, ST_DEVFN, ST_IOVA, &did, &pa, &perm);
    CHECK(err_no(err) == VTD_ERR_NOT_ATTACHED, "the detached device still has a context entry");
    passed = true;
out:
    if (attached)
        vtd_detach(dom, ST_BUS, ST_DEVFN);
    if (dom)
        vtd_domain_destroy(dom);
    if (page)
        pmm_free(&this_core()->pmm, page, 2);
    if (passed)
        kprintf("vtd: selftest passed (tables, walks and registers only: no device DMA "
                "went through them)\n");
}

static void vtd_boot(const struct driver_env *env)
{
    vtd_init(env->acpi);
}

/* Last: translation blocks every device until a driver attaches it. */
DRIVER(vtd_driver, DRIVER_ORDER_IOMMU, "vtd", vtd_boot);
