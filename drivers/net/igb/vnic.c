/*
 * vnic.c: the VNIC capability: one SR-IOV VF owned by one domain.
 *
 * Kernel.vnic_create (a monitor's call, on the NIC's core) takes a free
 * VF, gives it its own VT-d protection domain with nothing mapped, lets it
 * decode memory and master DMA, and hands the domain a VNIC capability.
 * With it the domain maps the VF's register BAR (VNIC.map_regs; the MSI-X
 * BAR stays with the kernel) and registers the Frames the VF may DMA to
 * (VNIC.register_dma): only those are reachable through the IOMMU. When a
 * registered Frame's capability goes, its IOMMU mapping goes; when the
 * VNIC capability goes (or its domain ends), the VF stops mastering, is
 * detached from its IOMMU domain, and is free again.
 */
#include <net/igb/vnic.h>
#include <net/igb/pf.h>
#include <iommu/vtd/vtd.h>
#include <pci/pci.h>
#include <pci/regs.h>
#include <cspace.h>
#include <cap/mdb.h>
#include <dispatch.h>
#include <invoke_ops.h>
#include <mapping.h>
#include <console.h>
#include <core.h>
#include <kpi/monitor.h>
#include <memlayout.h>

#define VNIC_REGS_BYTES (16 * 1024)
#define VNIC_DMA_MAX 16

struct vnic {
    uint32_t holder;                /* domain id, 0: free */
    struct cte *slot;               /* the capability the holder got */
    struct vtd_domain *dom;
    struct { struct cte *frame; uint64_t base, bytes; } dma[VNIC_DMA_MAX];
};

static struct pci_table *vnic_pci;
static struct vnic vnics[IGB_MAX_VFS];

/* A page of kernel memory with a known pattern, checked after every DMA
 * fault of a VF: the IOMMU must have kept the device out of it. */
#define CANARY_WORD 0xca11ab1ec0ffee00ull
static uint64_t canary_pa;

void vnic_init(struct pci_table *t)
{
    vnic_pci = t;
    if (err_is_ok(pmm_alloc(&this_core()->pmm, 1, 1, &canary_pa))) {
        uint64_t *c = phys_to_virt(canary_pa);
        for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
            c[i] = CANARY_WORD + i;
        kprintf("vnic: kernel DMA canary page at %#lx\n", canary_pa);
    }
    vtd_set_fault_hook(vnic_dma_fault);
    doorbell_init();
}

static bool canary_intact(void)
{
    const uint64_t *c = phys_to_virt(canary_pa);
    for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
        if (c[i] != CANARY_WORD + i)
            return false;
    return true;
}

/* The IOMMU stopped a VF: tell the domain holding it (its error upcall, an
 * LMP message) and check the kernel's canary. */
void vnic_dma_fault(uint16_t sid, uint64_t addr, bool write)
{
    for (unsigned vf = 0; vf < igb_pf.nvfs; vf++) {
        if (igb_pf.vf_rid[vf] != sid || !vnics[vf].holder)
            continue;
        struct dcb *t = dispatch_find(vnics[vf].holder);
        uint64_t w[LMP_WORDS] = { MONITOR_MSG_VNIC_FAULT, addr, write, vf };
        if (t)
            dispatch_deliver(t, w, 0);
        if (canary_pa)
            kprintf("vnic: VF %u DMA fault at %#lx reported to domain %#x; kernel canary %s\n", vf,
                    addr, vnics[vf].holder, canary_intact() ? "intact" : "OVERWRITTEN");
    }
}

uint32_t vnic_holder(unsigned vf)
{
    return vf < IGB_MAX_VFS ? vnics[vf].holder : 0;
}

const struct pci_dev *vnic_vf_dev(unsigned vf)
{
    for (unsigned i = 0; vnic_pci && i < vnic_pci->n; i++)
        if (vnic_pci->dev[i].rid == igb_pf.vf_rid[vf] && vnic_pci->dev[i].is_vf)
            return &vnic_pci->dev[i];
    return NULL;
}

const struct pci_ops *vnic_pci_ops(void)
{
    return &vnic_pci->ops;
}

static void set_master(unsigned vf, bool on)
{
    const struct pci_ops *o = &vnic_pci->ops;
    pci_rid_t rid = igb_pf.vf_rid[vf];
    uint16_t cmd = pci_rd16(o, rid, PCI_COMMAND);
    cmd = on ? (cmd | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER) : (cmd & ~PCI_COMMAND_MASTER);
    pci_wr16(o, rid, PCI_COMMAND, cmd);
}

static struct sysret ret(errval_t e, uint64_t v) { return (struct sysret){ e, v }; }

