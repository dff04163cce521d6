/*
 * timers.c: where the firmware says its fixed-rate clocks are, for the
 * boot calibration of the TSC and APIC timer on machines without a PIT.
 *   - HPET: the "HPET" table (IA-PC HPET Specification 1.0a, 3.2.4,
 *     table 3): the event timer block's base address (a Generic Address).
 *   - ACPI PM timer: the FADT (ACPI 6.5, 5.2.9, table 5.9): X_PM_TMR_BLK
 *     (a Generic Address, ACPI 2.0+) or else the 32-bit I/O port
 *     PM_TMR_BLK, counting at 3.579545 MHz, 24 bits wide unless
 *     TMR_VAL_EXT says 32 (4.8.3.3).
 * Pure parsing, tested on the host against the QEMU machines' tables
 * (tests/unit/acpi). Nothing here assumes a QEMU address.
 */
#include <acpi/acpi.h>
#include <string.h>

#define FADT_PM_TMR_BLK     76      /* dword, I/O port */
#define FADT_PM_TMR_LEN     91      /* byte, 4 when present */
#define FADT_FLAGS          112     /* dword */
#define FADT_FLAG_TMR_VAL_EXT (1u << 8)
#define FADT_X_PM_TMR_BLK   208     /* Generic Address Structure, 12 bytes */
#define HPET_BASE_GAS       40      /* Generic Address Structure */
#define HPET_TABLE_MIN      56

static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t rd64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }

errval_t hpet_parse(const struct acpi_sdt_header *h, struct acpi_clock *out)
{
    if (memcmp(h->signature, "HPET", 4) != 0)
        return ACPI_ERR_BAD_SIGNATURE;
    if (h->length < HPET_TABLE_MIN)
        return ACPI_ERR_TRUNCATED;
    const uint8_t *g = (const uint8_t *)h + HPET_BASE_GAS;
    memset(out, 0, sizeof(*out));
    out->space = g[0];
    out->address = rd64(g + 4);
    out->bits = 64;                 /* the block's COUNT_SIZE_CAP says 32 or 64 */
    if (out->space != ACPI_GAS_MEMORY || out->address == 0)
        return ACPI_ERR_NO_CLOCK;
    return ERR_OK;
}

errval_t fadt_pm_timer(const struct acpi_sdt_header *h, struct acpi_clock *out)
{
    if (memcmp(h->signature, "FACP", 4) != 0)
        return ACPI_ERR_BAD_SIGNATURE;
    const uint8_t *f = (const uint8_t *)h;
    if (h->length < FADT_FLAGS + 4)
        return ACPI_ERR_TRUNCATED;
    memset(out, 0, sizeof(*out));
    out->bits = (rd32(f + FADT_FLAGS) & FADT_FLAG_TMR_VAL_EXT) ? 32 : 24;
    if (h->length >= FADT_X_PM_TMR_BLK + 12) {
        const uint8_t *g = f + FADT_X_PM_TMR_BLK;
        uint64_t a = rd64(g + 4);
        if (a && (g[0] == ACPI_GAS_IO || g[0] == ACPI_GAS_MEMORY)) {
            out->space = g[0];
            out->address = a;
            return ERR_OK;
        }
    }
    uint32_t port = rd32(f + FADT_PM_TMR_BLK);
    if (port == 0 || f[FADT_PM_TMR_LEN] < 4)
        return ACPI_ERR_NO_CLOCK;   /* hardware-reduced ACPI: no PM timer */
    out->space = ACPI_GAS_IO;
    out->address = port;
    return ERR_OK;
}
