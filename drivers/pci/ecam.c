/*
 * ecam.c: PCIe configuration space access, memory-mapped (PCIe Base 5.0,
 * 7.2.2): function (bus, dev, fn) lives at base + (bus << 20 | dev << 15 |
 * fn << 12). The whole window is mapped uncached once.
 */
#include <pci/pci.h>
#include <arch/paging.h>
#include <mmio.h>

errval_t pci_ecam_init(struct pci_ecam *e, uint64_t phys, uint16_t seg,
                       uint8_t bus_start, uint8_t bus_end)
{
    uint64_t first = phys + ((uint64_t)bus_start << 20);
    size_t size = ((size_t)(bus_end - bus_start) + 1) << 20;
    volatile void *va;
    errval_t err = paging_map_device(first, size, &va);
    if (err_is_fail(err))
        return err_push(err, PCI_ERR_NO_ECAM);
    *e = (struct pci_ecam){ (volatile uint8_t *)va, phys, seg, bus_start, bus_end };
    return ERR_OK;
}

static volatile uint8_t *cfg(const struct pci_ecam *e, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off)
{
    uint64_t o = ((uint64_t)(bus - e->bus_start) << 20) | ((uint64_t)(dev & 31) << 15) |
                 ((uint64_t)(fn & 7) << 12) | (off & 0xfff);
    return e->base + o;
}

uint32_t pci_cfg_read32(const struct pci_ecam *e, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off)
{
    return mmio_read32(cfg(e, bus, dev, fn, off & ~3));
}

uint16_t pci_cfg_read16(const struct pci_ecam *e, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off)
{
    return mmio_read16(cfg(e, bus, dev, fn, off & ~1));
}

uint8_t pci_cfg_read8(const struct pci_ecam *e, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off)
{
    return mmio_read8(cfg(e, bus, dev, fn, off));
}
