/*
 * domain.c: protection domains. A domain is one second-level page table
 * (pagetable.c) and a domain id; a device is in a domain when its context
 * entry (9.3) points at that table with that id. All units share one
 * table per domain, so a domain uses the page-table depth every unit
 * supports (4 levels / 48-bit IOVA when all SAGAWs allow it, else 3 / 39).
 *
 * Order of writes: a context entry's high half (width, domain id) before
 * the low half that sets Present; unmapping clears the entries, then
 * invalidates the IOTLB of every unit before returning, so no device can
 * still reach an unmapped page afterwards. With CAP.CM (caching mode) a
 * unit may cache not-present entries, so a map is invalidated too.
 */
#include <iommu/vtd/vtd.h>
#include <iommu/vtd/unit.h>
#include <console.h>
#include <string.h>

static struct vtd_domain domains[VTD_MAX_DOMAINS];

static bool ready(void)
{
    return vtd_enabled();
}

/* Depth and widths every unit accepts. */
static void geometry(unsigned *levels, unsigned *iova_bits)
{
    unsigned sagaw = VTD_SAGAW_39 | VTD_SAGAW_48, mgaw = 64;
    for (unsigned i = 0; i < vtd_nunits; i++) {
        sagaw &= vtd_units[i].sagaw;
        mgaw = vtd_units[i].mgaw < mgaw ? vtd_units[i].mgaw : mgaw;
    }
    *levels = (sagaw & VTD_SAGAW_48) ? 4 : 3;
    *iova_bits = mgaw;
}

errval_t vtd_domain_create(struct vtd_domain **out)
{
    if (!ready())
        return VTD_ERR_OFF;
    unsigned levels, iova_bits;
    geometry(&levels, &iova_bits);
    for (unsigned i = 0; i < VTD_MAX_DOMAINS; i++) {
        struct vtd_domain *d = &domains[i];
        if (d->id)
            continue;
        errval_t err = vtd_pt_init(&d->pt, &vtd_table_ops, levels, iova_bits, vtd_dmar.haw);
        if (err_is_fail(err))
            return err;
        d->id = (uint16_t)(i + 1);      /* 0 is reserved when CAP.CM = 1 */
        d->devices = 0;
        *out = d;
        return ERR_OK;
    }
    return VTD_ERR_NO_DOMAIN;
}

errval_t vtd_domain_destroy(struct vtd_domain *dom)
{
    if (dom->devices)
        return VTD_ERR_DOMAIN_BUSY;
    vtd_pt_destroy(&dom->pt);
    for (unsigned i = 0; i < vtd_nunits; i++)
        vtd_inval_iotlb_domain(&vtd_units[i], dom->id);
    memset(dom, 0, sizeof(*dom));
    return ERR_OK;
}

static errval_t flush_domain(struct vtd_domain *dom, bool only_caching_mode)
{
    errval_t err = ERR_OK;
    for (unsigned i = 0; i < vtd_nunits && err_is_ok(err); i++)
        if (!only_caching_mode || (vtd_units[i].cap & VTD_CAP_CM))
            err = vtd_inval_iotlb_domain(&vtd_units[i], dom->id);
    return err;
}

errval_t vtd_domain_map(struct vtd_domain *dom, uint64_t iova, uint64_t pa, uint64_t bytes,
                        unsigned perm)
{
    errval_t err = vtd_pt_map(&dom->pt, iova, pa, bytes, perm);
    if (err_is_ok(err))
        err = flush_domain(dom, true);
    return err;
}

errval_t vtd_domain_unmap(struct vtd_domain *dom, uint64_t iova, uint64_t bytes)
{
    errval_t err = vtd_pt_unmap(&dom->pt, iova, bytes);
    if (err_is_ok(err))
        err = flush_domain(dom, false);
    return err;
}

/* The unit translating bus:devfn and its context entry (made if `create`). */
static errval_t context_of(uint8_t bus, uint8_t devfn, bool create, struct vtd_unit **u,
                           struct vtd_context_entry **ce)
{
    if (!ready())
        return VTD_ERR_OFF;
    *u = vtd_unit_for(bus, devfn);
    if (!*u)
        return VTD_ERR_NO_UNIT;
    return vtd_context_entry(*u, bus, devfn, create, ce);
}

errval_t vtd_attach(struct vtd_domain *dom, uint8_t bus, uint8_t devfn)
{
    struct vtd_unit *u;
    struct vtd_context_entry *ce;
    errval_t err = context_of(bus, devfn, true, &u, &ce);
    if (err_is_fail(err))
        return err;
    if (ce->lo & VTD_CTX_P)
        return VTD_ERR_ATTACHED;
    unsigned aw = dom->pt.levels - 2;           /* 1: 3-level, 2: 4-level */
    if (!(u->sagaw & (1u << aw)))
        return VTD_ERR_UNSUPPORTED;
    ce->hi = (uint64_t)aw << VTD_CTX_AW_SHIFT | (uint64_t)dom->id << VTD_CTX_DID_SHIFT;
    __asm__ volatile("" ::: "memory");
    ce->lo = (dom->pt.root_pa & VTD_CTX_SLPTPTR_MASK) |
             VTD_CTX_TT_SLONLY << VTD_CTX_TT_SHIFT | VTD_CTX_P;
    vtd_sync(ce, sizeof(*ce));
    /* 6.5.1: a not-present entry may be cached under caching mode; on
     * other hardware this costs little and keeps one path. */
    err = vtd_inval_context_device(u, dom->id, (uint16_t)(bus << 8 | devfn));
    if (err_is_ok(err))
        err = vtd_inval_iotlb_domain(u, dom->id);
    if (err_is_ok(err))
        dom->devices++;
    return err;
}

errval_t vtd_detach(struct vtd_domain *dom, uint8_t bus, uint8_t devfn)
{
    struct vtd_unit *u;
    struct vtd_context_entry *ce;
    errval_t err = context_of(bus, devfn, false, &u, &ce);
    if (err_is_fail(err))
        return err;
    if (!ce || !(ce->lo & VTD_CTX_P) ||
        ((ce->hi & VTD_CTX_DID_MASK) >> VTD_CTX_DID_SHIFT) != dom->id)
        return VTD_ERR_NOT_ATTACHED;
    ce->lo = 0;
    __asm__ volatile("" ::: "memory");
    ce->hi = 0;
    vtd_sync(ce, sizeof(*ce));
    err = vtd_inval_context_device(u, dom->id, (uint16_t)(bus << 8 | devfn));
    if (err_is_ok(err))
        err = vtd_inval_iotlb_domain(u, dom->id);
    dom->devices--;
    return err;
}
