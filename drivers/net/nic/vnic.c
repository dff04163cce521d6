/*
 * vnic.c: which VF belongs to which domain, for any registered NIC. A
 * VNIC capability names the NIC, one of its SR-IOV VFs and the domain
 * holding it.
 *
 * Kernel.vnic_create (invoke.c) takes a free VF here (the book picks it):
 * it gets its own VT-d protection domain with nothing mapped, may decode
 * memory and master DMA, its queues are let run (the NIC's vf_enable),
 * and it belongs to the domain until the last copy of its VNIC capability
 * goes (or the domain ends): then it stops mastering, loses its filters,
 * doorbell and DMA mappings, leaves its IOMMU domain and is free again.
 * State lives on the NIC's core; other cores reach it through forward.c.
 */
#include <net/nic/priv.h>
#include <iommu/vtd/vtd.h>
#include <pci/pci.h>
#include <pci/regs.h>
#include <cap/mdb.h>
#include <console.h>

const struct pci_dev *nic_vf_dev(const struct nic *n, unsigned vf)
{
    const struct pci_table *t = n->pci;
    if (!t || vf >= n->book.nvfs)
        return NULL;
    uint16_t rid = n->ops->vf_rid(vf);
    for (unsigned i = 0; i < t->n; i++)
        if (t->dev[i].rid == rid && t->dev[i].is_vf)
            return &t->dev[i];
    return NULL;
}

static void set_master(const struct nic *n, unsigned vf, bool on)
{
    const struct pci_ops *o = &n->pci->ops;
    pci_rid_t rid = n->ops->vf_rid(vf);
    uint16_t cmd = pci_rd16(o, rid, PCI_COMMAND);
    cmd = on ? (cmd | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER) : (cmd & ~PCI_COMMAND_MASTER);
    pci_wr16(o, rid, PCI_COMMAND, cmd);
}

errval_t nic_vnic_take(struct nic *n, uint32_t holder, uint64_t *vf_out, uint64_t *bar_out)
{
    if (!nic_is_up(n))
        return IGB_ERR_NOT_UP;
    unsigned vf;
    errval_t err = nic_book_pick(&n->book, &vf);
    const struct pci_dev *dev = err_is_ok(err) ? nic_vf_dev(n, vf) : NULL;
    if (!dev)
        return VNIC_ERR_NONE_FREE;
    if (!vtd_enabled())
        return VNIC_ERR_NO_IOMMU;
    struct vtd_domain *dom;
    if (err_is_fail(err = vtd_domain_create(&dom)))
        return err_push(err, VNIC_ERR_NO_IOMMU);
    if (err_is_fail(err = vtd_attach(dom, dev->rid >> 8, dev->rid & 0xff))) {
        vtd_domain_destroy(dom);
        return err_push(err, VNIC_ERR_NO_IOMMU);
    }
    if (err_is_fail(err = nic_book_bind(&n->book, vf, holder))) {
        vtd_detach(dom, dev->rid >> 8, dev->rid & 0xff);
        vtd_domain_destroy(dom);
        return err;
    }
    n->dma[vf] = (struct vtd_dmaset){ .dom = dom, .max = NIC_VNIC_DMA_MAX };
    set_master(n, vf, true);
    if (n->ops->vf_enable)
        n->ops->vf_enable(vf, true);
    kprintf("vnic: VF %u (%02x:%02x.%x) is now domain %#x's (core %u), in its own IOMMU domain\n",
            vf, dev->rid >> 8, (dev->rid >> 3) & 31, dev->rid & 7, holder, holder >> 16);
    *vf_out = vf;
    *bar_out = dev->bar[0].addr;
    return ERR_OK;
}

void nic_vnic_release(struct nic *n, unsigned vf, uint32_t holder)
{
    if (!nic_book_held(&n->book, vf, holder))
        return;
    if (n->ops->vf_enable)
        n->ops->vf_enable(vf, false);
    set_master(n, vf, false);
    nic_filter_vnic_released(n, vf);
    nic_doorbell_delete(n, vf, 0);
    struct vtd_dmaset *dma = &n->dma[vf];
    vtd_dmaset_clear(dma);
    pci_rid_t rid = n->ops->vf_rid(vf);
    vtd_detach(dma->dom, rid >> 8, rid & 0xff);
    vtd_domain_destroy(dma->dom);
    *dma = (struct vtd_dmaset){ 0 };
    nic_book_unbind(&n->book, vf, holder);
    kprintf("vnic: VF %u is free again (domain %#x let go of it)\n", vf, holder);
}

struct nic *nic_of_vnic(const struct cte *slot, unsigned *vf, uint32_t *holder)
{
    uint64_t w = slot->cap.u.raw;
    *vf = nic_vnic_word_vf(w);
    *holder = nic_vnic_word_holder(w);
    return nic_of(nic_vnic_word_nic(w));
}

void nic_vnic_removed(struct cte *slot)
{
    if (!mdb_is_last_copy(slot))
        return;                         /* copies remain: the VF stays with its holder */
    struct nic_req r = { 0 };
    struct nic *n = nic_of_vnic(slot, &r.vf, &r.holder);
    if (n)
        nic_tell(n, NIC_OP_VNIC_RELEASE, &r);
}

struct capability nic_vnic_cap(const struct nic *n, uint64_t vf, uint32_t holder, uint64_t bar)
{
    struct capability cap = { .type = CAP_VNIC, .rights = CAP_RIGHT_ALL, .base = bar,
                              .bytes = n->ops->vf_regs_bytes };
    cap.u.raw = nic_vnic_word(nic_index(n), (unsigned)vf, holder);
    return cap;
}
