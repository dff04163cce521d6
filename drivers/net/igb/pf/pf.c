/*
 * pf.c: bring up the 82576 PF as the control plane of its VFs.
 *
 * Interface: igb_pf_init(table), once at boot on core 0 after SR-IOV has
 * enabled the VFs. It finds the PF (8086:10c9), maps BAR 0, resets the
 * device, tells the VFs the PF is up (CTRL_EXT.PFRSTD), brings the link up
 * through the PHY, and turns on VMDq: one pool per VF (pool n = VF n), the
 * PF in pool IGB_PF_POOL, switching between pools inside the NIC
 * (DTXSWC.LOOPBACK_EN). Each VF gets a locally administered MAC in a RAR
 * entry that selects its pool only; the entry is valid, and the pool takes
 * broadcast, untagged or VLAN frames, only as its VNIC's Filters say
 * (filter.c; VLAN filtering is always on). Then the mailbox (mailbox.c) answers the VFs from the tick.
 *
 * The PF itself does no DMA: no PF queue is enabled (bus mastering is on
 * only because QEMU receives from the wire only then; see
 * pci_command). Every wait is bounded by the TSC.
 *
 * Invariant: igb_pf.up is set last, after every register write here, so
 * the timer tick never polls a half-initialised device.
 */
#include <net/igb/pf/pf.h>
#include <net/igb/pf/nichw.h>
#include <net/nic/nic.h>
#include <arch/apic.h>
#include <arch/cpu.h>
#include <arch/paging.h>
#include <console.h>
#include <boot/cmdline.h>
#include <core.h>
#include <string.h>

#define IGB_RESET_WAIT_MS   100
#define IGB_MDIC_WAIT_MS    10
#define IGB_LINK_WAIT_MS    2000

struct igb_pf igb_pf;

static uint64_t deadline_ms(unsigned ms)
{
    uint64_t hz = tsc_hz() ? tsc_hz() : 4000000000ull;
    return rdtsc() + hz / 1000 * ms;
}

static void delay_ms(unsigned ms)
{
    uint64_t end = deadline_ms(ms);
    while (rdtsc() < end)
        cpu_relax();
}

/* Wait until (reg & mask) == want; false on timeout. */
static bool wait_reg(unsigned reg, uint32_t mask, uint32_t want, unsigned ms)
{
    uint64_t end = deadline_ms(ms);
    for (;;) {
        if ((igb_rd(reg) & mask) == want)
            return true;
        if (rdtsc() > end)
            return false;
        cpu_relax();
    }
}

static errval_t mdic(uint32_t op, unsigned reg, uint16_t data, uint16_t *out)
{
    igb_wr(IGB_MDIC, op | (uint32_t)reg << IGB_MDIC_REG_SHIFT |
                         (uint32_t)IGB_PHY_ADDR << IGB_MDIC_PHY_SHIFT | data);
    if (!wait_reg(IGB_MDIC, IGB_MDIC_READY, IGB_MDIC_READY, IGB_MDIC_WAIT_MS))
        return IGB_ERR_MDIC_TIMEOUT;
    uint32_t v = igb_rd(IGB_MDIC);
    if (v & IGB_MDIC_ERROR)
        return IGB_ERR_MDIC;
    if (out)
        *out = (uint16_t)(v & IGB_MDIC_DATA_MASK);
    return ERR_OK;
}

static const struct pci_dev *find_pf(const struct pci_table *t)
{
    for (unsigned i = 0; i < t->n; i++) {
        const struct pci_dev *d = &t->dev[i];
        if (d->vendor == 0x8086 && d->device == IGB_PF_DEVICE_ID && !d->is_vf)
            return d;
    }
    return NULL;
}


static errval_t reset(void)
{
    igb_wr(IGB_IMC, IGB_IRQ_ALL);
    igb_wr(IGB_CTRL, igb_rd(IGB_CTRL) | IGB_CTRL_RST);
    delay_ms(1);
    if (!wait_reg(IGB_CTRL, IGB_CTRL_RST, 0, IGB_RESET_WAIT_MS))
        return IGB_ERR_RESET_TIMEOUT;
    igb_wr(IGB_IMC, IGB_IRQ_ALL);
    (void)igb_rd(IGB_ICR);          /* read-clear what the reset raised */
    return ERR_OK;
}

