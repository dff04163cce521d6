/*
 * ctl.c: the NVMe controller under the control plane, on the core that
 * owns PCI.
 *
 * At boot the first NVMe function (class 01.08.02) is found and stopped:
 * SeaBIOS leaves it enabled (CC.EN = 1) with its queues in firmware
 * memory, so CC.EN is cleared and CSTS.RDY awaited (at most CAP.TO), and
 * bus mastering is turned off. Nobody holds it yet.
 *
 * nvme_ctl_take gives it to one domain (the VSIC service): it gets a VT-d
 * domain of its own with nothing mapped, memory decoding and bus mastering
 * on. The holder registers Frames for DMA (dmaset). nvme_ctl_release (the
 * last NVMe capability went) stops the controller again, unmaps every
 * Frame, detaches it and destroys the domain, so whatever queues the
 * holder left can reach nothing.
 */
#include <storage/nvme/kernel/nvme.h>
#include <storage/nvme/shared/regs.h>
#include <iommu/vtd/vtd.h>
#include <pci/doorbell.h>
#include <pci/regs.h>
#include <arch/apic.h>
#include <arch/cpu.h>
#include <arch/paging.h>
#include <console.h>
#include <core.h>
#include <mmio.h>

#define NVME_CLASS      0x01
#define NVME_SUBCLASS   0x08
#define NVME_PROGIF     0x02
#define NVME_STOP_MIN_MS 500     /* if CAP.TO reads 0 */

struct nvme_ctl nvme_ctl;

static uint32_t rd32(unsigned off) { return mmio_read32(nvme_ctl.regs + off); }
static void wr32(unsigned off, uint32_t v) { mmio_write32(nvme_ctl.regs + off, v); }
static uint64_t rd64(unsigned off) { return rd32(off) | (uint64_t)rd32(off + 4) << 32; }

/* CC.EN = 0 and CSTS.RDY = 0 within CAP.TO: the controller processes no
 * queue and does no DMA any more (NVMe 1.4 7.6.2: a reset deletes them). */
static errval_t stop(void)
{
    uint32_t to = NVME_CAP_TO_MS(rd64(NVME_CAP));
    if (to < NVME_STOP_MIN_MS)
        to = NVME_STOP_MIN_MS;
    wr32(NVME_CC, rd32(NVME_CC) & ~NVME_CC_EN);
    uint64_t hz = tsc_hz() ? tsc_hz() : 4000000000ull;
    uint64_t end = rdtsc() + hz / 1000 * to;
    while (rd32(NVME_CSTS) & NVME_CSTS_RDY) {
        if (rdtsc() > end)
            return NVME_ERR_READY_TIMEOUT;
        cpu_relax();
    }
    return ERR_OK;
}

static void command(uint16_t set, uint16_t clear)
{
    pci_command(nvme_ctl.ops, nvme_ctl.rid, set, clear);
}

void nvme_ctl_init(struct pci_table *t)
{
    const struct pci_dev *d = NULL;
    for (unsigned i = 0; i < t->n && !d; i++)
        if (t->dev[i].cls == NVME_CLASS && t->dev[i].subclass == NVME_SUBCLASS &&
            t->dev[i].progif == NVME_PROGIF && !t->dev[i].is_vf)
            d = &t->dev[i];
    if (!d) {
        kprintf("nvme: no NVMe controller\n");
        return;
    }
    const struct pci_bar *b = &d->bar[0];
    if (b->size < NVME_REGS_BYTES || b->kind == PCI_BAR_IO ||
        (d->caps.msix && d->msix.table_bir == 0 && d->msix.table_off < NVME_REGS_BYTES)) {
        kprintf("nvme: %04x:%04x: BAR0 (%#lx bytes) does not hold the registers and doorbells "
                "apart from the MSI-X table; left alone\n", d->vendor, d->device, b->size);
        return;
    }
    volatile void *va;
    errval_t err = pci_bar_map(b, NVME_REGS_BYTES, &va);
    if (err_is_fail(err)) {
        kprint_err("nvme: map BAR0", err);
        return;
    }
    nvme_ctl.regs = va;
    nvme_ctl.ops = &t->ops;
    nvme_ctl.dev = d;
    nvme_ctl.rid = d->rid;
    nvme_ctl.vendor = d->vendor;
    nvme_ctl.device = d->device;
    nvme_ctl.bar = b->addr;
    nvme_ctl.owner_core = this_core()->id;
    command(PCI_COMMAND_MEMORY, 0);
    bool was_on = rd32(NVME_CC) & NVME_CC_EN;
    err = stop();
    command(0, PCI_COMMAND_MASTER);
    if (err_is_fail(err)) {
        kprint_err("nvme: the controller did not stop; left alone", err);
        return;
    }
    uint32_t vs = rd32(NVME_VS);
    kprintf("nvme: %04x:%04x at %02x:%02x.%x, NVMe %u.%u, BAR0 %#lx; stopped (%s), "
            "no DMA until given to the VSIC service\n", d->vendor, d->device, d->rid >> 8,
            (d->rid >> 3) & 31, d->rid & 7, vs >> 16, (vs >> 8) & 0xff, b->addr,
            was_on ? "the firmware had left it enabled" : "it was disabled");
    nvme_ctl.up = true;
}

