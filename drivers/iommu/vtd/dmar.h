/**
 * \file dmar.h
 * \brief The ACPI DMA Remapping Reporting table (DMAR), VT-d spec rev. 3.3
 * chapter 8: the remapping units (DRHD, 8.3), their device scopes (8.3.1)
 * and the reserved memory regions (RMRR, 8.4). Pure logic, host-tested
 * against the DMAR QEMU's q35 builds (tests/unit/acpi/fixtures).
 */
#ifndef IOMMU_VTD_DMAR_H
#define IOMMU_VTD_DMAR_H
#include <stdbool.h>
#include <stdint.h>
#include <acpi/acpi.h>

/* 8.1 DMAR header after the ACPI header */
struct acpi_dmar {
    struct acpi_sdt_header h;
    uint8_t host_address_width;     /* HAW - 1 */
    uint8_t flags;                  /* DMAR_FLAG_* */
    uint8_t reserved[10];
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_dmar) == 48, "VT-d 8.1");
#define DMAR_FLAG_INTR_REMAP        0x1
#define DMAR_FLAG_X2APIC_OPT_OUT    0x2
#define DMAR_FLAG_DMA_CTRL_OPT_IN   0x4

/* 8.2 Remapping structure header; types */
struct acpi_dmar_struct {
    uint16_t type, length;
} __attribute__((packed));
#define DMAR_TYPE_DRHD  0   /* 8.3 DMA remapping hardware unit */
#define DMAR_TYPE_RMRR  1   /* 8.4 reserved memory region */
#define DMAR_TYPE_ATSR  2   /* 8.5 root port ATS capability */
#define DMAR_TYPE_RHSA  3   /* 8.6 remapping hardware NUMA affinity */
#define DMAR_TYPE_ANDD  4   /* 8.7 ACPI namespace device */
#define DMAR_TYPE_SATC  5   /* 8.8 SoC integrated address translation cache */

/* 8.3 DRHD */
struct acpi_dmar_drhd {
    struct acpi_dmar_struct s;
    uint8_t flags;                  /* bit 0: INCLUDE_PCI_ALL */
    uint8_t size;                   /* register set: 2^size 4 KiB pages */
    uint16_t segment;
    uint64_t base;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_dmar_drhd) == 16, "VT-d 8.3");
#define DRHD_INCLUDE_PCI_ALL 0x1

/* 8.4 RMRR */
struct acpi_dmar_rmrr {
    struct acpi_dmar_struct s;
    uint16_t reserved, segment;
    uint64_t base, limit;           /* limit: last byte, inclusive */
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_dmar_rmrr) == 24, "VT-d 8.4");

/* 8.3.1 Device scope; a path of (device, function) pairs follows. */
struct acpi_dmar_scope {
    uint8_t type, length, flags, reserved, enum_id, start_bus;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_dmar_scope) == 6, "VT-d 8.3.1");
#define DMAR_SCOPE_ENDPOINT 1   /* a PCI endpoint */
#define DMAR_SCOPE_BRIDGE   2   /* a PCI bridge and everything below it */
#define DMAR_SCOPE_IOAPIC   3
#define DMAR_SCOPE_HPET     4
#define DMAR_SCOPE_ACPI     5

#define DMAR_MAX_UNITS   8
#define DMAR_MAX_SCOPES  16
#define DMAR_MAX_RMRR    8

/* A device scope, reduced: the device the path ends at. A path longer
 * than one hop crosses bridges whose bus numbers only config space knows;
 * such a scope keeps its start bus and is marked `multi_hop`. */
struct dmar_scope {
    uint8_t type, enum_id, bus, dev, fn;
    bool multi_hop;
};

struct dmar_drhd {
    uint64_t base;
    uint16_t segment;
    bool include_pci_all;
    uint8_t size_log2;              /* register set 2^size_log2 pages */
    struct dmar_scope scopes[DMAR_MAX_SCOPES];
    size_t nscopes;
};

struct dmar_rmrr {
    uint16_t segment;
    uint64_t base, limit;           /* [base, limit] */
    struct dmar_scope scopes[DMAR_MAX_SCOPES];
    size_t nscopes;
};

struct dmar_info {
    uint8_t haw;                    /* host address width in bits */
    uint8_t flags;                  /* DMAR_FLAG_* */
    struct dmar_drhd units[DMAR_MAX_UNITS];
    size_t nunits;
    struct dmar_rmrr rmrr[DMAR_MAX_RMRR];
    size_t nrmrr;
    size_t nother;                  /* ATSR, RHSA, ANDD, SATC: skipped */
};

/** Parse a DMAR (checksum already checked by acpi_find). */
errval_t dmar_parse(const struct acpi_sdt_header *h, struct dmar_info *out);
/** Does unit `u` list bus:dev.fn as an endpoint, or a bridge at it? */
bool dmar_scope_lists(const struct dmar_drhd *u, uint8_t bus, uint8_t dev, uint8_t fn);
const char *dmar_scope_type_name(uint8_t type);
#endif
