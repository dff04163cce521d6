/**
 * \file regs.h
 * \brief Intel 82576 GbE controller (igb), PF registers this driver uses:
 * the kernel half's only (drivers/net/igb/pf/). The VF's register window,
 * which both halves use, is shared/vfregs.h; the descriptor formats, which
 * only the user half uses, are vf/desc.h.
 *
 * From the Intel 82576EB GbE Controller Datasheet, rev. 2.61 (order no.
 * 318599); section numbers are that revision's (8.x register descriptions,
 * 7.8 virtualization, 7.10 VMDq). Offsets are from BAR 0 (128 KiB).
 * Section numbers are given to the level checked (chapter 8 registers;
 * "8.10" where only the chapter was checked: no PDF was at hand, the
 * offsets and bits agree with Linux igb e1000_regs.h/e1000_defines.h and
 * QEMU igb_regs.h). Access: RW read-write, RO read-only, WO write-only, RC read-clear,
 * RW1C write 1 to clear, RWS self-clearing. Multi-bit fields are
 * _SHIFT/_MASK pairs with the mask in place. QEMU's igb (hw/net/igb_core.c)
 * implements a subset: see drivers/net/igb/README.md.
 */
#ifndef NET_IGB_PF_REGS_H
#define NET_IGB_PF_REGS_H
#include <stdint.h>
#include <net/igb/shared/mbx.h>     /* IGB_MBX_WORDS */

#define IGB_BAR0_SIZE       0x20000u    /* 128 KiB of registers */
#define IGB_PF_DEVICE_ID    0x10c9u     /* 82576 PF (vendor 8086) */
#define IGB_VF_DEVICE_ID    0x10cau
#define IGB_NUM_POOLS       8           /* VMDq pools = VFs 0-7; the PF takes one */
#define IGB_NUM_RAR         24          /* 16 in RAL/RAH + 8 in the second bank */

/* ---- General (8.2) ---- */
#define IGB_CTRL        0x00000 /* RW  Device Control (8.2.1) */
#define IGB_STATUS      0x00008 /* RO  Device Status (8.2.2) */
#define IGB_CTRL_EXT    0x00018 /* RW  Extended Device Control (8.2.3) */
#define IGB_MDIC        0x00020 /* RW  MDI Control, PHY access (8.2.4) */

/* 8.2.1 CTRL */
#define IGB_CTRL_SLU        (1u << 6)   /* 1: set link up (internal PHY: let it come up) */
#define IGB_CTRL_RST        (1u << 26)  /* RWS 1: software reset of the whole device */
#define IGB_CTRL_VME        (1u << 30)  /* 1: VLAN mode */

/* 8.2.2 STATUS */
#define IGB_STATUS_LU       (1u << 1)   /* 1: link up */
#define IGB_STATUS_SPEED_SHIFT 6        /* 00 10, 01 100, 1x 1000 Mb/s */
#define IGB_STATUS_SPEED_MASK  0x000000c0u

/* 8.2.3 CTRL_EXT */
#define IGB_CTRL_EXT_PFRSTD (1u << 14)  /* 1: PF reset done, VFs may run (clears VFs' RSTI) */

/* 8.2.4 MDIC */
#define IGB_MDIC_DATA_SHIFT 0
#define IGB_MDIC_DATA_MASK  0x0000ffffu
#define IGB_MDIC_REG_SHIFT  16          /* PHY register address */
#define IGB_MDIC_REG_MASK   0x001f0000u
#define IGB_MDIC_PHY_SHIFT  21          /* PHY address; the internal PHY is 1 */
#define IGB_MDIC_PHY_MASK   0x03e00000u
#define IGB_MDIC_OP_WRITE   (1u << 26)  /* OP 01: write */
#define IGB_MDIC_OP_READ    (2u << 26)  /* OP 10: read */
#define IGB_MDIC_READY      (1u << 28)  /* 1: the access completed */
#define IGB_MDIC_INT_EN     (1u << 29)  /* 1: interrupt at completion */
#define IGB_MDIC_ERROR      (1u << 30)  /* 1: the PHY did not answer / bad register */
#define IGB_PHY_ADDR        1

