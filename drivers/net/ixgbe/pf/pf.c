/*
 * pf.c: bringing up the first 82599 PF (X520 port), as Linux ixgbe does
 * for an 82599 with SFP+ cages (ixgbe_82599.c, ixgbe_common.c), to the
 * datasheet's initialisation sequence (4.6.3; 4.6.10 for SR-IOV).
 * NOT RUN ON HARDWARE here: no emulator models the 82599. In QEMU it
 * finds no 8086:10fb (or another 82599 id) and says so in one line.
 *
 *  1. Find the PF by PCI id (discovery: PCI only), map BAR 0 (128 KiB),
 *     memory decoding and bus mastering on.
 *  2. Reset (4.6.3.2): master disable and wait for GIO_MES clear, then
 *     CTRL.RST|LRST, wait for it to clear (10 ms), mask and clear
 *     interrupts; the MAC from RAR 0 (loaded from the EEPROM);
 *     CTRL_EXT.DRV_LOAD tells the firmware a driver owns the port.
 *  3. SFP+ (Linux ixgbe_identify_sfp_module / setup_sfp_modules_82599):
 *     read the module's identifier, compliance and cable bytes over I2C,
 *     classify; run the EEPROM's init sequence for that module type
 *     (word 0x2B points at the list; each entry's data words go to
 *     CORECTL) under the MAC CSR semaphore; for optical modules turn the
 *     laser on (ESDP.SDP3 low).
 *  4. Link: AUTOC.LMS = 10 GbE serial (SFI, AUTOC2 says SFI), restart,
 *     wait up to 5 s for LINKS.UP at 10 GbE.
 *  5. SR-IOV, 64 pools x 2 queues (4.6.10.1): GCR_EXT.VT_MODE 64,
 *     GPIE VT_MODE 64 + MSI-X mode, MRQC 64 pools, MTQC VT (with the DCB
 *     arbiters stopped while it changes), PFVTCTL: virtualisation on,
 *     default pool = the PF's (after its VFs), replication on;
 *     PFDTXGSWC loopback between pools; CRC strip in HLREG0 and
 *     RDRXCTL (VFs need it); Rx and Tx on; every VF's pool set up
 *     (pool_setup); CTRL_EXT.PFRSTD so the VFs see RSTD.
 */
#include <net/ixgbe/pf/ixgbe.h>
#include <net/nic/nic.h>
#include <pci/pci.h>
#include <pci/regs.h>
#include <arch/apic.h>
#include <arch/cpu.h>
#include <arch/paging.h>
#include <console.h>
#include <boot/cmdline.h>
#include <core.h>
#include <string.h>
#include <fmt.h>

#define RESET_WAIT_MS       10
#define MASTER_WAIT_MS      100
#define SEM_WAIT_MS         200
#define LINK_WAIT_MS        5000
#define LASER_ON_MS         100
#define EEPROM_WAIT_MS      10
#define EE_SFP_INIT_LIST    0x2b    /* Linux IXGBE_PHY_INIT_OFFSET_NL */
#define EE_LIST_END         0xffff
#define CORECTL             0x14f00 /* 8.2.3.22.32 Core Analog Configuration */

struct ixgbe_pf ixgbe_pf;

static const uint16_t pf_ids[] = {
    IXGBE_DEV_82599_SFP, IXGBE_DEV_82599_SFP_EM, IXGBE_DEV_82599_SFP_SF2,
};

static uint64_t deadline_us(uint64_t us)
{
    uint64_t hz = tsc_hz() ? tsc_hz() : 4000000000ull;
    return rdtsc() + hz / 1000000 * us;
}

void ixgbe_delay_us(unsigned us)
{
    uint64_t end = deadline_us(us);
    while (rdtsc() < end)
        cpu_relax();
}

bool ixgbe_wait_reg(unsigned reg, uint32_t mask, uint32_t want, unsigned ms)
{
    uint64_t end = deadline_us(1000ull * ms);
    for (;;) {
        if ((ixgbe_rd(reg) & mask) == want)
            return true;
        if (rdtsc() > end)
            return false;
        cpu_relax();
    }
}

/* SWSM.SMBI then SWESMBI, the hardware semaphore around SW_FW_SYNC
 * (8.2.3.4.9-11; Linux ixgbe_get_eeprom_semaphore). */
