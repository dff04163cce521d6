/*
 * mcfg.c: PCIe ECAM regions from the MCFG table (PCI Firmware
 * Specification 3.3, 4.1.2): base address, segment and bus range of each.
 */
#include <acpi/acpi.h>
#include <string.h>

#define MCFG_RESERVED_BYTES 8   /* after the header, before the entries */

errval_t mcfg_parse(const struct acpi_sdt_header *h, struct mcfg_info *out)
{
    if (memcmp(h->signature, "MCFG", 4) != 0)
        return ACPI_ERR_BAD_SIGNATURE;
    size_t hdr = sizeof(*h) + MCFG_RESERVED_BYTES;
    if (h->length < hdr)
        return ACPI_ERR_TRUNCATED;
    memset(out, 0, sizeof(*out));
    size_t n = (h->length - hdr) / sizeof(struct acpi_mcfg_alloc);
    const uint8_t *p = (const uint8_t *)h + hdr;
    for (size_t i = 0; i < n; i++) {
        if (out->necam == ACPI_MAX_ECAM)
            return ACPI_ERR_TOO_MANY;
        memcpy(&out->ecam[out->necam], p + i * sizeof(struct acpi_mcfg_alloc),
               sizeof(struct acpi_mcfg_alloc));
        if (out->ecam[out->necam].bus_end >= out->ecam[out->necam].bus_start)
            out->necam++;
    }
    return ERR_OK;
}
