/*
 * enum.c: PCIe enumeration into the device table.
 *
 * The firmware has numbered the buses and assigned the BARs; this walk
 * reads what it did. It starts at bus 0 and, like a PCI-to-PCI bridge
 * itself (PPB 1.2, 3.2.5), follows each type 1 header to its secondary
 * bus, depth first, so a function's parent is the bridge it was found
 * under. On each bus it probes function 0 of every device, and functions
 * 1-7 of a multi-function one. Every function is recorded (struct
 * pci_dev: ids, class, header type, BARs sized per bar.c, capabilities
 * per caps.c, bridge windows) and logged:
 *
 *   pci BB:DD.F VVVV:DDDD class CC.SS name     (tests match this line)
 *     bar N: mem64 0xADDR size 0xSIZE [pref]
 *     bridge: buses SS-UU, io ..., mem ..., pref ...
 *     msix: / sriov: / vf bar N: ...
 *
 * A bus is entered once and the depth is bounded, so a misprogrammed
 * bridge cannot make the walk loop. Only the bootstrap core runs this, at
 * boot; the table is then read-only but for SR-IOV (sriov.c) appending.
 */
#include <pci/pci.h>
#include <console.h>
#include <fmt.h>

static const struct { uint8_t cls, sub; const char *name; } class_names[] = {
    { 0x01, 0x01, "IDE controller" }, { 0x01, 0x06, "SATA controller" },
    { 0x01, 0x08, "NVMe controller" }, { 0x02, 0x00, "Ethernet controller" },
    { 0x03, 0x00, "VGA display" }, { 0x06, 0x00, "host bridge" },
    { 0x06, 0x01, "ISA bridge" }, { 0x06, 0x04, "PCI bridge" },
    { 0x0c, 0x05, "SMBus controller" }, { 0x08, 0x06, "IOMMU" },
};

const char *pci_class_name(uint8_t cls, uint8_t sub)
{
    for (unsigned i = 0; i < sizeof(class_names) / sizeof(class_names[0]); i++)
        if (class_names[i].cls == cls && class_names[i].sub == sub)
            return class_names[i].name;
    return "device";
}

/* A bridge's three forwarding windows (PPB 1.2 3.2.5.6-3.2.5.10). */
static void read_windows(const struct pci_ops *o, struct pci_dev *d)
{
    uint8_t iob = pci_rd8(o, d->rid, PCI_IO_BASE), iol = pci_rd8(o, d->rid, PCI_IO_LIMIT);
    uint64_t io_hi_b = 0, io_hi_l = 0;
    if ((iob & 0xf) == PCI_IO_32BIT) {
        io_hi_b = (uint64_t)pci_rd16(o, d->rid, PCI_IO_BASE_UPPER) << 16;
        io_hi_l = (uint64_t)pci_rd16(o, d->rid, PCI_IO_LIMIT_UPPER) << 16;
    }
    d->io = (struct pci_window){ io_hi_b | (uint64_t)(iob & 0xf0) << 8,
                                 io_hi_l | (uint64_t)(iol & 0xf0) << 8 | (PCI_WINDOW_IO_GRAIN - 1) };
    uint16_t mb = pci_rd16(o, d->rid, PCI_MEM_BASE), ml = pci_rd16(o, d->rid, PCI_MEM_LIMIT);
    d->mem = (struct pci_window){ (uint64_t)(mb & 0xfff0) << PCI_WINDOW_SHIFT,
                                  (uint64_t)(ml & 0xfff0) << PCI_WINDOW_SHIFT | (PCI_WINDOW_MEM_GRAIN - 1) };
    uint16_t pb = pci_rd16(o, d->rid, PCI_PREF_BASE), pl = pci_rd16(o, d->rid, PCI_PREF_LIMIT);
    uint64_t p_hi_b = 0, p_hi_l = 0;
    if ((pb & 0xf) == PCI_PREF_64BIT) {
        p_hi_b = (uint64_t)pci_rd32(o, d->rid, PCI_PREF_BASE_UPPER) << 32;
        p_hi_l = (uint64_t)pci_rd32(o, d->rid, PCI_PREF_LIMIT_UPPER) << 32;
    }
    d->pref = (struct pci_window){ p_hi_b | (uint64_t)(pb & 0xfff0) << PCI_WINDOW_SHIFT,
                                   p_hi_l | (uint64_t)(pl & 0xfff0) << PCI_WINDOW_SHIFT |
                                       (PCI_WINDOW_MEM_GRAIN - 1) };
}