static bool swsm_take(void)
{
    if (!ixgbe_wait_reg(IXGBE_SWSM, IXGBE_SWSM_SMBI, 0, SEM_WAIT_MS))
        return false;
    ixgbe_wr(IXGBE_SWSM, ixgbe_rd(IXGBE_SWSM) | IXGBE_SWSM_SWESMBI);
    if (ixgbe_rd(IXGBE_SWSM) & IXGBE_SWSM_SWESMBI)
        return true;
    ixgbe_wr(IXGBE_SWSM, ixgbe_rd(IXGBE_SWSM) & ~(IXGBE_SWSM_SMBI | IXGBE_SWSM_SWESMBI));
    return false;
}

static void swsm_give(void)
{
    ixgbe_wr(IXGBE_SWSM, ixgbe_rd(IXGBE_SWSM) & ~(IXGBE_SWSM_SMBI | IXGBE_SWSM_SWESMBI));
}

errval_t ixgbe_swfw_acquire(uint32_t mask)
{
    uint64_t end = deadline_us(1000ull * SEM_WAIT_MS);
    while (rdtsc() < end) {
        if (!swsm_take())
            continue;
        uint32_t sync = ixgbe_rd(IXGBE_SWFW_SYNC);
        if (!(sync & (mask | mask << IXGBE_GSSR_FW_SHIFT))) {
            ixgbe_wr(IXGBE_SWFW_SYNC, sync | mask);
            swsm_give();
            return ERR_OK;
        }
        swsm_give();
        ixgbe_delay_us(5000);       /* firmware holds it: Linux waits 5 ms a try */
    }
    return IXGBE_ERR_SEMAPHORE;
}

void ixgbe_swfw_release(uint32_t mask)
{
    if (swsm_take()) {
        ixgbe_wr(IXGBE_SWFW_SYNC, ixgbe_rd(IXGBE_SWFW_SYNC) & ~mask);
        swsm_give();
    }
}

static errval_t eeprom_read(uint16_t word, uint16_t *out)
{
    ixgbe_wr(IXGBE_EERD, (uint32_t)word << IXGBE_EERD_ADDR_SHIFT | IXGBE_EERD_START);
    if (!ixgbe_wait_reg(IXGBE_EERD, IXGBE_EERD_DONE, IXGBE_EERD_DONE, EEPROM_WAIT_MS))
        return IXGBE_ERR_SEMAPHORE;
    *out = (uint16_t)(ixgbe_rd(IXGBE_EERD) >> IXGBE_EERD_DATA_SHIFT);
    return ERR_OK;
}

static const struct pci_dev *find_pf(const struct pci_table *t)
{
    for (unsigned i = 0; i < t->n; i++) {
        const struct pci_dev *d = &t->dev[i];
        for (unsigned k = 0; k < sizeof(pf_ids) / sizeof(pf_ids[0]); k++)
            if (d->vendor == IXGBE_VENDOR_INTEL && d->device == pf_ids[k] && !d->is_vf)
                return d;
    }
    return NULL;
}

static errval_t reset(void)
{
    ixgbe_wr(IXGBE_CTRL, ixgbe_rd(IXGBE_CTRL) | IXGBE_CTRL_PCIE_MD);
    if (!ixgbe_wait_reg(IXGBE_STATUS, IXGBE_STATUS_GIO_MES, 0, MASTER_WAIT_MS))
        kprintf("ixgbe: master requests still pending after %u ms; resetting anyway\n",
                MASTER_WAIT_MS);
    ixgbe_wr(IXGBE_EIMC, IXGBE_EIMC_ALL);
    ixgbe_wr(IXGBE_CTRL, ixgbe_rd(IXGBE_CTRL) | IXGBE_CTRL_RST_MASK);
    ixgbe_delay_us(1000);
    if (!ixgbe_wait_reg(IXGBE_CTRL, IXGBE_CTRL_RST_MASK, 0, RESET_WAIT_MS))
        return IXGBE_ERR_RESET_TIMEOUT;
    ixgbe_delay_us(50000);          /* Linux: 50 ms for the EEPROM auto-read to settle */
    ixgbe_wr(IXGBE_EIMC, IXGBE_EIMC_ALL);
    ixgbe_wr(IXGBE_EICR, 0xffffffffu);
    uint32_t ral = ixgbe_rd(IXGBE_RAL(0)), rah = ixgbe_rd(IXGBE_RAH(0));
    for (int i = 0; i < 4; i++)
        ixgbe_pf.mac[i] = (uint8_t)(ral >> (8 * i));
    ixgbe_pf.mac[4] = (uint8_t)rah;
    ixgbe_pf.mac[5] = (uint8_t)(rah >> 8);
    ixgbe_pf.lan = (ixgbe_rd(IXGBE_STATUS) & IXGBE_STATUS_LAN_ID_MASK) >> IXGBE_STATUS_LAN_ID_SHIFT;
    ixgbe_wr(IXGBE_CTRL_EXT, ixgbe_rd(IXGBE_CTRL_EXT) | IXGBE_CTRL_EXT_DRV_LOAD);
    return ERR_OK;
}

