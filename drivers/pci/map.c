/*
 * map.c: what every PCI device driver of the kernel does first with its
 * function: check that a memory BAR holds its registers and map them
 * uncached (pci_bar_map), set or clear bits of the Command register
 * (pci_command), and name the function as bus:device.function in log
 * lines (pci_bdf). Kernel only (paging); bar.c's pure decoding stays
 * host-testable apart from it.
 */
#include <pci/pci.h>
#include <arch/paging.h>

errval_t pci_bar_map(const struct pci_bar *b, uint64_t bytes, volatile void **va)
{
    if ((b->kind != PCI_BAR_MEM32 && b->kind != PCI_BAR_MEM64) || b->addr == 0 || b->size < bytes)
        return PCI_ERR_BAR;
    return paging_map_device(b->addr, bytes, va);
}

void pci_command(const struct pci_ops *o, pci_rid_t rid, uint16_t set, uint16_t clear)
{
    uint16_t cmd = pci_rd16(o, rid, PCI_COMMAND);
    uint16_t want = (uint16_t)((cmd | set) & ~clear);
    if (want != cmd)
        pci_wr16(o, rid, PCI_COMMAND, want);
}

void pci_bdf(pci_rid_t rid, char buf[PCI_BDF_LEN])
{
    static const char hex[] = "0123456789abcdef";
    uint8_t b = PCI_RID_BUS(rid), d = PCI_RID_DEV(rid);
    const char s[PCI_BDF_LEN] = { hex[b >> 4], hex[b & 15], ':', hex[d >> 4], hex[d & 15], '.',
                                  (char)('0' + PCI_RID_FN(rid)), 0 };
    for (unsigned i = 0; i < PCI_BDF_LEN; i++)
        buf[i] = s[i];
}
