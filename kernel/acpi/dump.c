/*
 * dump.c: the raw bytes of the RSDP, the root table (RSDT or XSDT) and
 * every table the root lists, one console line per 32 bytes:
 *
 *   acpidump <SIG> <phys> <offset> <hex bytes>
 *
 * (all numbers hex; the RSDP's signature is written RSDP). Debug output for
 * tools/acpi-capture, which rebuilds the tables from these lines; asked
 * for with acpi.dump on the command line. Tables reach no further than the
 * root's entries (the DSDT behind the FADT is not followed).
 */
#include <acpi/dump.h>
#include <console.h>
#include <memlayout.h>
#include <string.h>

#define DUMP_LINE_BYTES 32

static void dump_bytes(const char sig[4], uint64_t pa, const uint8_t *p, size_t len)
{
    for (size_t off = 0; off < len; off += DUMP_LINE_BYTES) {
        char hex[2 * DUMP_LINE_BYTES + 1];
        size_t n = len - off < DUMP_LINE_BYTES ? len - off : DUMP_LINE_BYTES;
        for (size_t i = 0; i < n; i++) {
            hex[2 * i] = "0123456789abcdef"[p[off + i] >> 4];
            hex[2 * i + 1] = "0123456789abcdef"[p[off + i] & 15];
        }
        hex[2 * n] = '\0';
        kprintf("acpidump %.4s %lx %zx %s\n", sig, pa, off, hex);
    }
}

static void dump_table(const struct acpi_tables *t, uint64_t pa)
{
    const struct acpi_sdt_header *h = t->map(pa, sizeof(*h), t->ctx);
    if (!h || h->length < sizeof(*h)) {
        kprintf("acpidump: no table at %lx\n", pa);
        return;
    }
    h = t->map(pa, h->length, t->ctx);
    if (h)
        dump_bytes(h->signature, pa, (const uint8_t *)h, h->length);
}

void acpi_dump(const struct acpi_tables *t, const void *rsdp, size_t rsdp_len)
{
    const struct acpi_rsdp *r = rsdp;
    size_t len = r->revision >= 2 && rsdp_len >= sizeof(*r) ? sizeof(*r) : 20;
    dump_bytes("RSDP", virt_to_phys(rsdp), rsdp, len);
    uint64_t root_pa = t->xsdt ? r->xsdt_address : r->rsdt_address;
    dump_table(t, root_pa);
    for (size_t i = 0; i < acpi_root_count(t); i++)
        dump_table(t, acpi_root_entry(t, i));
}
