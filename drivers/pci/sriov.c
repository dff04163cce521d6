/*
 * sriov.c: Single Root I/O Virtualization (PCIe Base 5.0, chapter 9).
 *
 * An SR-IOV physical function (PF) carries an extended capability (9.3.3)
 * that makes NumVFs virtual functions appear when VF Enable is set. VF i
 * answers at routing ID PF + First VF Offset + i * VF Stride (both may
 * change with NumVFs and ARI Capable Hierarchy, so they are read after
 * NumVFs is written). A VF has no BARs of its own: the capability's VF
 * BARn is VF 0's BARn, VF i's lies i BAR-sizes above it, and VF MSE
 * turns decoding on for all of them. A VF's Vendor and Device ID read
 * 0xffff (9.3.4.1.1-2); its ids are the PF's vendor and VF Device ID.
 *
 * pci_sriov_enable() does the PF side in the order 9.3.3.3.1 allows:
 * System Page Size, NumVFs, VF BARs (firmware often leaves them zero:
 * SeaBIOS knows no SR-IOV), then VF Enable with VF MSE, then the 100 ms
 * before a VF may be asked anything. It then records and logs each VF.
 * Every refusal is decided before VF Enable; a refusal after NumVFs was
 * written puts NumVFs back to 0.
 *
 * QEMU (hw/pci/pcie_sriov.c, 10.0): VF Enable is writable only while
 * NumVFs <= TotalVFs, NumVFs is read-only while VF Enable is set (so they
 * are two writes), and a VF's BARs decode only once the VF's own Command
 * Memory Space bit is set (real VFs hardwire it to 0, so setting it is
 * harmless there).
 */
#include <pci/pci.h>
#include <console.h>

bool pci_sriov_vf_rid(pci_rid_t pf, uint16_t offset, uint16_t stride, unsigned i, pci_rid_t *vf)
{
    uint64_t r = (uint64_t)pf + offset + (uint64_t)i * stride;
    if (r > 0xffff)
        return false;
    *vf = (pci_rid_t)r;
    return true;
}

void pci_sriov_read(const struct pci_ops *o, pci_rid_t rid, uint16_t cap, struct pci_sriov *s)
{
    *s = (struct pci_sriov){ .cap = cap };
    s->total_vfs = pci_rd16(o, rid, cap + PCI_SRIOV_TOTAL_VF);
    s->initial_vfs = pci_rd16(o, rid, cap + PCI_SRIOV_INITIAL_VF);
    s->num_vfs = pci_rd16(o, rid, cap + PCI_SRIOV_NUM_VF);
    s->vf_offset = pci_rd16(o, rid, cap + PCI_SRIOV_VF_OFFSET);
    s->vf_stride = pci_rd16(o, rid, cap + PCI_SRIOV_VF_STRIDE);
    s->vf_did = pci_rd16(o, rid, cap + PCI_SRIOV_VF_DID);
    s->sup_pgsize = pci_rd32(o, rid, cap + PCI_SRIOV_SUP_PGSIZE);
    /* Size the VF BARs with VF MSE off (LB 3.0 6.2.5.1, as for any BAR). */
    uint16_t ctrl = pci_rd16(o, rid, cap + PCI_SRIOV_CTRL);
    if (ctrl & PCI_SRIOV_CTRL_MSE)
        pci_wr16(o, rid, cap + PCI_SRIOV_CTRL, ctrl & ~PCI_SRIOV_CTRL_MSE);
    pci_bars_probe(o, rid, cap + PCI_SRIOV_BAR, PCI_BARS_NORMAL, s->vf_bar);
    if (ctrl & PCI_SRIOV_CTRL_MSE)
        pci_wr16(o, rid, cap + PCI_SRIOV_CTRL, ctrl);
}

bool pci_window_fit(const struct pci_window *w, uint64_t above, uint64_t size, uint64_t align,
                    uint64_t *addr)
{
    if (w->base > w->limit || size == 0 || align == 0 || (align & (align - 1)))
        return false;
    uint64_t a = above > w->base ? above : w->base;
    if (a + (align - 1) < a)
        return false;
    a = (a + align - 1) & ~(align - 1);
    if (a < w->base || a > w->limit || size - 1 > w->limit - a)
        return false;
    *addr = a;
    return true;
}

