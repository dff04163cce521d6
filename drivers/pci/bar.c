/*
 * bar.c: Base Address Registers (PCI Local Bus 3.0, 6.2.5.1).
 *
 * A BAR says how big its region is by which address bits it lets
 * software write: save the register, write all ones, read it back,
 * restore it. The lowest address bit that stuck is the size. Bit 0 tells
 * I/O from memory; a memory BAR's bits 2:1 say 32 or 64 bits (a 64-bit
 * BAR takes the next register as its upper half) and bit 3 prefetchable.
 * The same layout serves the VF BARs of an SR-IOV capability (PCIe 5.0
 * 9.3.3.14), so pci_bars_probe takes any run of BAR registers.
 *
 * Pure logic over struct pci_ops: the caller turns decoding off (Command
 * register, or VF MSE) around the probe, as 6.2.5.1 asks.
 */
#include <pci/pci.h>

/* Lowest set bit: the region size, whatever the device did with the
 * bits above (an I/O BAR may hardwire address bits 31:16 to zero). */
static uint64_t lowest_bit(uint64_t v)
{
    return v & (~v + 1);
}

unsigned pci_bar_decode(uint32_t lo, uint32_t hi, uint32_t mask_lo, uint32_t mask_hi,
                        struct pci_bar *b)
{
    *b = (struct pci_bar){ 0, 0, PCI_BAR_NONE, false };
    if (lo & PCI_BAR_SPACE_IO) {
        uint64_t m = mask_lo & PCI_BAR_IO_MASK;
        if (m == 0)
            return 1;
        *b = (struct pci_bar){ lo & PCI_BAR_IO_MASK, lowest_bit(m), PCI_BAR_IO, false };
        return 1;
    }
    unsigned type = (lo >> PCI_BAR_MEM_TYPE_SHIFT) & PCI_BAR_MEM_TYPE_MASK;
    bool is64 = type == PCI_BAR_MEM_TYPE_64;
    uint64_t m = mask_lo & PCI_BAR_MEM_MASK;
    uint64_t addr = lo & PCI_BAR_MEM_MASK;
    if (is64) {
        m |= (uint64_t)mask_hi << 32;
        addr |= (uint64_t)hi << 32;
    }
    if (m == 0)
        return is64 ? 2 : 1;
    *b = (struct pci_bar){ addr, lowest_bit(m), is64 ? PCI_BAR_MEM64 : PCI_BAR_MEM32,
                           (lo & PCI_BAR_MEM_PREFETCH) != 0 };
    return is64 ? 2 : 1;
}

void pci_bars_probe(const struct pci_ops *o, pci_rid_t rid, uint16_t first, unsigned n,
                    struct pci_bar *bar)
{
    for (unsigned i = 0; i < n; i++)
        bar[i] = (struct pci_bar){ 0, 0, PCI_BAR_NONE, false };
    for (unsigned i = 0; i < n;) {
        uint16_t reg = (uint16_t)(first + 4 * i);
        uint32_t lo = pci_rd32(o, rid, reg), hi = 0, mask_lo, mask_hi = 0;
        pci_wr32(o, rid, reg, 0xffffffffu);
        mask_lo = pci_rd32(o, rid, reg);
        pci_wr32(o, rid, reg, lo);
        bool is64 = !(lo & PCI_BAR_SPACE_IO) &&
                    ((lo >> PCI_BAR_MEM_TYPE_SHIFT) & PCI_BAR_MEM_TYPE_MASK) == PCI_BAR_MEM_TYPE_64;
        if (is64 && i + 1 < n) {
            hi = pci_rd32(o, rid, reg + 4);
            pci_wr32(o, rid, reg + 4, 0xffffffffu);
            mask_hi = pci_rd32(o, rid, reg + 4);
            pci_wr32(o, rid, reg + 4, hi);
        } else if (is64) {
            /* A 64-bit BAR in the last slot is malformed: take it as 32-bit. */
            lo &= ~(PCI_BAR_MEM_TYPE_MASK << PCI_BAR_MEM_TYPE_SHIFT);
        }
        i += pci_bar_decode(lo, hi, mask_lo, mask_hi, &bar[i]);
    }
}

void pci_bar_write(const struct pci_ops *o, pci_rid_t rid, uint16_t reg,
                   const struct pci_bar *b, uint64_t addr)
{
    if (b->kind == PCI_BAR_IO) {
        pci_wr32(o, rid, reg, (uint32_t)addr | PCI_BAR_SPACE_IO);
        return;
    }
    uint32_t flags = (b->prefetch ? PCI_BAR_MEM_PREFETCH : 0) |
                     (b->kind == PCI_BAR_MEM64 ? PCI_BAR_MEM_TYPE_64 << PCI_BAR_MEM_TYPE_SHIFT : 0);
    pci_wr32(o, rid, reg, ((uint32_t)addr & PCI_BAR_MEM_MASK) | flags);
    if (b->kind == PCI_BAR_MEM64)
        pci_wr32(o, rid, reg + 4, (uint32_t)(addr >> 32));
}

const char *pci_bar_kind_name(const struct pci_bar *b)
{
    static const char *const names[] = { "none", "io", "mem32", "mem64" };
    return b->kind < sizeof(names) / sizeof(names[0]) ? names[b->kind] : "?";
}