void pci_dev_read(const struct pci_ops *o, struct pci_dev *d)
{
    pci_rid_t r = d->rid;
    uint32_t cr = pci_rd32(o, r, PCI_CLASS_REV);
    uint8_t ht = pci_rd8(o, r, PCI_HEADER_TYPE);
    d->vendor = pci_rd16(o, r, PCI_VENDOR_ID);
    d->device = pci_rd16(o, r, PCI_DEVICE_ID);
    d->cls = cr >> 24;
    d->subclass = (cr >> 16) & 0xff;
    d->progif = (cr >> 8) & 0xff;
    d->rev = cr & 0xff;
    d->header = ht & PCI_HEADER_TYPE_MASK;
    d->multifunction = (ht & PCI_HEADER_MULTIFUNCTION) != 0;

    unsigned nbars = d->header == PCI_HEADER_NORMAL ? PCI_BARS_NORMAL :
                     d->header == PCI_HEADER_BRIDGE ? PCI_BARS_BRIDGE : 0;
    if (nbars && !d->is_vf) {
        /* LB 3.0 6.2.5.1: no decoding while a BAR holds all ones. A host
         * bridge is left alone (as Linux does): it may be the path to
         * memory itself. */
        bool host = d->cls == 0x06 && d->subclass == 0x00;
        uint16_t cmd = pci_rd16(o, r, PCI_COMMAND);
        if (!host)
            pci_wr16(o, r, PCI_COMMAND, cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
        pci_bars_probe(o, r, PCI_BAR0, nbars, d->bar);
        if (!host)
            pci_wr16(o, r, PCI_COMMAND, cmd);
    }
    if (d->header == PCI_HEADER_BRIDGE) {
        d->secondary = pci_rd8(o, r, PCI_SECONDARY_BUS);
        d->subordinate = pci_rd8(o, r, PCI_SUBORDINATE_BUS);
        read_windows(o, d);
    }
    pci_caps_scan(o, r, &d->caps);
    if (d->caps.msix)
        pci_msix_read(o, r, d->caps.msix, &d->msix);
    if (d->caps.sriov && !d->is_vf)
        pci_sriov_read(o, r, d->caps.sriov, &d->sriov);
}

errval_t pci_table_add(struct pci_table *t, const struct pci_dev *d, uint16_t *index)
{
    if (t->n >= PCI_MAX_FUNCS) {
        t->full = true;
        return PCI_ERR_TABLE_FULL;
    }
    t->dev[t->n] = *d;
    *index = (uint16_t)t->n++;
    return ERR_OK;
}

static void log_bar(const char *prefix, unsigned i, const struct pci_bar *b)
{
    if (b->size)
        kprintf("  %sbar %u: %s 0x%lx size 0x%lx%s\n", prefix, i, pci_bar_kind_name(b),
                b->addr, b->size, b->prefetch ? " pref" : "");
}

/* ", mem 0x...-0x..." or ", mem off" into buf (lines print whole: other
 * cores are up and talking by now). */
static void fmt_window(char *buf, size_t size, const char *name, const struct pci_window *w)
{
    if (w->base <= w->limit)
        fmt_snprintf(buf, size, ", %s 0x%lx-0x%lx", name, w->base, w->limit);
    else
        fmt_snprintf(buf, size, ", %s off", name);
}

void pci_dev_log(const struct pci_table *t, const struct pci_dev *d)
{
    pci_rid_t r = d->rid;
    kprintf("pci %02x:%02x.%x %04x:%04x class %02x.%02x %s\n", PCI_RID_BUS(r), PCI_RID_DEV(r),
            PCI_RID_FN(r), d->vendor, d->device, d->cls, d->subclass,
            pci_class_name(d->cls, d->subclass));
    if (d->is_vf) {
        pci_rid_t p = t->dev[d->pf].rid;
        kprintf("  vf %u of %02x:%02x.%x\n", d->vf_index, PCI_RID_BUS(p), PCI_RID_DEV(p), PCI_RID_FN(p));
    }
    for (unsigned i = 0; i < PCI_BARS_NORMAL; i++)
        log_bar("", i, &d->bar[i]);
    if (d->header == PCI_HEADER_BRIDGE) {
        char io[48], mem[48], pref[48];
        fmt_window(io, sizeof(io), "io", &d->io);
        fmt_window(mem, sizeof(mem), "mem", &d->mem);
        fmt_window(pref, sizeof(pref), "pref", &d->pref);
        kprintf("  bridge: buses %02x-%02x%s%s%s\n", d->secondary, d->subordinate, io, mem, pref);
    }
    if (d->caps.msix)
        kprintf("  msix: %u vectors, table bar %u + 0x%x, pba bar %u + 0x%x\n", d->msix.vectors,
                d->msix.table_bir, d->msix.table_off, d->msix.pba_bir, d->msix.pba_off);
    if (d->caps.sriov && !d->is_vf) {
        const struct pci_sriov *s = &d->sriov;
        kprintf("  sriov: %u VFs (initial %u), VF %04x:%04x at offset 0x%x stride %u\n",
                s->total_vfs, s->initial_vfs, d->vendor, s->vf_did, s->vf_offset, s->vf_stride);
        for (unsigned i = 0; i < PCI_BARS_NORMAL; i++)
            log_bar("vf ", i, &s->vf_bar[i]);
    }
}

struct walk {
    struct pci_table *t;
    uint8_t seen[256 / 8];      /* buses entered */
};

static void walk_bus(struct walk *w, uint8_t bus, uint16_t parent, unsigned depth);

static bool visit(struct walk *w, pci_rid_t rid, uint16_t parent, unsigned depth)
{
    const struct pci_ops *o = &w->t->ops;
    if (pci_rd16(o, rid, PCI_VENDOR_ID) == PCI_VENDOR_NONE)
        return false;
    struct pci_dev d = { .rid = rid, .parent = parent, .pf = PCI_NO_PARENT };
    pci_dev_read(o, &d);
    uint16_t idx;
    bool was_full = w->t->full;
    errval_t err = pci_table_add(w->t, &d, &idx);
    if (err_is_fail(err)) {
        if (!was_full)
            kprintf("pci: %s (%s)\n", err_name(err_no(err)), err_msg(err_no(err)));
        return true;
    }
    pci_dev_log(w->t, &d);
    if (d.header == PCI_HEADER_BRIDGE && d.secondary > PCI_RID_BUS(rid) &&
        d.secondary <= d.subordinate && depth < PCI_MAX_DEPTH)
        walk_bus(w, d.secondary, idx, depth + 1);
    return true;
}

static void walk_bus(struct walk *w, uint8_t bus, uint16_t parent, unsigned depth)
{
    if (w->seen[bus / 8] & (1u << (bus % 8)))
        return;
    w->seen[bus / 8] |= 1u << (bus % 8);
    for (uint8_t dev = 0; dev < 32; dev++) {
        if (!visit(w, PCI_RID(bus, dev, 0), parent, depth))
            continue;
        if (!(pci_rd8(&w->t->ops, PCI_RID(bus, dev, 0), PCI_HEADER_TYPE) & PCI_HEADER_MULTIFUNCTION))
            continue;
        for (uint8_t fn = 1; fn < 8; fn++)
            visit(w, PCI_RID(bus, dev, fn), parent, depth);
    }
}

unsigned pci_enumerate(struct pci_table *t, struct pci_ops ops)
{
    t->ops = ops;
    t->n = 0;
    t->full = false;
    struct walk w = { .t = t };
    walk_bus(&w, 0, PCI_NO_PARENT, 0);
    return t->n;
}