static void link_up(const char *bdf)
{
    uint16_t bmcr = 0;
    igb_wr(IGB_CTRL, igb_rd(IGB_CTRL) | IGB_CTRL_SLU);
    errval_t err = mdic(IGB_MDIC_OP_READ, IGB_PHY_BMCR, 0, &bmcr);
    if (err_is_ok(err))
        err = mdic(IGB_MDIC_OP_WRITE, IGB_PHY_BMCR,
                   bmcr | IGB_BMCR_AUTOEN | IGB_BMCR_ANRESTART, NULL);
    if (err_is_fail(err)) {
        kprint_err("igb: PHY BMCR", err);
        return;
    }
    uint64_t t0 = rdtsc();
    if (wait_reg(IGB_STATUS, IGB_STATUS_LU, IGB_STATUS_LU, IGB_LINK_WAIT_MS)) {
        uint64_t hz = tsc_hz() ? tsc_hz() : 1;
        kprintf("igb: %s link up (%llu ms after auto-negotiation restart)\n", bdf,
                (unsigned long long)((rdtsc() - t0) * 1000 / hz));
    } else {
        kprintf("igb: %s WARNING: link still down %u ms after auto-negotiation restart;"
                " VFs will not see traffic\n", bdf, IGB_LINK_WAIT_MS);
    }
}

/* The pool's receive filters (its MAC's RAR entry, VMOLR) are whatever
 * its VNIC's Filters say: nothing until a Filter admits something. */
void igb_pool_setup(unsigned vf)
{
    nic_filters_apply(igb_nic);
    igb_wr(IGB_VFRE, igb_rd(IGB_VFRE) | 1u << vf);
    igb_wr(IGB_VFTE, igb_rd(IGB_VFTE) | 1u << vf);
}

static void vmdq_setup(void)
{
    uint32_t ral = igb_rd(IGB_RAL(0)), rah = igb_rd(IGB_RAH(0));
    uint32_t w[2] = {ral, rah};
    igb_words_to_mac(w, igb_pf.mac);
    igb_rar_encode(igb_pf.mac, IGB_PF_POOL, &ral, &rah);
    igb_wr(IGB_RAH(0), rah);        /* the PF's own address, in its pool */
    igb_wr(IGB_MRQC, IGB_MRQC_MRQE_VMDQ);
    igb_wr(IGB_VT_CTL, IGB_PF_POOL << IGB_VT_CTL_DEF_PL_SHIFT);
    igb_wr(IGB_VMOLR(IGB_PF_POOL), IGB_VMOLR_BAM | IGB_VMOLR_AUPE | IGB_VMOLR_ROPE);
    uint32_t spoof = 0;
    for (unsigned i = 0; i < igb_pf.nvfs; i++)
        spoof |= 1u << (i + IGB_DTXSWC_MAC_SPOOF_SHIFT);
    igb_wr(IGB_DTXSWC, IGB_DTXSWC_LOOPBACK_EN | spoof);
    igb_wr(IGB_VFRE, 1u << IGB_PF_POOL);
    igb_wr(IGB_VFTE, 1u << IGB_PF_POOL);
    for (unsigned i = 0; i < igb_pf.nvfs; i++)
        if (igb_pf.vf[i].present)
            igb_pool_setup(i);
    /* MSI-X mode: without it QEMU masks the VF bits of EICR, and no VF
     * interrupt (doorbell) is ever sent. The PF's own vectors stay unused. */
    igb_wr(IGB_GPIE, IGB_GPIE_MSIX_MODE | IGB_GPIE_PBA | IGB_GPIE_EIAME | IGB_GPIE_NSICR);
    /* Receive checksum checks for every pool (the VFs read them per frame). */
    igb_wr(IGB_RXCSUM, IGB_RXCSUM_IPOFL | IGB_RXCSUM_TUOFL);
    igb_wr(IGB_RCTL, IGB_RCTL_EN | IGB_RCTL_BAM | IGB_RCTL_VFE);
    igb_wr(IGB_TCTL, IGB_TCTL_EN | IGB_TCTL_PSP);
}