struct sysret invoke_kernel_vnic_create(struct invocation *inv)
{
    if (!igb_pf.up || !vnic_pci)
        return ret(IGB_ERR_NOT_UP, 0);
    if (igb_pf.owner_core != this_core()->id)
        return ret(IGB_ERR_NOT_OWNER, igb_pf.owner_core);
    struct dcb *t = inv->arg[0] <= UINT32_MAX ? dispatch_find((uint32_t)inv->arg[0]) : NULL;
    if (!t || t->state != DOMAIN_RUNNABLE || t->secondary)
        return ret(SYS_ERR_NO_DOMAIN, 0);
    unsigned vf = 0;
    while (vf < igb_pf.nvfs && vnics[vf].holder)
        vf++;
    const struct pci_dev *dev = vf < igb_pf.nvfs ? vnic_vf_dev(vf) : NULL;
    if (!dev)
        return ret(VNIC_ERR_NONE_FREE, 0);
    struct cte *recv;
    errval_t err = cspace_lookup(t, CAP_TASK(TASKCN_SLOT_RECV), &recv);
    if (err_is_ok(err) && recv->cap.type != CAP_NULL)
        err = SYS_ERR_RECV_SLOT_FULL;
    if (err_is_fail(err))
        return ret(err, 0);
    struct vnic *v = &vnics[vf];
    if (!vtd_enabled())
        return ret(VNIC_ERR_NO_IOMMU, 0);
    if (err_is_fail(err = vtd_domain_create(&v->dom)))
        return ret(err_push(err, VNIC_ERR_NO_IOMMU), 0);
    if (err_is_fail(err = vtd_attach(v->dom, dev->rid >> 8, dev->rid & 0xff))) {
        vtd_domain_destroy(v->dom);
        return ret(err_push(err, VNIC_ERR_NO_IOMMU), 0);
    }
    struct capability cap = { .type = CAP_VNIC, .rights = CAP_RIGHT_ALL,
                              .base = dev->bar[0].addr, .bytes = VNIC_REGS_BYTES };
    cap.u.raw = vf;
    err = cap_create_root(&this_core()->mdb, recv, &cap);
    if (err_is_fail(err)) {
        vtd_detach(v->dom, dev->rid >> 8, dev->rid & 0xff);
        vtd_domain_destroy(v->dom);
        return ret(err, 0);
    }
    v->holder = t->id;
    v->slot = recv;
    set_master(vf, true);
    kprintf("vnic: VF %u (%02x:%02x.%x) is now domain %s (%#x)'s, in its own IOMMU domain\n", vf,
            dev->rid >> 8, (dev->rid >> 3) & 31, dev->rid & 7, t->name, t->id);
    uint64_t w[LMP_WORDS] = { MONITOR_MSG_CAP, inv->arg[1], vf, 0 };
    return ret(dispatch_deliver_cap(t, w, inv->d->id, CAP_TASK(TASKCN_SLOT_RECV)), vf);
}

static struct vnic *of(const struct cte *slot)
{
    uint64_t vf = slot->cap.u.raw;
    return vf < IGB_MAX_VFS && vnics[vf].holder ? &vnics[vf] : NULL;
}

struct sysret invoke_vnic_map_regs(struct invocation *inv)
{
    if (!of(inv->slot) || inv->d->id != of(inv->slot)->holder)
        return ret(CAP_ERR_WRONG_TYPE, 0);
    return ret(mapping_add(inv->d, inv->slot, inv->arg[0], inv->slot->cap.base,
                           inv->slot->cap.bytes, VSPACE_WRITE | VSPACE_UNCACHED), 0);
}

struct sysret invoke_vnic_register_dma(struct invocation *inv)
{
    struct vnic *v = of(inv->slot);
    struct cte *f;
    errval_t err = inv->arg[0] > UINT32_MAX ? SYS_ERR_ARG_RANGE
                                            : cspace_lookup(inv->d, (capaddr_t)inv->arg[0], &f);
    if (err_is_ok(err) && (f->cap.type != CAP_FRAME || (f->cap._reserved[CAP_FLAGS] & CAP_FLAG_IMPORTED)))
        err = CAP_ERR_WRONG_TYPE;
    if (err_is_ok(err) && !v)
        err = CAP_ERR_WRONG_TYPE;
    int free_i = -1;
    for (int i = 0; err_is_ok(err) && i < VNIC_DMA_MAX; i++) {
        if (v->dma[i].frame == f)
            err = MAP_ERR_ALREADY;
        else if (!v->dma[i].frame && free_i < 0)
            free_i = i;
    }
    if (err_is_ok(err) && free_i < 0)
        err = VNIC_ERR_TOO_MANY_DMA;
    if (err_is_ok(err))
        err = vtd_domain_map(v->dom, f->cap.base, f->cap.base, f->cap.bytes, VTD_PERM_READ | VTD_PERM_WRITE);
    if (err_is_fail(err))
        return ret(err, 0);
    v->dma[free_i].frame = f;
    v->dma[free_i].base = f->cap.base;
    v->dma[free_i].bytes = f->cap.bytes;
    return ret(ERR_OK, f->cap.base);
}