errval_t nvme_ctl_take(uint32_t holder, uint64_t *ident, uint64_t *bar)
{
    if (!nvme_ctl.up)
        return NVME_ERR_NOT_UP;
    if (nvme_ctl.holder)
        return NVME_ERR_TAKEN;
    if (!vtd_enabled())
        return NVME_ERR_NO_IOMMU;
    struct vtd_domain *dom;
    errval_t err = vtd_domain_create(&dom);
    if (err_is_fail(err))
        return err_push(err, NVME_ERR_NO_IOMMU);
    if (err_is_fail(err = vtd_attach(dom, nvme_ctl.rid >> 8, nvme_ctl.rid & 0xff))) {
        vtd_domain_destroy(dom);
        return err_push(err, NVME_ERR_NO_IOMMU);
    }
    nvme_ctl.dma = (struct vtd_dmaset){ .dom = dom };
    nvme_ctl.holder = holder;
    command(PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 0);
    kprintf("nvme: controller %02x:%02x.%x is now domain %#x's (core %u), in its own IOMMU "
            "domain\n", nvme_ctl.rid >> 8, (nvme_ctl.rid >> 3) & 31, nvme_ctl.rid & 7, holder,
            holder >> 16);
    *ident = (uint64_t)nvme_ctl.vendor << 16 | nvme_ctl.device | (uint64_t)nvme_ctl.rid << 32;
    *bar = nvme_ctl.bar;
    return ERR_OK;
}

void nvme_ctl_release(uint32_t holder)
{
    if (!holder || nvme_ctl.holder != holder)
        return;
    errval_t err = stop();
    command(0, PCI_COMMAND_MASTER);
    if (nvme_bell != NVME_NO_BELL)
        pci_bell_silence(nvme_bell, holder);
    vtd_dmaset_clear(&nvme_ctl.dma);
    nvme_vsic_ctl_released();
    vtd_detach(nvme_ctl.dma.dom, nvme_ctl.rid >> 8, nvme_ctl.rid & 0xff);
    vtd_domain_destroy(nvme_ctl.dma.dom);
    nvme_ctl.dma = (struct vtd_dmaset){ 0 };
    nvme_ctl.holder = 0;
    kprintf("nvme: controller is free again (domain %#x let go of it)%s\n", holder,
            err_is_fail(err) ? "; it did not report stopped (CSTS.RDY), bus mastering is off" : "");
}

errval_t nvme_ctl_dma_register(uint32_t holder, uint64_t base, uint64_t bytes)
{
    if (!holder || nvme_ctl.holder != holder)
        return CAP_ERR_WRONG_TYPE;      /* a stale capability: someone else holds it now */
    return vtd_dmaset_add(&nvme_ctl.dma, base, bytes);
}

errval_t nvme_ctl_dma_unregister(uint32_t holder, uint64_t base)
{
    if (!holder || nvme_ctl.holder != holder)
        return CAP_ERR_WRONG_TYPE;
    return vtd_dmaset_remove(&nvme_ctl.dma, base);
}
