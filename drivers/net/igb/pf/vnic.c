/*
 * vnic.c: which VF belongs to which domain. A VNIC capability names one
 * SR-IOV VF and the domain holding it.
 *
 * Kernel.vnic_create (vnic_invoke.c) takes a free VF here: it gets its
 * own VT-d protection domain with nothing mapped, may decode memory and
 * master DMA, and belongs to the domain until the last copy of its VNIC
 * capability goes (or the domain ends): then it stops mastering, loses
 * its filters, doorbell and DMA mappings, leaves its IOMMU domain and is
 * free again. State lives on the NIC's core; other cores reach it through
 * forward.c.
 */
#include <net/igb/pf/vnic.h>
#include <net/igb/pf/pf.h>
#include <net/igb/pf/forward.h>
#include <iommu/vtd/vtd.h>
#include <pci/pci.h>
#include <pci/regs.h>
#include <cap/mdb.h>
#include <console.h>

struct igb_vnic igb_vnics[IGB_MAX_VFS];
static struct pci_table *vnic_pci;

void igb_vnic_init(struct pci_table *t)
{
    vnic_pci = t;
    igb_dma_canary_init();
    vtd_set_fault_hook(igb_dma_fault);
    igb_doorbell_init();
}

uint32_t igb_vnic_holder(unsigned vf)
{
    return vf < IGB_MAX_VFS ? igb_vnics[vf].holder : 0;
}

struct igb_vnic *igb_vnic_held(unsigned vf, uint32_t holder)
{
    return vf < IGB_MAX_VFS && holder && igb_vnics[vf].holder == holder ? &igb_vnics[vf] : NULL;
}

const struct pci_dev *igb_vf_dev(unsigned vf)
{
    for (unsigned i = 0; vnic_pci && i < vnic_pci->n; i++)
        if (vnic_pci->dev[i].rid == igb_pf.vf_rid[vf] && vnic_pci->dev[i].is_vf)
            return &vnic_pci->dev[i];
    return NULL;
}

const struct pci_ops *igb_pci_ops(void)
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

errval_t igb_vnic_take(uint32_t holder, uint64_t *vf_out, uint64_t *bar_out)
{
    if (!igb_pf.up || !vnic_pci)
        return IGB_ERR_NOT_UP;
    unsigned vf = 0;
    while (vf < igb_pf.nvfs && igb_vnics[vf].holder)
        vf++;
    const struct pci_dev *dev = vf < igb_pf.nvfs ? igb_vf_dev(vf) : NULL;
    if (!dev)
        return VNIC_ERR_NONE_FREE;
    if (!vtd_enabled())
        return VNIC_ERR_NO_IOMMU;
    struct igb_vnic *v = &igb_vnics[vf];
    struct vtd_domain *dom;
    errval_t err = vtd_domain_create(&dom);
    if (err_is_fail(err))
        return err_push(err, VNIC_ERR_NO_IOMMU);
    if (err_is_fail(err = vtd_attach(dom, dev->rid >> 8, dev->rid & 0xff))) {
        vtd_domain_destroy(dom);
        return err_push(err, VNIC_ERR_NO_IOMMU);
    }
    v->dma = (struct vtd_dmaset){ .dom = dom, .max = IGB_VNIC_DMA_MAX };
    v->holder = holder;
    set_master(vf, true);
    kprintf("vnic: VF %u (%02x:%02x.%x) is now domain %#x's (core %u), in its own IOMMU domain\n",
            vf, dev->rid >> 8, (dev->rid >> 3) & 31, dev->rid & 7, holder, holder >> 16);
    *vf_out = vf;
    *bar_out = dev->bar[0].addr;
    return ERR_OK;
}

void igb_vnic_release(unsigned vf, uint32_t holder)
{
    struct igb_vnic *v = igb_vnic_held(vf, holder);
    if (!v)
        return;
    set_master(vf, false);
    igb_filter_vnic_released(vf);
    igb_doorbell_vnic_released(vf);
    vtd_dmaset_clear(&v->dma);
    pci_rid_t rid = igb_pf.vf_rid[vf];
    vtd_detach(v->dma.dom, rid >> 8, rid & 0xff);
    vtd_domain_destroy(v->dma.dom);
    kprintf("vnic: VF %u is free again (domain %#x let go of it)\n", vf, holder);
    *v = (struct igb_vnic){ 0 };
}

void igb_vnic_removed(struct cte *slot)
{
    if (!mdb_is_last_copy(slot))
        return;                         /* copies remain: the VF stays with its holder */
    igb_tell(IGB_OP_VNIC_RELEASE, &(struct igb_req){ .vf = igb_vnic_cap_vf(slot),
                                                     .holder = igb_vnic_cap_holder(slot) });
}

/* A VNIC capability names its VF and its holder (the domain id says the
 * holder's core), so a stale one never reaches a VF given to someone else. */
#define VNIC_RAW(vf, holder) ((uint64_t)(vf) | (uint64_t)(holder) << 32)
#define RAW_VF(raw) ((unsigned)((raw) & 0xffff))
#define RAW_HOLDER(raw) ((uint32_t)((raw) >> 32))

unsigned igb_vnic_cap_vf(const struct cte *slot) { return RAW_VF(slot->cap.u.raw); }
uint32_t igb_vnic_cap_holder(const struct cte *slot) { return RAW_HOLDER(slot->cap.u.raw); }

struct capability igb_vnic_cap(uint64_t vf, uint32_t holder, uint64_t bar)
{
    struct capability cap = { .type = CAP_VNIC, .rights = CAP_RIGHT_ALL, .base = bar,
                              .bytes = IGB_VNIC_REGS_BYTES };
    cap.u.raw = VNIC_RAW(vf, holder);
    return cap;
}