static bool in_window(const struct pci_window *w, uint64_t addr, uint64_t size)
{
    return w->base <= w->limit && size && addr >= w->base && addr <= w->limit &&
           size - 1 <= w->limit - addr;
}

/* The end of everything already decoded behind bridge `br` inside w:
 * BARs of its children, windows of child bridges, enabled VF BARs. */
static uint64_t used_top(const struct pci_table *t, uint16_t br, const struct pci_window *w)
{
    uint64_t top = w->base;
    for (unsigned k = 0; k < t->n; k++) {
        const struct pci_dev *d = &t->dev[k];
        if (d->parent != br)
            continue;
        struct { uint64_t addr, size; } r[PCI_BARS_NORMAL * 2 + 2];
        unsigned nr = 0;
        for (unsigned i = 0; i < PCI_BARS_NORMAL; i++) {
            if (d->bar[i].size && d->bar[i].kind != PCI_BAR_IO)
                r[nr].addr = d->bar[i].addr, r[nr++].size = d->bar[i].size;
            const struct pci_bar *v = &d->sriov.vf_bar[i];
            if (d->caps.sriov && !d->is_vf && d->sriov.num_vfs && v->size && v->kind != PCI_BAR_IO)
                r[nr].addr = v->addr, r[nr++].size = v->size * d->sriov.num_vfs;
        }
        if (d->header == PCI_HEADER_BRIDGE) {
            if (d->mem.base <= d->mem.limit)
                r[nr].addr = d->mem.base, r[nr++].size = d->mem.limit - d->mem.base + 1;
            if (d->pref.base <= d->pref.limit)
                r[nr].addr = d->pref.base, r[nr++].size = d->pref.limit - d->pref.base + 1;
        }
        for (unsigned i = 0; i < nr; i++)
            if (in_window(w, r[i].addr, r[i].size) && r[i].addr + r[i].size > top)
                top = r[i].addr + r[i].size;
    }
    return top;
}

/* Where the VF BARs go: the firmware's choice if it made one that fits a
 * window of the bridge above, else the lowest aligned spot above all that
 * is used there. A prefetchable BAR prefers the prefetchable window; a
 * 32-bit one must stay below 4 GiB. */
static errval_t place_vf_bars(const struct pci_table *t, const struct pci_dev *pf,
                              const struct pci_sriov *s, unsigned numvfs,
                              uint64_t addr[PCI_BARS_NORMAL])
{
    const struct pci_dev *br = pf->parent != PCI_NO_PARENT ? &t->dev[pf->parent] : 0;
    uint64_t top_mem = 0, top_pref = 0;
    if (br) {
        top_mem = used_top(t, pf->parent, &br->mem);
        top_pref = used_top(t, pf->parent, &br->pref);
    }
    for (unsigned i = 0; i < PCI_BARS_NORMAL; i++) {
        const struct pci_bar *b = &s->vf_bar[i];
        addr[i] = b->addr;
        if (!b->size)
            continue;
        if (b->kind == PCI_BAR_IO)
            return PCI_ERR_NO_VF_WINDOW;    /* VF BARs are memory only (9.3.3.14) */
        uint64_t total = b->size * numvfs, align = b->size < 4096 ? 4096 : b->size;
        if (!br)
            return b->addr ? ERR_OK : PCI_ERR_NO_VF_WINDOW;
        if (b->addr && (in_window(&br->mem, b->addr, total) ||
                        (b->prefetch && in_window(&br->pref, b->addr, total))))
            continue;
        struct pci_window pref = br->pref;
        if (b->kind == PCI_BAR_MEM32 && pref.limit > 0xffffffffull)
            pref.limit = 0xffffffffull;
        if (b->prefetch && pci_window_fit(&pref, top_pref, total, align, &addr[i])) {
            top_pref = addr[i] + total;
            continue;
        }
        if (pci_window_fit(&br->mem, top_mem, total, align, &addr[i])) {
            top_mem = addr[i] + total;
            continue;
        }
        return PCI_ERR_NO_VF_WINDOW;
    }
    return ERR_OK;
}