static void unregister(struct vnic *v, int i)
{
    vtd_domain_unmap(v->dom, v->dma[i].base, v->dma[i].bytes);
    v->dma[i].frame = NULL;
}

struct sysret invoke_vnic_unregister_dma(struct invocation *inv)
{
    struct vnic *v = of(inv->slot);
    struct cte *f;
    errval_t err = inv->arg[0] > UINT32_MAX ? SYS_ERR_ARG_RANGE
                                            : cspace_lookup(inv->d, (capaddr_t)inv->arg[0], &f);
    if (err_is_fail(err) || !v)
        return ret(err_is_fail(err) ? err : CAP_ERR_WRONG_TYPE, 0);
    for (int i = 0; i < VNIC_DMA_MAX; i++) {
        if (v->dma[i].frame == f) {
            unregister(v, i);
            return ret(ERR_OK, 0);
        }
    }
    return ret(VNIC_ERR_NOT_REGISTERED, 0);
}

void vnic_frame_removed(struct cte *frame)
{
    for (unsigned vf = 0; vf < IGB_MAX_VFS; vf++)
        for (int i = 0; vnics[vf].holder && i < VNIC_DMA_MAX; i++)
            if (vnics[vf].dma[i].frame == frame)
                unregister(&vnics[vf], i);
}

void vnic_removed(struct cte *slot)
{
    uint64_t vf = slot->cap.u.raw;
    struct vnic *v = vf < IGB_MAX_VFS ? &vnics[vf] : NULL;
    if (!v || !v->holder || !mdb_is_last_copy(slot))
        return;                         /* copies remain: the VF stays with its holder */
    set_master((unsigned)vf, false);
    igb_filter_vnic_released((unsigned)vf);
    doorbell_vnic_released((unsigned)vf);
    for (int i = 0; i < VNIC_DMA_MAX; i++)
        if (v->dma[i].frame)
            unregister(v, i);
    pci_rid_t rid = igb_pf.vf_rid[vf];
    vtd_detach(v->dom, rid >> 8, rid & 0xff);
    vtd_domain_destroy(v->dom);
    kprintf("vnic: VF %lu is free again (domain %#x let go of it)\n", vf, v->holder);
    *v = (struct vnic){ 0 };
}

/*
 * Rate specifier: the 82576 limits a transmit queue by a rate factor =
 * link speed / rate (RTTBCNRC, 8.12). The driver writes it and reads it
 * back; where the NIC does not keep it (QEMU's igb drops these writes), it
 * refuses with a named error instead of pretending.
 */
struct sysret invoke_vnic_rate_set(struct invocation *inv)
{
    struct vnic *v = of(inv->slot);
    uint64_t bytes_per_s = inv->arg[0];
    if (!v)
        return ret(CAP_ERR_WRONG_TYPE, 0);
    uint64_t mbps = bytes_per_s * 8 / 1000000;
    if (bytes_per_s && (mbps < 1 || mbps > IGB_LINK_MBPS))
        return ret(RATE_ERR_RANGE, 0);
    unsigned queue = (unsigned)inv->slot->cap.u.raw;        /* VF n owns queue n */
    uint32_t want = 0;
    if (bytes_per_s) {
        uint64_t rf = ((uint64_t)IGB_LINK_MBPS << 14) / mbps;   /* 14-bit fraction */
        want = IGB_RTTBCNRC_RS_ENA | (uint32_t)((rf << 0) & (IGB_RTTBCNRC_RF_INT_MASK | IGB_RTTBCNRC_RF_DEC_MASK));
    }
    igb_wr(IGB_RTTDQSEL, queue);
    igb_wr(IGB_RTTBCNRC, want | (want ? 0 : IGB_RTTBCNRC_RS_ENA));   /* probe with RS_ENA */
    uint32_t got = igb_rd(IGB_RTTBCNRC);
    if (!(got & IGB_RTTBCNRC_RS_ENA))
        return ret(RATE_ERR_NO_HW_LIMITER, 0);
    igb_wr(IGB_RTTBCNRC, want);
    return ret(ERR_OK, mbps);
}