/* IEEE 802.3 clause 22 PHY registers (82576 8.23) */
#define IGB_PHY_BMCR            0x00    /* basic mode control */
#define IGB_BMCR_ANRESTART      (1u << 9)   /* 1: restart auto-negotiation (self-clearing) */
#define IGB_BMCR_AUTOEN         (1u << 12)  /* 1: auto-negotiation enabled */

/* ---- Interrupts (8.8) ---- */
#define IGB_ICR         0x000c0 /* RC  Interrupt Cause Read (8.8) */
#define IGB_IMS         0x000d0 /* RW  Interrupt Mask Set/Read (8.8) */
#define IGB_IMC         0x000d8 /* WO  Interrupt Mask Clear (8.8) */
#define IGB_ICR_LSC     (1u << 2)   /* link status change */
#define IGB_ICR_VMMB    (1u << 8)   /* VF mailbox message or VF FLR */
#define IGB_IRQ_ALL     0xffffffffu
#define IGB_RXCSUM      0x05000 /* RW  Receive Checksum Control (8.10) */
#define IGB_RXCSUM_IPOFL (1u << 8)  /* check IPv4 header checksums (RXD IPCS/IPE) */
#define IGB_RXCSUM_TUOFL (1u << 9)  /* check TCP/UDP checksums (RXD L4CS/TCPE) */
#define IGB_GPIE        0x01514 /* RW  General Purpose Interrupt Enable (8.8) */
#define IGB_GPIE_NSICR  (1u << 0)   /* clear ICR on read only if an interrupt is asserted */
#define IGB_GPIE_MSIX_MODE (1u << 4) /* 1: MSI-X: EICR bits are vectors (the VFs' too) */
#define IGB_GPIE_EIAME  (1u << 30)  /* 1: auto-mask via EIAM */
#define IGB_GPIE_PBA    (1u << 31)  /* 1: PBA support mode */

/* ---- Receive / transmit (8.10, 8.12) ---- */
#define IGB_RCTL        0x00100 /* RW  Receive Control (8.10) */
#define IGB_RCTL_EN     (1u << 1)   /* 1: receiver enabled */
#define IGB_RCTL_BAM    (1u << 15)  /* 1: accept broadcast */
#define IGB_RCTL_VFE    (1u << 18)  /* 1: VLAN filtering (VFTA, VLVF, VMOLR.AUPE) */
#define IGB_TCTL        0x00400 /* RW  Transmit Control (8.12) */
#define IGB_TCTL_EN     (1u << 1)   /* 1: transmitter enabled */
#define IGB_TCTL_PSP    (1u << 3)   /* 1: pad short packets */

/* ---- Receive address filters (8.10) ---- */
/* RAL/RAH n: 0-15 at 0x5400 + 8n, 16-23 at 0x54e0 + 8(n - 16). */
#define IGB_RAL(n)      ((n) < 16 ? 0x05400 + 8 * (n) : 0x054e0 + 8 * ((n) - 16)) /* RW Receive Address Low (8.10) */
#define IGB_RAH(n)      (IGB_RAL(n) + 4)  /* RW Receive Address High (8.10) */
#define IGB_RAH_ADDR_MASK   0x0000ffffu     /* MAC bytes 4-5 */
#define IGB_RAH_POOL_SHIFT  18              /* POOLSEL: bit 18 + p = pool p receives */
#define IGB_RAH_POOL_MASK   0x03fc0000u
#define IGB_RAH_AV          (1u << 31)      /* 1: entry valid */

/* ---- VLAN filters (8.10) ---- */
/* With RCTL.VFE a tagged frame must hit VFTA, then goes to the pools in
 * the VLVF entry of its VLAN id (ANDed with the pools its address picked);
 * an untagged frame goes only to pools with VMOLR.AUPE. */
