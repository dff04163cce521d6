/**
 * \file acpi.h
 * \brief The ACPI tables the CPU driver reads: RSDP, XSDT/RSDT, MADT, MCFG.
 * Layouts from the ACPI Specification 6.5 (sections given per struct) and
 * the PCI Firmware Specification 3.3 (MCFG, 4.1.2).
 *
 * The walkers are pure logic: they reach physical memory only through the
 * `acpi_map_fn` they are given, so host tests feed them captured tables.
 */
#ifndef ACPI_ACPI_H
#define ACPI_ACPI_H
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <kpi/errors.h>

/* 5.2.5.3 Root System Description Pointer */
struct acpi_rsdp {
    char signature[8];          /* "RSD PTR " */
    uint8_t checksum;           /* over the first 20 bytes */
    char oem_id[6];
    uint8_t revision;           /* 0: ACPI 1.0 (RSDT only); 2: XSDT */
    uint32_t rsdt_address;
    uint32_t length;            /* revision >= 2 from here on */
    uint64_t xsdt_address;
    uint8_t extended_checksum;
    uint8_t reserved[3];
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_rsdp) == 36, "ACPI 6.5 5.2.5.3");

/* 5.2.6 System Description Table Header */
struct acpi_sdt_header {
    char signature[4];
    uint32_t length;
    uint8_t revision, checksum;
    char oem_id[6], oem_table_id[8];
    uint32_t oem_revision, creator_id, creator_revision;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_sdt_header) == 36, "ACPI 6.5 5.2.6");

/* 5.2.12 Multiple APIC Description Table */
struct acpi_madt {
    struct acpi_sdt_header h;
    uint32_t lapic_address;
    uint32_t flags;             /* bit 0: PC-AT compatible 8259s present */
} __attribute__((packed));
#define MADT_LOCAL_APIC     0   /* 5.2.12.2 */
#define MADT_IO_APIC        1   /* 5.2.12.3 */
#define MADT_INT_OVERRIDE   2   /* 5.2.12.5 */
#define MADT_LOCAL_X2APIC   9   /* 5.2.12.12 */
#define MADT_CPU_ENABLED        0x1
#define MADT_CPU_ONLINE_CAPABLE 0x2

/* PCI Firmware Specification 3.3, 4.1.2: MCFG */
struct acpi_mcfg_alloc {
    uint64_t base;
    uint16_t segment;
    uint8_t bus_start, bus_end;
    uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_mcfg_alloc) == 16, "PCI FW 3.3 4.1.2");

typedef const void *(*acpi_map_fn)(uint64_t phys, size_t len, void *ctx);

struct acpi_tables {
    const struct acpi_sdt_header *root;   /* XSDT, or RSDT on ACPI 1.0 */
    bool xsdt;
    uint8_t revision;
    char oem_id[7];
    acpi_map_fn map;
    void *ctx;
};

#define ACPI_MAX_CPUS    256
#define ACPI_MAX_IOAPICS 8
#define ACPI_MAX_ECAM    4

struct madt_cpu { uint32_t apic_id, uid; bool enabled; };
struct madt_ioapic { uint8_t id; uint32_t address, gsi_base; };
struct madt_info {
    uint32_t lapic_address;
    struct madt_cpu cpus[ACPI_MAX_CPUS];
    size_t ncpus;               /* enabled or online-capable */
    struct madt_ioapic ioapics[ACPI_MAX_IOAPICS];
    size_t nioapics;
};

struct mcfg_info {
    struct acpi_mcfg_alloc ecam[ACPI_MAX_ECAM];
    size_t necam;
};

bool acpi_checksum_ok(const void *p, size_t len);
/** Check the RSDP and map its root table. */
errval_t acpi_init(struct acpi_tables *t, const void *rsdp, size_t rsdp_len,
                   acpi_map_fn map, void *ctx);
/** The physical addresses the root table (XSDT or RSDT) lists. */
size_t acpi_root_count(const struct acpi_tables *t);
uint64_t acpi_root_entry(const struct acpi_tables *t, size_t i);
/** Find a table by signature (checksum verified). */
errval_t acpi_find(const struct acpi_tables *t, const char sig[4],
                   const struct acpi_sdt_header **out);
errval_t madt_parse(const struct acpi_sdt_header *h, struct madt_info *out);
errval_t mcfg_parse(const struct acpi_sdt_header *h, struct mcfg_info *out);

/* Generic Address Structure address spaces (ACPI 6.5, 5.2.3.2). */
#define ACPI_GAS_MEMORY 0
#define ACPI_GAS_IO     1
#define ACPI_PM_TIMER_HZ 3579545        /* ACPI 6.5, 4.8.3.3 */

/** A fixed-rate clock the firmware describes (kernel/acpi/timers.c). */
struct acpi_clock {
    uint8_t space;                      /* ACPI_GAS_MEMORY or ACPI_GAS_IO */
    uint8_t bits;                       /* counter width: 24, 32 or 64 */
    uint64_t address;
};
/** The HPET's register block from the "HPET" table (memory space only). */
errval_t hpet_parse(const struct acpi_sdt_header *h, struct acpi_clock *out);
/** The ACPI PM timer from the FADT ("FACP"); ACPI_ERR_NO_CLOCK if the
 *  firmware has none (hardware-reduced ACPI). */
errval_t fadt_pm_timer(const struct acpi_sdt_header *h, struct acpi_clock *out);
/** The console UART of the SPCR table (kernel/acpi/spcr.c). */
#define SPCR_BAUD_AS_SET 0xffffffffu    /* baud code 0: keep what firmware set */
struct spcr_uart {
    uint16_t io;                        /* I/O port base of the 16550 */
    uint32_t baud;                      /* or SPCR_BAUD_AS_SET */
    uint8_t interface_type;
};
/** The SPCR by signature, whatever its checksum (spcr_parse checks it). */
errval_t spcr_find(const struct acpi_tables *t, const struct acpi_sdt_header **out);
/** A 16550 at an I/O port, or why not: ACPI_ERR_TRUNCATED,
 *  ACPI_ERR_BAD_CHECKSUM, SPCR_ERR_INTERFACE, SPCR_ERR_ADDRESS, SPCR_ERR_BAUD. */
errval_t spcr_parse(const struct acpi_sdt_header *h, struct spcr_uart *out);
#endif