/* The module, and the EEPROM's init sequence for it. */
static errval_t sfp_setup(void)
{
    uint8_t id = 0, c10 = 0, c1 = 0, cable = 0;
    errval_t err = ixgbe_sfp_read(SFF_IDENTIFIER, &id);
    if (err_is_fail(err))
        return err_push(err, IXGBE_ERR_SFP_NOT_PRESENT);
    if (err_is_ok(err))
        err = ixgbe_sfp_read(SFF_10GBE_COMP, &c10);
    if (err_is_ok(err))
        err = ixgbe_sfp_read(SFF_1GBE_COMP, &c1);
    if (err_is_ok(err))
        err = ixgbe_sfp_read(SFF_CABLE_TECH, &cable);
    if (err_is_fail(err))
        return err;
    err = ixgbe_sfp_classify(id, c10, c1, cable, &ixgbe_pf.sfp);
    kprintf("ixgbe: SFP+ module: %s (id %#x, 10G codes %#x, 1G codes %#x, cable %#x)\n",
            ixgbe_pf.sfp.name, id, c10, c1, cable);
    if (err_is_fail(err))
        return err;
    uint16_t want = ixgbe_sfp_init_id(&ixgbe_pf.sfp, ixgbe_pf.lan), list, sfp_id, data = 0;
    err = eeprom_read(EE_SFP_INIT_LIST, &list);
    if (err_is_ok(err) && (list == 0 || list == EE_LIST_END))
        err = IXGBE_ERR_SFP_UNSUPPORTED;
    for (list++; err_is_ok(err);) {
        err = eeprom_read(list, &sfp_id);
        if (err_is_fail(err) || sfp_id == EE_LIST_END) {
            err = err_is_ok(err) ? IXGBE_ERR_SFP_UNSUPPORTED : err;
            break;
        }
        if (sfp_id == want) {
            err = eeprom_read((uint16_t)(list + 1), &data);
            break;
        }
        list += 2;
    }
    if (err_is_fail(err))
        return err;
    err = ixgbe_swfw_acquire(IXGBE_GSSR_MAC_CSR_SM);
    if (err_is_fail(err))
        return err;
    uint16_t v;
    for (err = eeprom_read(++data, &v); err_is_ok(err) && v != EE_LIST_END;
         err = eeprom_read(++data, &v)) {
        ixgbe_wr(CORECTL, v);
        (void)ixgbe_rd(IXGBE_STATUS);   /* flush */
    }
    ixgbe_swfw_release(IXGBE_GSSR_MAC_CSR_SM);
    if (err_is_ok(err) && ixgbe_pf.sfp.type == IXGBE_SFP_SRLR_CORE0) {
        uint32_t esdp = ixgbe_rd(IXGBE_ESDP);
        ixgbe_wr(IXGBE_ESDP, (esdp | IXGBE_ESDP_SDP3_DIR) & ~IXGBE_ESDP_SDP3);  /* laser on */
        ixgbe_delay_us(1000u * LASER_ON_MS);
    }
    return err;
}