#define IGB_VFTA(n)     (0x05600 + 4 * (n)) /* RW VLAN Filter Table Array, 128 x 32 bits (8.10) */
#define IGB_VFTA_WORDS  128
#define IGB_VLVF(n)     (0x05d00 + 4 * (n)) /* RW VLAN VM Filter, 32 entries (8.10) */
#define IGB_NUM_VLVF    32
#define IGB_VLVF_VLANID_MASK    0x00000fffu
#define IGB_VLVF_POOLSEL_SHIFT  12          /* bit 12 + p: pool p receives the VLAN */
#define IGB_VLVF_POOLSEL_MASK   0x000ff000u
#define IGB_VLVF_VLANID_EN      (1u << 31)  /* 1: entry valid */
/* 5-tuple queue filters (8.10): absent from QEMU's igb (read back 0). */
#define IGB_FTQF(n)     (0x059e0 + 4 * (n)) /* RW Five-Tuple Queue Filter, 8 entries (8.10) */
#define IGB_FTQF_PROTO_MASK     0x000000ffu

/* ---- Multiple receive queues and VMDq (8.10) ---- */
#define IGB_MRQC        0x05818 /* RW  Multiple Receive Queues Command (8.10) */
#define IGB_MRQC_MRQE_SHIFT 0
#define IGB_MRQC_MRQE_MASK  0x00000007u
#define IGB_MRQC_MRQE_VMDQ  0x3u    /* VMDq: pool by MAC/VLAN, no RSS */
#define IGB_VT_CTL      0x0581c /* RW  VMDq Control (8.10) */
#define IGB_VT_CTL_DEF_PL_SHIFT 7   /* default pool for unmatched unicast */
#define IGB_VT_CTL_DEF_PL_MASK  0x00000380u
#define IGB_VT_CTL_IGNORE_MAC   (1u << 28)  /* 1: pool by VLAN only (QEMU ignores) */
#define IGB_VT_CTL_DIS_DEF_PL   (1u << 29)  /* 1: drop unmatched unicast */
#define IGB_VT_CTL_REPL_EN      (1u << 30)  /* 1: replicate multicast/broadcast (QEMU: always) */
#define IGB_VMOLR(n)    (0x05ad0 + 4 * (n)) /* RW VM Offload Control, pool n (8.10) */
/* Transmit rate limiting (8.12): RTTDQSEL selects the queue whose
 * RTTBCNRC (rate factor) is read or written. QEMU's igb has neither. */
#define IGB_RTTDQSEL    0x03604             /* RW Tx Desc Plane Queue Select (8.12) */
#define IGB_RTTBCNRC    0x036b0             /* RW Tx BCN Rate-Scheduler Config (8.12) */
#define IGB_RTTBCNRC_RS_ENA     (1u << 31)  /* 1: rate limiting on for the queue */
#define IGB_RTTBCNRC_RF_INT_SHIFT 14        /* rate factor, integer part */
#define IGB_RTTBCNRC_RF_INT_MASK  0x0fffc000u
#define IGB_RTTBCNRC_RF_DEC_MASK  0x00003fffu /* rate factor, 14-bit fraction */
#define IGB_LINK_MBPS   1000                /* the rate factor is link speed / rate */
#define IGB_VMOLR_RLPML_MASK    0x00003fffu /* long packet max length */
#define IGB_VMOLR_LPE           (1u << 16)  /* 1: long packets allowed */
#define IGB_VMOLR_RSSE          (1u << 17)  /* 1: RSS inside the pool */
#define IGB_VMOLR_AUPE          (1u << 24)  /* 1: accept untagged packets */
#define IGB_VMOLR_ROMPE         (1u << 25)  /* 1: accept packets hitting the MTA hash */
#define IGB_VMOLR_ROPE          (1u << 26)  /* 1: accept unicast hitting the UTA hash */
#define IGB_VMOLR_BAM           (1u << 27)  /* 1: accept broadcast */
#define IGB_VMOLR_MPME          (1u << 28)  /* 1: multicast promiscuous */
#define IGB_VMOLR_STRVLAN       (1u << 30)  /* 1: strip VLAN tag */

