/*
 * dmar.c: the ACPI DMAR table (VT-d spec rev. 3.3, chapter 8) reduced to
 * what the driver needs: the host address width, each remapping unit's
 * register base, segment, INCLUDE_PCI_ALL flag and device scopes, and the
 * reserved memory regions (RMRR) with theirs.
 *
 * Pure logic, host-tested with the DMAR QEMU builds. Every length is
 * checked against its container before anything inside it is read: a
 * structure must hold its own header and stay inside the table, a scope
 * inside its structure, and a scope's path is whole (device, function)
 * pairs. Anything else is VTD_ERR_DMAR_MALFORMED, never a read past the
 * end. Structure types the driver does not use are counted and skipped.
 */
#include <iommu/vtd/dmar.h>
#include <string.h>

static errval_t parse_scopes(const uint8_t *p, size_t len, struct dmar_scope *out,
                             size_t max, size_t *n_out)
{
    size_t n = 0;
    for (size_t off = 0; off < len;) {
        const struct acpi_dmar_scope *s = (const void *)(p + off);
        if (len - off < sizeof(*s) || s->length < sizeof(*s) + 2 ||
            s->length > len - off || (s->length - sizeof(*s)) % 2 != 0)
            return VTD_ERR_DMAR_MALFORMED;
        if (n == max)
            return ACPI_ERR_TOO_MANY;
        const uint8_t *path = p + off + sizeof(*s);
        size_t hops = (s->length - sizeof(*s)) / 2;
        out[n++] = (struct dmar_scope){
            .type = s->type, .enum_id = s->enum_id, .bus = s->start_bus,
            .dev = path[2 * (hops - 1)], .fn = path[2 * (hops - 1) + 1],
            .multi_hop = hops > 1,
        };
        off += s->length;
    }
    *n_out = n;
    return ERR_OK;
}

static errval_t parse_drhd(const uint8_t *p, size_t len, struct dmar_info *out)
{
    const struct acpi_dmar_drhd *d = (const void *)p;
    if (len < sizeof(*d))
        return VTD_ERR_DMAR_MALFORMED;
    if (out->nunits == DMAR_MAX_UNITS)
        return ACPI_ERR_TOO_MANY;
    struct dmar_drhd *u = &out->units[out->nunits];
    memset(u, 0, sizeof(*u));
    u->base = d->base;
    u->segment = d->segment;
    u->include_pci_all = d->flags & DRHD_INCLUDE_PCI_ALL;
    u->size_log2 = d->size;
    if (u->base == 0 || (u->base & 0xfff))
        return VTD_ERR_DMAR_MALFORMED;
    errval_t err = parse_scopes(p + sizeof(*d), len - sizeof(*d), u->scopes,
                                DMAR_MAX_SCOPES, &u->nscopes);
    if (err_is_ok(err))
        out->nunits++;
    return err;
}

static errval_t parse_rmrr(const uint8_t *p, size_t len, struct dmar_info *out)
{
    const struct acpi_dmar_rmrr *r = (const void *)p;
    if (len < sizeof(*r) || r->limit < r->base)
        return VTD_ERR_DMAR_MALFORMED;
    if (out->nrmrr == DMAR_MAX_RMRR)
        return ACPI_ERR_TOO_MANY;
    struct dmar_rmrr *m = &out->rmrr[out->nrmrr];
    memset(m, 0, sizeof(*m));
    m->segment = r->segment;
    m->base = r->base;
    m->limit = r->limit;
    errval_t err = parse_scopes(p + sizeof(*r), len - sizeof(*r), m->scopes,
                                DMAR_MAX_SCOPES, &m->nscopes);
    if (err_is_ok(err))
        out->nrmrr++;
    return err;
}

errval_t dmar_parse(const struct acpi_sdt_header *h, struct dmar_info *out)
{
    memset(out, 0, sizeof(*out));
    if (memcmp(h->signature, "DMAR", 4) != 0)
        return ACPI_ERR_BAD_SIGNATURE;
    if (h->length < sizeof(struct acpi_dmar))
        return ACPI_ERR_TRUNCATED;
    const struct acpi_dmar *t = (const void *)h;
    out->haw = t->host_address_width + 1;
    out->flags = t->flags;
    const uint8_t *p = (const uint8_t *)h;
    for (size_t off = sizeof(*t); off < h->length;) {
        const struct acpi_dmar_struct *s = (const void *)(p + off);
        if (h->length - off < sizeof(*s) || s->length < sizeof(*s) ||
            s->length > h->length - off)
            return VTD_ERR_DMAR_MALFORMED;
        errval_t err = ERR_OK;
        if (s->type == DMAR_TYPE_DRHD)
            err = parse_drhd(p + off, s->length, out);
        else if (s->type == DMAR_TYPE_RMRR)
            err = parse_rmrr(p + off, s->length, out);
        else
            out->nother++;
        if (err_is_fail(err))
            return err;
        off += s->length;
    }
    return ERR_OK;
}

bool dmar_scope_lists(const struct dmar_drhd *u, uint8_t bus, uint8_t dev, uint8_t fn)
{
    for (size_t i = 0; i < u->nscopes; i++) {
        const struct dmar_scope *s = &u->scopes[i];
        if ((s->type == DMAR_SCOPE_ENDPOINT || s->type == DMAR_SCOPE_BRIDGE) &&
            !s->multi_hop && s->bus == bus && s->dev == dev && s->fn == fn)
            return true;
    }
    return false;
}

const char *dmar_scope_type_name(uint8_t type)
{
    static const char *const names[] = {
        [DMAR_SCOPE_ENDPOINT] = "endpoint", [DMAR_SCOPE_BRIDGE] = "bridge",
        [DMAR_SCOPE_IOAPIC] = "ioapic", [DMAR_SCOPE_HPET] = "hpet",
        [DMAR_SCOPE_ACPI] = "acpi",
    };
    return type < sizeof(names) / sizeof(names[0]) && names[type] ? names[type] : "unknown";
}
