/**
 * \file pf.h
 * \brief drivers/net/igb/pf/ internals: the PF's state, shared by the kernel half.
 *
 * One PF, owned by the core that ran igb_pf_init (core 0); only that core
 * touches it, from boot and then from its timer tick, so there is no lock.
 */
#ifndef NET_IGB_PF_H
#define NET_IGB_PF_H
#include <net/igb/pf/igb.h>
#include <pci/pci.h>
#include <mmio.h>

struct igb_pf {
    volatile uint8_t *regs;         /* BAR 0, 128 KiB */
    pci_rid_t rid;
    uint32_t owner_core;            /* the core whose tick polls the mailbox */
    unsigned nvfs;
    uint8_t mac[IGB_MAC_LEN];       /* the PF's own (RAR 0) */
    struct igb_vf vf[IGB_MAX_VFS];
    pci_rid_t vf_rid[IGB_MAX_VFS];
    uint64_t vf0_bar;               /* VF 0's BAR 0 (igb.selftest) */
    volatile bool up;               /* written last by igb_pf_init */
};

extern struct igb_pf igb_pf;

static inline uint32_t igb_rd(unsigned off) { return mmio_read32(igb_pf.regs + off); }
static inline void igb_wr(unsigned off, uint32_t v) { mmio_write32(igb_pf.regs + off, v); }

/** Turn VF n's pool on (VFRE/VFTE) and program its RAR and VMOLR. */
void igb_pool_setup(unsigned vf);
/** Clear the mailbox state left from before (stale requests, FLRs). */
void igb_mbx_init(void);
/** igb.selftest: act as VF 0 against the mailbox; one result line. */
void igb_selftest(void);
#endif
