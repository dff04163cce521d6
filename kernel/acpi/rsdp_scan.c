/*
 * rsdp_scan.c: find the RSDP the legacy way (ACPI 6.5, 5.2.5.1) when the
 * boot loader did not hand one over: the first KiB of the EBDA, then the
 * BIOS ROM area 0xe0000-0xfffff, on 16-byte boundaries. (UEFI machines
 * always pass it through multiboot2; this is for BIOS boots.)
 */
#include <acpi/acpi.h>
#include <acpi/rsdp_scan.h>
#include <memlayout.h>
#include <string.h>

#define EBDA_SEGMENT_PTR 0x40e
#define BIOS_ROM_START   0xe0000
#define BIOS_ROM_END     0x100000

static const void *scan(uint64_t start, uint64_t end)
{
    for (uint64_t pa = start & ~15ull; pa + 20 <= end; pa += 16) {
        const uint8_t *p = phys_to_virt(pa);
        if (memcmp(p, "RSD PTR ", 8) == 0 && acpi_checksum_ok(p, 20))
            return p;
    }
    return NULL;
}

const void *acpi_rsdp_scan(size_t *len)
{
    uint64_t ebda = (uint64_t)*(const uint16_t *)phys_to_virt(EBDA_SEGMENT_PTR) << 4;
    const void *r = NULL;
    if (ebda >= 0x80000 && ebda < 0xa0000)
        r = scan(ebda, ebda + 1024);
    if (!r)
        r = scan(BIOS_ROM_START, BIOS_ROM_END);
    *len = sizeof(struct acpi_rsdp);
    return r;
}