static void link_setup(const char *bdf)
{
    uint32_t autoc = ixgbe_rd(IXGBE_AUTOC);
    if ((ixgbe_rd(IXGBE_AUTOC2) & IXGBE_AUTOC2_10G_MASK) != IXGBE_AUTOC2_10G_SFI)
        kprintf("ixgbe: AUTOC2 does not say SFI for 10 GbE serial; setting SFI link mode anyway\n");
    autoc = (autoc & ~IXGBE_AUTOC_LMS_MASK) | IXGBE_AUTOC_LMS_10G_SFI | IXGBE_AUTOC_RESTART_AN;
    ixgbe_wr(IXGBE_AUTOC, autoc);
    uint64_t t0 = rdtsc();
    if (ixgbe_wait_reg(IXGBE_LINKS, IXGBE_LINKS_UP, IXGBE_LINKS_UP, LINK_WAIT_MS)) {
        uint32_t links = ixgbe_rd(IXGBE_LINKS);
        ixgbe_pf.link_mbps = (links & IXGBE_LINKS_SPEED_MASK) == IXGBE_LINKS_SPEED_10G ? 10000 : 1000;
        uint64_t hz = tsc_hz() ? tsc_hz() : 1;
        kprintf("ixgbe: %s link up at %u Mbit/s (%llu ms after AUTOC restart)\n", bdf,
                ixgbe_pf.link_mbps, (unsigned long long)((rdtsc() - t0) * 1000 / hz));
    } else {
        kprint_err("ixgbe: link", IXGBE_ERR_LINK_TIMEOUT);
    }
}

void ixgbe_pool_setup(unsigned vf)
{
    const struct ixgbe_vf *v = &ixgbe_pf.vf[vf];
    unsigned rar = 1 + vf;          /* RAR 0 is the PF's */
    ixgbe_wr(IXGBE_RAL(rar), (uint32_t)v->mac[0] | (uint32_t)v->mac[1] << 8 |
                             (uint32_t)v->mac[2] << 16 | (uint32_t)v->mac[3] << 24);
    /* valid only once a Filter admits frames to the MAC (hw.c sets AV) */
    ixgbe_wr(IXGBE_RAH(rar), (uint32_t)v->mac[4] | (uint32_t)v->mac[5] << 8);
    ixgbe_wr(IXGBE_MPSAR_LO(rar), vf < 32 ? 1u << vf : 0);
    ixgbe_wr(IXGBE_MPSAR_HI(rar), vf < 32 ? 0 : 1u << (vf - 32));
    ixgbe_wr(IXGBE_PFVFRE(vf / 32), ixgbe_rd(IXGBE_PFVFRE(vf / 32)) | 1u << (vf % 32));
    ixgbe_wr(IXGBE_PFVFTE(vf / 32), ixgbe_rd(IXGBE_PFVFTE(vf / 32)) | 1u << (vf % 32));
    ixgbe_wr(IXGBE_PFVFSPOOF(vf / 8), ixgbe_rd(IXGBE_PFVFSPOOF(vf / 8)) | IXGBE_PFVFSPOOF_MAC(vf));
    nic_filters_apply(ixgbe_nic);   /* the RAR entry is valid again if a Filter says so */
}

static void vt_setup(void)
{
    unsigned pf_pool = ixgbe_pf.nvfs;
    ixgbe_wr(IXGBE_GCR_EXT, (ixgbe_rd(IXGBE_GCR_EXT) & ~IXGBE_GCR_EXT_VT_MODE_MASK) |
                            IXGBE_GCR_EXT_VT_MODE_64 | IXGBE_GCR_EXT_MSIX_EN);
    ixgbe_wr(IXGBE_GPIE, (ixgbe_rd(IXGBE_GPIE) & ~IXGBE_GPIE_VTMODE_MASK) |
                         IXGBE_GPIE_VTMODE_64 | IXGBE_GPIE_MSIX_MODE);
    ixgbe_wr(IXGBE_MRQC, IXGBE_MRQC_VMDQ_64);
    ixgbe_wr(IXGBE_RTTDCS, ixgbe_rd(IXGBE_RTTDCS) | IXGBE_RTTDCS_ARBDIS);
    ixgbe_wr(IXGBE_MTQC, IXGBE_MTQC_VT_ENA | IXGBE_MTQC_64VF);
    ixgbe_wr(IXGBE_RTTDCS, ixgbe_rd(IXGBE_RTTDCS) & ~IXGBE_RTTDCS_ARBDIS);
    ixgbe_wr(IXGBE_PFVTCTL, IXGBE_PFVTCTL_VT_EN | IXGBE_PFVTCTL_RPL_EN |
                            (uint32_t)pf_pool << IXGBE_PFVTCTL_DEF_PL_SHIFT);
    ixgbe_wr(IXGBE_PFDTXGSWC, IXGBE_PFDTXGSWC_VT_LBEN);
    ixgbe_wr(IXGBE_HLREG0, ixgbe_rd(IXGBE_HLREG0) | IXGBE_HLREG0_RXCRCSTRP |
                           IXGBE_HLREG0_TXCRCEN | IXGBE_HLREG0_TXPADEN);
    ixgbe_wr(IXGBE_RDRXCTL, ixgbe_rd(IXGBE_RDRXCTL) | IXGBE_RDRXCTL_CRCSTRIP);
    ixgbe_wr(IXGBE_VLNCTRL, ixgbe_rd(IXGBE_VLNCTRL) | IXGBE_VLNCTRL_VFE);
    /* RAR 0: the PF's MAC, in the PF's pool */
    ixgbe_wr(IXGBE_MPSAR_LO(0), pf_pool < 32 ? 1u << pf_pool : 0);
    ixgbe_wr(IXGBE_MPSAR_HI(0), pf_pool < 32 ? 0 : 1u << (pf_pool - 32));
    for (unsigned vf = 0; vf < ixgbe_pf.nvfs; vf++)
        if (ixgbe_pf.vf[vf].present)
            ixgbe_pool_setup(vf);
    ixgbe_wr(IXGBE_DMATXCTL, ixgbe_rd(IXGBE_DMATXCTL) | IXGBE_DMATXCTL_TE);
    ixgbe_wr(IXGBE_RXCTRL, ixgbe_rd(IXGBE_RXCTRL) | IXGBE_RXCTRL_RXEN);
    ixgbe_wr(IXGBE_CTRL_EXT, ixgbe_rd(IXGBE_CTRL_EXT) | IXGBE_CTRL_EXT_PFRSTD);
}