/* ---- Virtualization: Tx switching, VF enables, mailboxes (8.14) ---- */
#define IGB_DTXSWC      0x03500 /* RW  DMA Tx Switch Control (8.12) */
#define IGB_DTXSWC_MAC_SPOOF_SHIFT  0   /* bit p: MAC anti-spoof for pool p */
#define IGB_DTXSWC_MAC_SPOOF_MASK   0x000000ffu
#define IGB_DTXSWC_VLAN_SPOOF_SHIFT 8   /* bit 8 + p: VLAN anti-spoof for pool p */
#define IGB_DTXSWC_VLAN_SPOOF_MASK  0x0000ff00u
#define IGB_DTXSWC_LOOPBACK_EN      (1u << 31)  /* 1: VM-to-VM switching inside the NIC */
#define IGB_WVBR        0x03554 /* RC  Wrong VM Behavior (spoofed Tx per pool) */

#define IGB_VMBMEM(n)       (0x00800 + 64 * (n))  /* RW Virtualization Mailbox Memory, VF n: 16 dwords (8.14) */
#define IGB_P2VMAILBOX(n)   (0x00c00 + 4 * (n))   /* RW PF-to-VF Mailbox, VF n (8.14) */
#define IGB_P2VMAILBOX_STS  (1u << 0)   /* WO 1: status/message ready for the VF */
#define IGB_P2VMAILBOX_ACK  (1u << 1)   /* WO 1: PF read the VF's message */
#define IGB_P2VMAILBOX_VFU  (1u << 2)   /* RO 1: buffer taken by the VF */
#define IGB_P2VMAILBOX_PFU  (1u << 3)   /* RW 1: buffer taken by the PF (only if VFU clear) */
#define IGB_P2VMAILBOX_RVFU (1u << 4)   /* WO 1: take the buffer from the VF */
#define IGB_MBVFICR     0x00c80 /* RW1C Mailbox VF Interrupt Cause (8.14) */
#define IGB_MBVFICR_VFREQ_SHIFT 0       /* bit n: VF n sent a message */
#define IGB_MBVFICR_VFREQ_MASK  0x000000ffu
#define IGB_MBVFICR_VFACK_SHIFT 16      /* bit 16 + n: VF n acknowledged ours */
#define IGB_MBVFICR_VFACK_MASK  0x00ff0000u
#define IGB_MBVFIMR     0x00c84 /* RW  Mailbox VF Interrupt Mask (8.14) */
#define IGB_VFLRE       0x00c88 /* RW1C VF Function Level Reset Events (8.14) */
#define IGB_VFRE        0x00c8c /* RW  VF Receive Enables, bit n = pool n (8.14) */
#define IGB_VFTE        0x00c90 /* RW  VF Transmit Enables, bit n = pool n (8.14) */

_Static_assert(IGB_RAL(15) == 0x5478 && IGB_RAL(16) == 0x54e0 && IGB_RAH(23) == 0x551c,
               "RAL/RAH: two banks, 16 + 8 entries");
_Static_assert(IGB_RAH_POOL_MASK == (0xffu << IGB_RAH_POOL_SHIFT), "RAH POOLSEL is 8 bits");
_Static_assert(IGB_VLVF_POOLSEL_MASK == (0xffu << IGB_VLVF_POOLSEL_SHIFT), "VLVF POOLSEL is 8 bits");
_Static_assert(IGB_VMBMEM(7) + 4 * IGB_MBX_WORDS <= IGB_P2VMAILBOX(0),
               "eight 64-byte mailbox buffers end before P2VMAILBOX");
_Static_assert(IGB_VT_CTL_DEF_PL_MASK == (7u << IGB_VT_CTL_DEF_PL_SHIFT), "DEF_PL is 3 bits");

#endif