/* ARI (PCIe 5.0 6.13): VF routing IDs use the device number bits as
 * function bits, which a downstream port forwards only with ARI
 * Forwarding Enable set. Set it when the port supports it, and tell the
 * PF (ARI Capable Hierarchy, function 0 only). */
static uint16_t enable_ari(const struct pci_table *t, const struct pci_dev *pf)
{
    const struct pci_ops *o = &t->ops;
    if (pf->parent == PCI_NO_PARENT || PCI_RID_FN(pf->rid) != 0)
        return 0;
    const struct pci_dev *br = &t->dev[pf->parent];
    if (!br->caps.pcie)
        return 0;
    if (!(pci_rd32(o, br->rid, br->caps.pcie + PCI_EXP_DEVCAP2) & PCI_EXP_DEVCAP2_ARI))
        return 0;
    uint16_t ctl2 = pci_rd16(o, br->rid, br->caps.pcie + PCI_EXP_DEVCTL2);
    pci_wr16(o, br->rid, br->caps.pcie + PCI_EXP_DEVCTL2, ctl2 | PCI_EXP_DEVCTL2_ARI);
    return PCI_SRIOV_CTRL_ARI;
}

/* Record VF i (now answering at rid) and log it. */
static errval_t add_vf(struct pci_table *t, uint16_t pfi, unsigned i, pci_rid_t rid)
{
    const struct pci_ops *o = &t->ops;
    const struct pci_dev *pf = &t->dev[pfi];
    if (pci_rd32(o, rid, PCI_CLASS_REV) == 0xffffffffu)
        return PCI_ERR_VF_MISSING;
    struct pci_dev d = { .rid = rid, .parent = pf->parent, .pf = pfi, .is_vf = true,
                         .vf_index = (uint16_t)i };
    pci_dev_read(o, &d);
    d.vendor = pf->vendor;
    d.device = pf->sriov.vf_did;
    for (unsigned j = 0; j < PCI_BARS_NORMAL; j++) {
        d.bar[j] = pf->sriov.vf_bar[j];
        if (d.bar[j].size)
            d.bar[j].addr += (uint64_t)i * d.bar[j].size;
    }
    uint16_t cmd = pci_rd16(o, rid, PCI_COMMAND);
    pci_wr16(o, rid, PCI_COMMAND, cmd | PCI_COMMAND_MEMORY);
    uint16_t idx;
    errval_t err = pci_table_add(t, &d, &idx);
    pci_dev_log(t, &d);
    return err;
}