static bool find_vfs(const struct pci_table *t, const struct pci_dev *pf)
{
    unsigned pf_index = (unsigned)(pf - t->dev);
    for (unsigned i = 0; i < t->n; i++) {
        const struct pci_dev *d = &t->dev[i];
        if (!d->is_vf || d->pf != pf_index)
            continue;
        if (d->vf_index >= IXGBE_MAX_VFS)
            return false;
        struct ixgbe_vf *vf = &ixgbe_pf.vf[d->vf_index];
        vf->present = true;
        vf->api = IXGBE_MBOX_API_10;
        ixgbe_vf_mac(d->vf_index, vf->mac);
        ixgbe_pf.vf_rid[d->vf_index] = d->rid;
        if (d->vf_index + 1u > ixgbe_pf.nvfs)
            ixgbe_pf.nvfs = d->vf_index + 1u;
    }
    return true;
}

void ixgbe_pf_init(struct pci_table *t)
{
    const struct pci_dev *pf = find_pf(t);
    if (!pf) {
        kprintf("ixgbe: no 82599 PF (8086:10fb, 1507, 154d) found\n");
        return;
    }
    char bdf[PCI_BDF_LEN];
    pci_bdf(pf->rid, bdf);
    if (!find_vfs(t, pf)) {
        kprint_err("ixgbe: VFs", IXGBE_ERR_TOO_MANY_VFS);
        return;
    }
    volatile void *va;
    errval_t err = pci_bar_map(&pf->bar[0], IXGBE_BAR0_MIN, &va);
    if (err_is_fail(err)) {
        kprint_err("ixgbe: BAR 0", err_no(err) == PCI_ERR_BAR ? IXGBE_ERR_BAR : err);
        return;
    }
    ixgbe_pf.regs = va;
    ixgbe_pf.rid = pf->rid;
    ixgbe_pf.owner_core = this_core()->id;
    pci_command(&t->ops, pf->rid, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 0);
    err = reset();
    if (err_is_fail(err)) {
        kprint_err("ixgbe: reset", err);
        return;
    }
    kprintf("ixgbe: %s 82599 PF (port %u) reset, MAC %02x:%02x:%02x:%02x:%02x:%02x, %u VFs\n",
            bdf, ixgbe_pf.lan, ixgbe_pf.mac[0], ixgbe_pf.mac[1], ixgbe_pf.mac[2],
            ixgbe_pf.mac[3], ixgbe_pf.mac[4], ixgbe_pf.mac[5], ixgbe_pf.nvfs);
    err = sfp_setup();
    if (err_is_fail(err)) {
        kprint_err("ixgbe: SFP+", err);
        return;                     /* no module we can run: leave the port down */
    }
    link_setup(bdf);
    vt_setup();
    ixgbe_mbx_init();
    nic_pf_up(ixgbe_nic, t);
    ixgbe_pf.up = true;
    kprintf("ixgbe: 64-pool SR-IOV on, PF pool %u, VF n = pool n (queues 2n, 2n+1)\n",
            ixgbe_pf.nvfs);
}
