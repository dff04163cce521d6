/**
 * \file pci.h
 * \brief PCIe configuration space through ECAM (PCI Express Base Spec 5.0,
 * 7.2.2), the first step of drivers/pci: find and list every function.
 * Runs in the kernel (CPU driver of the core that owns PCI).
 */
#ifndef DRIVERS_PCI_H
#define DRIVERS_PCI_H
#include <stdint.h>
#include <kpi/errors.h>

/* Type 0/1 header offsets (PCI Local Bus 3.0, 6.1) */
#define PCI_VENDOR_ID   0x00
#define PCI_DEVICE_ID   0x02
#define PCI_CLASS_REV   0x08    /* class << 24 | subclass << 16 | prog-if << 8 | rev */
#define PCI_HEADER_TYPE 0x0e
#define PCI_HEADER_MULTIFUNCTION 0x80
#define PCI_VENDOR_NONE 0xffff

struct pci_ecam {
    volatile uint8_t *base;     /* mapped config space of bus_start */
    uint64_t phys;
    uint16_t segment;
    uint8_t bus_start, bus_end;
};

errval_t pci_ecam_init(struct pci_ecam *e, uint64_t phys, uint16_t seg,
                       uint8_t bus_start, uint8_t bus_end);
uint32_t pci_cfg_read32(const struct pci_ecam *e, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off);
uint16_t pci_cfg_read16(const struct pci_ecam *e, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off);
uint8_t pci_cfg_read8(const struct pci_ecam *e, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off);
/** Log every function, one line each: pci BB:DD.F VVVV:DDDD class CC.SS name */
unsigned pci_scan_log(const struct pci_ecam *e);
const char *pci_class_name(uint8_t cls, uint8_t sub);
#endif
