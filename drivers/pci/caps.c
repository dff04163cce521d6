/*
 * caps.c: the capability lists of a function.
 *
 * Standard capabilities (PCI Local Bus 3.0, 6.7) form a list in the first
 * 256 bytes: 0x34 points at the first, each starts with an id byte and a
 * next byte, and next 0 ends the list. It exists only when Status bit 4
 * says so. Extended capabilities (PCIe 5.0, 7.6.3) form a second list
 * from 0x100 in the 4 KiB ECAM space: a 32-bit header with the id in
 * 15:0 and the next offset in 31:20; a header of 0 (or all ones) means
 * there are none.
 *
 * Lists come from devices, so they are not trusted: a pointer outside its
 * region ends the walk, and so does the entry count, so a looping list
 * (a next pointer back to an earlier entry) terminates. Pure logic over
 * struct pci_ops.
 */
#include <pci/pci.h>

/* Call fn(off, id) for each standard capability until it returns true;
 * returns the offset it stopped at, or 0. */
static uint16_t walk_std(const struct pci_ops *o, pci_rid_t rid,
                         bool (*fn)(void *arg, uint16_t off, uint8_t id), void *arg)
{
    if (!(pci_rd16(o, rid, PCI_STATUS) & PCI_STATUS_CAP_LIST))
        return 0;
    uint8_t off = pci_rd8(o, rid, PCI_CAP_PTR) & ~3;
    for (unsigned n = 0; n < PCI_CAP_MAX && off >= PCI_CAP_FIRST; n++) {
        uint16_t hdr = pci_rd16(o, rid, off);
        uint8_t id = hdr & 0xff;
        if (id == 0xff)
            return 0;               /* the function went away */
        if (fn(arg, off, id))
            return off;
        off = (hdr >> 8) & ~3;
    }
    return 0;
}

static uint16_t walk_ext(const struct pci_ops *o, pci_rid_t rid,
                         bool (*fn)(void *arg, uint16_t off, uint16_t id), void *arg)
{
    uint16_t off = PCI_EXT_CAP_FIRST;
    for (unsigned n = 0; n < PCI_EXT_CAP_MAX && off >= PCI_EXT_CAP_FIRST; n++) {
        uint32_t hdr = pci_rd32(o, rid, off);
        if (hdr == 0 || hdr == 0xffffffffu)
            return 0;
        if (fn(arg, off, PCI_EXT_CAP_ID(hdr)))
            return off;
        off = PCI_EXT_CAP_NEXT(hdr);
    }
    return 0;
}

static bool match_std(void *arg, uint16_t off, uint8_t id)
{
    return id == *(uint8_t *)arg;
}

static bool match_ext(void *arg, uint16_t off, uint16_t id)
{
    return id == *(uint16_t *)arg;
}

uint16_t pci_cap_find(const struct pci_ops *o, pci_rid_t rid, uint8_t id)
{
    return walk_std(o, rid, match_std, &id);
}

uint16_t pci_ext_cap_find(const struct pci_ops *o, pci_rid_t rid, uint16_t id)
{
    return walk_ext(o, rid, match_ext, &id);
}

/* Record the first of each kind; never stop early. */
static bool note_std(void *arg, uint16_t off, uint8_t id)
{
    struct pci_caps *c = arg;
    uint8_t *slot = id == PCI_CAP_ID_PM ? &c->pm : id == PCI_CAP_ID_MSI ? &c->msi :
                    id == PCI_CAP_ID_PCIE ? &c->pcie : id == PCI_CAP_ID_MSIX ? &c->msix : 0;
    if (id < 32)
        c->std |= 1u << id;
    if (slot && !*slot)
        *slot = (uint8_t)off;
    return false;
}

static bool note_ext(void *arg, uint16_t off, uint16_t id)
{
    struct pci_caps *c = arg;
    uint16_t *slot = id == PCI_EXT_CAP_ID_AER ? &c->aer : id == PCI_EXT_CAP_ID_ARI ? &c->ari :
                     id == PCI_EXT_CAP_ID_SRIOV ? &c->sriov : 0;
    if (id < 32)
        c->ext |= 1u << id;
    if (slot && !*slot)
        *slot = off;
    return false;
}

void pci_caps_scan(const struct pci_ops *o, pci_rid_t rid, struct pci_caps *c)
{
    *c = (struct pci_caps){ 0 };
    walk_std(o, rid, note_std, c);
    if (c->pcie)
        walk_ext(o, rid, note_ext, c);
}

void pci_msix_read(const struct pci_ops *o, pci_rid_t rid, uint16_t cap, struct pci_msix *m)
{
    uint16_t ctrl = pci_rd16(o, rid, cap + PCI_MSIX_CTRL);
    uint32_t table = pci_rd32(o, rid, cap + PCI_MSIX_TABLE);
    uint32_t pba = pci_rd32(o, rid, cap + PCI_MSIX_PBA);
    *m = (struct pci_msix){
        .vectors = (uint16_t)((ctrl & PCI_MSIX_CTRL_SIZE_MASK) + 1),
        .table_bir = table & PCI_MSIX_BIR_MASK,
        .pba_bir = pba & PCI_MSIX_BIR_MASK,
        .table_off = table & PCI_MSIX_OFFSET_MASK,
        .pba_off = pba & PCI_MSIX_OFFSET_MASK,
    };
}