errval_t pci_sriov_enable(struct pci_table *t, uint16_t pfi, unsigned numvfs)
{
    const struct pci_ops *o = &t->ops;
    if (pfi >= t->n || !t->dev[pfi].caps.sriov || t->dev[pfi].is_vf)
        return PCI_ERR_NOT_SRIOV;
    struct pci_dev *pf = &t->dev[pfi];
    struct pci_sriov *s = &pf->sriov;
    uint16_t cap = s->cap;
    if (numvfs > s->total_vfs)
        return PCI_ERR_TOO_MANY_VFS;
    uint16_t ctrl = pci_rd16(o, pf->rid, cap + PCI_SRIOV_CTRL);
    if (ctrl & PCI_SRIOV_CTRL_VFE)
        return PCI_ERR_VFS_ENABLED;
    if (numvfs == 0)
        return ERR_OK;

    /* 9.3.3.13: 4 KiB pages, set before the VF BARs are sized. */
    if (s->sup_pgsize & PCI_SRIOV_PGSIZE_4K)
        pci_wr32(o, pf->rid, cap + PCI_SRIOV_SYS_PGSIZE, PCI_SRIOV_PGSIZE_4K);
    pci_sriov_read(o, pf->rid, cap, s);
    ctrl |= enable_ari(t, pf);
    pci_wr16(o, pf->rid, cap + PCI_SRIOV_CTRL, ctrl & ~(PCI_SRIOV_CTRL_VFE | PCI_SRIOV_CTRL_MSE));
    pci_wr16(o, pf->rid, cap + PCI_SRIOV_NUM_VF, (uint16_t)numvfs);
    s->vf_offset = pci_rd16(o, pf->rid, cap + PCI_SRIOV_VF_OFFSET);
    s->vf_stride = pci_rd16(o, pf->rid, cap + PCI_SRIOV_VF_STRIDE);

    /* Every VF must be reachable: on a bus behind the PF's bridge. */
    const struct pci_dev *br = pf->parent != PCI_NO_PARENT ? &t->dev[pf->parent] : 0;
    uint8_t lo = br ? br->secondary : PCI_RID_BUS(pf->rid), hi = br ? br->subordinate : lo;
    errval_t err = ERR_OK;
    for (unsigned i = 0; i < numvfs && err_is_ok(err); i++) {
        pci_rid_t r;
        if (!pci_sriov_vf_rid(pf->rid, s->vf_offset, s->vf_stride, i, &r) ||
            PCI_RID_BUS(r) < lo || PCI_RID_BUS(r) > hi || (i > 0 && s->vf_stride == 0) ||
            r == pf->rid)
            err = PCI_ERR_VF_BUS;
    }
    uint64_t addr[PCI_BARS_NORMAL];
    if (err_is_ok(err))
        err = place_vf_bars(t, pf, s, numvfs, addr);
    if (err_is_fail(err)) {
        pci_wr16(o, pf->rid, cap + PCI_SRIOV_NUM_VF, 0);
        return err;
    }
    for (unsigned i = 0; i < PCI_BARS_NORMAL; i++) {
        if (s->vf_bar[i].size && addr[i] != s->vf_bar[i].addr)
            pci_bar_write(o, pf->rid, cap + PCI_SRIOV_BAR_N(i), &s->vf_bar[i], addr[i]);
        s->vf_bar[i].addr = addr[i];
    }

    /* 9.3.3.3.1: VF Enable and VF MSE, then 100 ms before touching a VF. */
    pci_wr16(o, pf->rid, cap + PCI_SRIOV_CTRL, ctrl | PCI_SRIOV_CTRL_VFE | PCI_SRIOV_CTRL_MSE);
    o->wait_ms(o->ctx, PCI_SRIOV_VF_ENABLE_MS);
    s->num_vfs = (uint16_t)numvfs;
    for (unsigned i = 0; i < numvfs; i++) {
        pci_rid_t r = 0;
        pci_sriov_vf_rid(pf->rid, s->vf_offset, s->vf_stride, i, &r);   /* checked above */
        errval_t e = add_vf(t, pfi, i, r);
        if (err_is_fail(e) && err_is_ok(err))
            err = e;
    }
    return err;
}

/* Parse a decimal count; false if s is not one (or is too big). */
static bool parse_count(const char *s, unsigned *out)
{
    unsigned v = 0;
    if (!s || !*s)
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > 0xffff)
            return false;
        v = v * 10 + (unsigned)(*s - '0');
    }
    if (v > 0xffff)
        return false;
    *out = v;
    return true;
}

void pci_sriov_boot(struct pci_table *t, const char *vfs)
{
    unsigned want;
    if (!parse_count(vfs, &want)) {
        kprintf("sriov: sriov.vfs=%s: %s (%s)\n", vfs ? vfs : "", err_name(PCI_ERR_BAD_VF_COUNT),
                err_msg(PCI_ERR_BAD_VF_COUNT));
        return;
    }
    unsigned n = t->n;      /* the VFs appended below are not PFs */
    for (unsigned k = 0; k < n; k++) {
        const struct pci_dev *d = &t->dev[k];
        if (!d->caps.sriov || d->is_vf)
            continue;
        pci_rid_t r = d->rid;
        uint16_t vendor = d->vendor, device = d->device, total = d->sriov.total_vfs;
        errval_t err = pci_sriov_enable(t, (uint16_t)k, want);
        if (err_is_ok(err))
            kprintf("sriov: %04x:%04x at %02x:%02x.%x: %u of %u VFs enabled\n", vendor, device,
                    PCI_RID_BUS(r), PCI_RID_DEV(r), PCI_RID_FN(r), want, total);
        else
            kprintf("sriov: %04x:%04x at %02x:%02x.%x: cannot enable %u VFs (TotalVFs %u): %s (%s)\n",
                    vendor, device, PCI_RID_BUS(r), PCI_RID_DEV(r), PCI_RID_FN(r), want, total,
                    err_name(err_no(err)), err_msg(err_no(err)));
    }
}
