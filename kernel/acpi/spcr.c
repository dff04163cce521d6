/*
 * spcr.c: the console UART the firmware names in the Serial Port Console
 * Redirection table ("SPCR", Microsoft's specification, revision 2 and
 * later; ACPI 6.5 5.2.6 lists the signature). A server whose IPMI
 * serial-over-LAN is COM2 says so here, so the kernel can find its
 * console without `console=`.
 *
 * Unlike acpi_find, a table that fails its checksum is reported, not
 * skipped: a firmware SPCR that is there but broken is worth one boot
 * line. Pure logic: host-tested in tests/unit/acpi.
 */
#include <acpi/acpi.h>
#include <string.h>

/* SPCR layout (Microsoft, "Serial Port Console Redirection Table", rev 2+). */
struct acpi_spcr {
    struct acpi_sdt_header h;
    uint8_t interface_type;     /* 36: DBG2 serial port subtype (rev 2) */
    uint8_t reserved[3];
    struct {                    /* 40: Generic Address Structure, ACPI 6.5 5.2.3.2 */
        uint8_t space, bit_width, bit_offset, access_size;
        uint64_t address;
    } __attribute__((packed)) base;
    uint8_t interrupt_type;     /* 52 */
    uint8_t irq;                /* 53 */
    uint32_t gsi;               /* 54 */
    uint8_t baud;               /* 58: SPCR_BAUD_* */
    uint8_t parity, stop_bits, flow_control, terminal_type, language;   /* 59-63 */
    uint16_t pci_device, pci_vendor;                                     /* 64 */
    uint8_t pci_bus, pci_device_nr, pci_function;                        /* 68 */
    uint32_t pci_flags;         /* 71 */
    uint8_t pci_segment;        /* 75 */
    uint32_t reserved2;         /* 76: UART clock frequency from rev 3 */
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_spcr) == 80, "SPCR rev 2: 80 bytes");

/* Interface types that are a 16550 at its standard registers (the DBG2
 * serial subtypes of Microsoft's "Debug Port Table 2", table 3). */
#define SPCR_16550          0x00    /* full 16550 */
#define SPCR_16550_SUBSET   0x01    /* 16450 / 16550 subset */
#define SPCR_16550_GAS      0x12    /* 16550-compatible, registers per the GAS */

static uint32_t baud_rate(uint8_t code)
{
    switch (code) {
    case 0: return SPCR_BAUD_AS_SET;
    case 3: return 9600;
    case 4: return 19200;
    case 6: return 57600;
    case 7: return 115200;
    default: return 0;
    }
}

errval_t spcr_find(const struct acpi_tables *t, const struct acpi_sdt_header **out)
{
    for (size_t i = 0; i < acpi_root_count(t); i++) {
        const struct acpi_sdt_header *h = t->map(acpi_root_entry(t, i), sizeof(*h), t->ctx);
        if (!h || memcmp(h->signature, "SPCR", 4) != 0)
            continue;
        if (h->length < sizeof(*h))
            return ACPI_ERR_TRUNCATED;
        h = t->map(acpi_root_entry(t, i), h->length, t->ctx);
        if (!h)
            return ACPI_ERR_TRUNCATED;
        *out = h;
        return ERR_OK;
    }
    return ACPI_ERR_TABLE_NOT_FOUND;
}

errval_t spcr_parse(const struct acpi_sdt_header *h, struct spcr_uart *out)
{
    if (memcmp(h->signature, "SPCR", 4) != 0)
        return ACPI_ERR_BAD_SIGNATURE;
    if (h->length < sizeof(struct acpi_spcr))
        return ACPI_ERR_TRUNCATED;
    if (!acpi_checksum_ok(h, h->length))
        return ACPI_ERR_BAD_CHECKSUM;
    const struct acpi_spcr *s = (const void *)h;
    if (s->interface_type != SPCR_16550 && s->interface_type != SPCR_16550_SUBSET &&
        s->interface_type != SPCR_16550_GAS)
        return SPCR_ERR_INTERFACE;
    /* Register width 0 (unspecified) or 8: the UART driver steps one
     * port per register; a 32-bit stride would need another driver. */
    if (s->base.space != ACPI_GAS_IO || s->base.address == 0 || s->base.address > 0xfff8 ||
        (s->base.bit_width != 0 && s->base.bit_width != 8))
        return SPCR_ERR_ADDRESS;
    uint32_t baud = baud_rate(s->baud);
    if (baud == 0)
        return SPCR_ERR_BAUD;
    *out = (struct spcr_uart){ .io = (uint16_t)s->base.address, .baud = baud,
                               .interface_type = s->interface_type };
    return ERR_OK;
}