/* Record the PF's VFs from the table; false if there are too many. */
static bool find_vfs(const struct pci_table *t, const struct pci_dev *pf)
{
    unsigned pf_index = (unsigned)(pf - t->dev);
    for (unsigned i = 0; i < t->n; i++) {
        const struct pci_dev *d = &t->dev[i];
        if (!d->is_vf || d->pf != pf_index)
            continue;
        if (d->vf_index >= IGB_MAX_VFS)
            return false;
        struct igb_vf *vf = &igb_pf.vf[d->vf_index];
        vf->present = true;
        igb_vf_mac(d->vf_index, vf->mac);
        igb_pf.vf_rid[d->vf_index] = d->rid;
        if (d->vf_index == 0)
            igb_pf.vf0_bar = d->bar[0].addr;
        if (d->vf_index + 1u > igb_pf.nvfs)
            igb_pf.nvfs = d->vf_index + 1u;
    }
    return true;
}

void igb_pf_init(struct pci_table *t)
{
    const struct pci_dev *pf = find_pf(t);
    if (!pf) {
        kprintf("igb: no 82576 PF (8086:10c9) found\n");
        return;
    }
    char bdf[PCI_BDF_LEN];
    pci_bdf(pf->rid, bdf);
    if (!find_vfs(t, pf)) {
        kprint_err("igb: VFs", IGB_ERR_TOO_MANY_VFS);
        return;
    }
    volatile void *va;
    errval_t err = pci_bar_map(&pf->bar[0], IGB_BAR0_SIZE, &va);
    if (err_is_fail(err)) {
        kprint_err("igb: BAR 0", err_no(err) == PCI_ERR_BAR ? IGB_ERR_BAR : err);
        return;
    }
    igb_pf.regs = va;
    igb_pf.rid = pf->rid;
    igb_pf.owner_core = this_core()->id;
    /* Memory decoding and bus mastering on. The PF itself enables no
     * queue and does no DMA (and the IOMMU has no context for it: any PF
     * DMA would fault), but the NIC takes frames off the wire only while
     * the PF may master the bus: QEMU's igb checks the PF's Command.BME
     * before it receives for any pool (e1000x_rx_ready), as the VFs' DMA
     * rides on the PF's link. */
    pci_command(&t->ops, pf->rid, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 0);
    err = reset();
    if (err_is_fail(err)) {
        kprint_err("igb: reset", err);
        return;
    }
    igb_wr(IGB_CTRL_EXT, igb_rd(IGB_CTRL_EXT) | IGB_CTRL_EXT_PFRSTD);
    vmdq_setup();
    kprintf("igb: %s 82576 PF up, MAC %02x:%02x:%02x:%02x:%02x:%02x, pool %u, %u VFs,"
            " VMDq with switching between pools\n", bdf, igb_pf.mac[0], igb_pf.mac[1],
            igb_pf.mac[2], igb_pf.mac[3], igb_pf.mac[4], igb_pf.mac[5], IGB_PF_POOL,
            igb_pf.nvfs);
    link_up(bdf);
    for (unsigned i = 0; i < igb_pf.nvfs; i++) {
        const struct igb_vf *vf = &igb_pf.vf[i];
        if (!vf->present)
            continue;
        char vbdf[PCI_BDF_LEN];
        pci_bdf(igb_pf.vf_rid[i], vbdf);
        kprintf("igb: VF %u at %s: MAC %02x:%02x:%02x:%02x:%02x:%02x, pool %u\n", i, vbdf,
                vf->mac[0], vf->mac[1], vf->mac[2], vf->mac[3], vf->mac[4], vf->mac[5], i);
    }
    igb_mbx_init();
    nic_pf_up(igb_nic, t);
    igb_pf.up = true;
    if (cmdline_has("igb.selftest"))
        igb_selftest();
}
