/*
 * tables.c: from the RSDP to any table by signature (ACPI 6.5, 5.2.5 to
 * 5.2.8). Every table is checksummed before use; a bad one is an error,
 * not a guess. Physical addresses are mapped through the caller's map
 * function, so the same code runs in the kernel and in host tests.
 */
#include <acpi/acpi.h>
#include <string.h>

bool acpi_checksum_ok(const void *p, size_t len)
{
    uint8_t sum = 0;
    for (size_t i = 0; i < len; i++)
        sum += ((const uint8_t *)p)[i];
    return sum == 0;
}

/* Map a whole table: first its header, then its full length. */
static errval_t map_table(const struct acpi_tables *t, uint64_t pa,
                          const struct acpi_sdt_header **out)
{
    const struct acpi_sdt_header *h = t->map(pa, sizeof(*h), t->ctx);
    if (!h)
        return ACPI_ERR_TRUNCATED;
    if (h->length < sizeof(*h))
        return ACPI_ERR_TRUNCATED;
    h = t->map(pa, h->length, t->ctx);
    if (!h)
        return ACPI_ERR_TRUNCATED;
    if (!acpi_checksum_ok(h, h->length))
        return ACPI_ERR_BAD_CHECKSUM;
    *out = h;
    return ERR_OK;
}

errval_t acpi_init(struct acpi_tables *t, const void *rsdp_in, size_t rsdp_len,
                   acpi_map_fn map, void *ctx)
{
    const struct acpi_rsdp *rsdp = rsdp_in;
    if (!rsdp || rsdp_len < 20)
        return ACPI_ERR_NO_RSDP;
    if (memcmp(rsdp->signature, "RSD PTR ", 8) != 0)
        return ACPI_ERR_BAD_SIGNATURE;
    if (!acpi_checksum_ok(rsdp, 20))
        return ACPI_ERR_BAD_CHECKSUM;
    memset(t, 0, sizeof(*t));
    t->map = map;
    t->ctx = ctx;
    t->revision = rsdp->revision;
    memcpy(t->oem_id, rsdp->oem_id, 6);
    bool v2 = rsdp->revision >= 2 && rsdp_len >= sizeof(*rsdp) && rsdp->xsdt_address;
    size_t v2_len = rsdp->length < sizeof(*rsdp) ? sizeof(*rsdp) : rsdp->length;
    if (v2 && v2_len > rsdp_len)        /* never checksum past what we were given */
        return ACPI_ERR_TRUNCATED;
    if (v2 && !acpi_checksum_ok(rsdp, v2_len))
        return ACPI_ERR_BAD_CHECKSUM;
    t->xsdt = v2;
    errval_t err = map_table(t, v2 ? rsdp->xsdt_address : rsdp->rsdt_address, &t->root);
    if (err_is_fail(err))
        return err;
    if (memcmp(t->root->signature, v2 ? "XSDT" : "RSDT", 4) != 0)
        return ACPI_ERR_BAD_SIGNATURE;
    return ERR_OK;
}

size_t acpi_root_count(const struct acpi_tables *t)
{
    return (t->root->length - sizeof(struct acpi_sdt_header)) / (t->xsdt ? 8 : 4);
}

uint64_t acpi_root_entry(const struct acpi_tables *t, size_t i)
{
    size_t esize = t->xsdt ? 8 : 4;
    uint64_t pa = 0;
    memcpy(&pa, (const uint8_t *)(t->root + 1) + i * esize, esize);   /* unaligned */
    return pa;
}

errval_t acpi_find(const struct acpi_tables *t, const char sig[4],
                   const struct acpi_sdt_header **out)
{
    for (size_t i = 0; i < acpi_root_count(t); i++) {
        uint64_t pa = acpi_root_entry(t, i);
        const struct acpi_sdt_header *h;
        if (err_is_fail(map_table(t, pa, &h)))
            continue;                                /* skip a broken table */
        if (memcmp(h->signature, sig, 4) == 0) {
            *out = h;
            return ERR_OK;
        }
    }
    return ACPI_ERR_TABLE_NOT_FOUND;
}
