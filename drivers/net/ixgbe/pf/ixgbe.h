/**
 * \file ixgbe.h
 * \brief drivers/net/ixgbe/pf/: the kernel half of the 82599 (X520)
 * driver (kernel module ixgbepf): the control plane. NOT RUN ON HARDWARE
 * here: no emulator models the 82599; written to the datasheet
 * (regs.h) and to what Linux ixgbe does for an 82599 with SFP+ cages.
 *
 * pf.c brings the first 82599 PF up (reset, SFP+ module, 10 GbE link,
 * 64-pool SR-IOV, a MAC and pool per VF); mailbox.c answers the VFs from
 * the timer tick (vfmsg.c decides, pure); hw.c writes what the Filter
 * compiler (filter_compile.c, pure) and the rate factor give.
 */
#ifndef NET_IXGBE_PF_IXGBE_H
#define NET_IXGBE_PF_IXGBE_H
#include <stdbool.h>
#include <stdint.h>
#include <kpi/errors.h>
#include <net/ixgbe/pf/regs.h>
#include <net/ixgbe/pf/filter.h>
#include <net/ixgbe/pf/sfp.h>
#include <net/ixgbe/pf/vfmsg.h>
#include <mmio.h>

struct ixgbe_pf {
    volatile uint8_t *regs;         /* BAR 0 */
    uint16_t rid;
    unsigned lan;                   /* STATUS.LAN_ID: port 0 or 1 of the card */
    unsigned owner_core;
    bool up;
    uint8_t mac[IXGBE_MAC_LEN];
    unsigned nvfs;                  /* VFs 0..nvfs-1; the PF's pool is nvfs */
    struct ixgbe_vf vf[IXGBE_MAX_VFS];
    uint16_t vf_rid[IXGBE_MAX_VFS];     /* each VF's PCI requester id */
    struct ixgbe_sfp sfp;
    uint32_t link_mbps;             /* 10000, or 0 while down */
};

extern struct ixgbe_pf ixgbe_pf;

static inline uint32_t ixgbe_rd(unsigned reg) { return mmio_read32(ixgbe_pf.regs + reg); }
static inline void ixgbe_wr(unsigned reg, uint32_t v) { mmio_write32(ixgbe_pf.regs + reg, v); }

/** The locally administered MAC a VF gets: 02:00:00:00:02:NN (igb's are :01:NN). */
static inline void ixgbe_vf_mac(unsigned vf, uint8_t *mac)
{
    static const uint8_t base[IXGBE_MAC_LEN] = {0x02, 0x00, 0x00, 0x00, 0x02, 0x00};
    for (int i = 0; i < IXGBE_MAC_LEN; i++)
        mac[i] = base[i];
    mac[5] = (uint8_t)vf;
}

struct pci_table;
/** Bring up the first 82599 PF in `t`; one line per step, one line and
 *  a clean stop on failure (the boot goes on). */
void ixgbe_pf_init(struct pci_table *t);
/** Busy-wait helpers bounded by the TSC (pf.c). */
void ixgbe_delay_us(unsigned us);
bool ixgbe_wait_reg(unsigned reg, uint32_t mask, uint32_t want, unsigned ms);
/** Take / give back the software-firmware semaphore for `mask` (GSSR_*). */
errval_t ixgbe_swfw_acquire(uint32_t mask);
void ixgbe_swfw_release(uint32_t mask);
/** A VF's pool: its RAR entry (MAC + MPSAR bit), Rx/Tx enable, anti-spoof. */
void ixgbe_pool_setup(unsigned vf);
/** Timer hook: answer VF mailbox messages and FLRs on the owner core. */
void ixgbe_tick(void);
void ixgbe_mbx_init(void);
/** Write the compiled filter state to the NIC (hw.c). */
void ixgbe_filter_apply(const struct ixgbe_filter_hw *hw);
/** Limit VF `vf`'s transmit queues (both) to `mbps` (0: no limit). */
errval_t ixgbe_rate_apply(unsigned vf, uint32_t mbps);
/** VF `vf`'s pool may receive and send (PFVFRE/PFVFTE), or not (hw.c). */
void ixgbe_vf_enable(unsigned vf, bool on);

#define IXGBE_VF_REGS_BYTES (16 * 1024)  /* a VNIC maps the VF's register BAR (8.3.5) */
struct nic;
/** The 82599 as the VNIC layer (drivers/net/nic) knows it (nichw.c). */
extern struct nic *ixgbe_nic;
void ixgbe_nic_register(void);
#endif
