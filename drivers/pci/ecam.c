/*
 * ecam.c: PCIe configuration space access, memory-mapped (PCIe Base 5.0,
 * 7.2.2): function (bus, dev, fn) lives at base + (bus << 20 | dev << 15 |
 * fn << 12). The whole window is mapped uncached once. Every access is one
 * volatile load or store of the asked width (kernel/include/mmio.h), so
 * a 16-bit write never rewrites the RW1C bits of its neighbour.
 *
 * This is the kernel's only platform glue for drivers/pci: pci_ecam_ops()
 * hands the portable code ECAM reads and writes (all ones for a bus
 * outside the window, writes there dropped) and a busy wait on the TSC.
 */
#include <pci/pci.h>
#include <arch/apic.h>
#include <arch/cpu.h>
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

void pci_cfg_write32(const struct pci_ecam *e, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off, uint32_t v)
{
    mmio_write32(cfg(e, bus, dev, fn, off & ~3), v);
}

void pci_cfg_write16(const struct pci_ecam *e, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off, uint16_t v)
{
    mmio_write16(cfg(e, bus, dev, fn, off & ~1), v);
}

void pci_cfg_write8(const struct pci_ecam *e, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off, uint8_t v)
{
    mmio_write8(cfg(e, bus, dev, fn, off), v);
}

static bool ecam_covers(const struct pci_ecam *e, pci_rid_t rid)
{
    return PCI_RID_BUS(rid) >= e->bus_start && PCI_RID_BUS(rid) <= e->bus_end;
}

static uint32_t ecam_read(void *ctx, pci_rid_t rid, uint16_t off, unsigned width)
{
    const struct pci_ecam *e = ctx;
    uint8_t b = PCI_RID_BUS(rid), d = PCI_RID_DEV(rid), f = PCI_RID_FN(rid);
    if (!ecam_covers(e, rid))
        return width == 4 ? 0xffffffffu : width == 2 ? 0xffffu : 0xffu;
    if (width == 4)
        return pci_cfg_read32(e, b, d, f, off);
    if (width == 2)
        return pci_cfg_read16(e, b, d, f, off);
    return pci_cfg_read8(e, b, d, f, off);
}

static void ecam_write(void *ctx, pci_rid_t rid, uint16_t off, unsigned width, uint32_t v)
{
    const struct pci_ecam *e = ctx;
    uint8_t b = PCI_RID_BUS(rid), d = PCI_RID_DEV(rid), f = PCI_RID_FN(rid);
    if (!ecam_covers(e, rid))
        return;
    if (width == 4)
        pci_cfg_write32(e, b, d, f, off, v);
    else if (width == 2)
        pci_cfg_write16(e, b, d, f, off, (uint16_t)v);
    else
        pci_cfg_write8(e, b, d, f, off, (uint8_t)v);
}

/* Busy-wait on the TSC (calibrated against the PIT at boot); without a
 * calibration, assume a fast 4 GHz TSC so the wait is never too short. */
static void tsc_wait_ms(void *ctx, unsigned ms)
{
    uint64_t hz = tsc_hz() ? tsc_hz() : 4000000000ull;
    uint64_t end = rdtsc() + hz / 1000 * ms;
    while (rdtsc() < end)
        cpu_relax();
}

struct pci_ops pci_ecam_ops(struct pci_ecam *e)
{
    return (struct pci_ops){ ecam_read, ecam_write, tsc_wait_ms, e };
}
