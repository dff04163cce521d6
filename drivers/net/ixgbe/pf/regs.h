/**
 * \file regs.h
 * \brief Intel 82599 10 GbE controller (X520 adapters): the PF registers
 * and bits this driver uses.
 *
 * Datasheet: Intel 82599 10 GbE Controller Datasheet, order number
 * 322429-007, revision 2.6 (December 2010). Section numbers below are that
 * revision's, as Barrelfish's devices/e10k.dev (and Arrakis' released
 * copy of it) records them; where neither lists a register the number is
 * the neighbouring one inferred from the gap in their numbering and is
 * marked "(unverified)": no copy of the PDF was at hand here. Offsets and
 * bits agree with Linux's drivers/net/ethernet/intel/ixgbe/ixgbe_type.h.
 *
 * Access: RW read/write, RO read only, WO write only, RC clear on read,
 * W1C write 1 to clear, RWS self-clearing.
 */
#ifndef NET_IXGBE_PF_REGS_H
#define NET_IXGBE_PF_REGS_H
#include <stdint.h>

/* ---- PCI identity (9.3.3.1/9.3.3.2: device ids by SKU) ---- */
#define IXGBE_VENDOR_INTEL      0x8086u
#define IXGBE_DEV_82599_SFP     0x10fbu     /* X520-DA2/SR2: SFP+ cages (the R520's card) */
#define IXGBE_DEV_82599_SFP_EM  0x1507u
#define IXGBE_DEV_82599_SFP_SF2 0x154du
#define IXGBE_DEV_82599_KX4     0x10f7u
#define IXGBE_DEV_82599_CX4     0x10f9u
#define IXGBE_DEV_82599_T3_LOM  0x151cu
#define IXGBE_DEV_82599_VF      0x10edu     /* every 82599 VF (9.4 VF config space) */
#define IXGBE_BAR0_MIN          (128u << 10) /* 9.3.6.1: the CSR BAR is 128 KiB or more */

/* ---- 8.2.3.1 General control ---- */
#define IXGBE_CTRL              0x00000     /* RW 8.2.3.1.1 Device Control (unverified) */
#define IXGBE_CTRL_PCIE_MD      (1u << 2)   /* 1: PCIe master disable (no new requests) */
#define IXGBE_CTRL_LRST         (1u << 3)   /* RWS link reset */
#define IXGBE_CTRL_RST          (1u << 26)  /* RWS device reset: everything but PCI config/PHY */
#define IXGBE_CTRL_RST_MASK     (IXGBE_CTRL_LRST | IXGBE_CTRL_RST)
#define IXGBE_STATUS            0x00008     /* RO 8.2.3.1.2 Device Status (unverified) */
#define IXGBE_STATUS_LAN_ID_SHIFT 2         /* which port of the dual-port part */
#define IXGBE_STATUS_LAN_ID_MASK  0x0000000cu
#define IXGBE_STATUS_LINK_UP    (1u << 7)
#define IXGBE_STATUS_GIO_MES    (1u << 19)  /* 1: master requests still pending */
#define IXGBE_CTRL_EXT          0x00018     /* RW 8.2.3.1.3 Extended Device Control */
#define IXGBE_CTRL_EXT_PFRSTD   (1u << 14)  /* PF reset done: VFs see RSTD instead of RSTI */
#define IXGBE_CTRL_EXT_NS_DIS   (1u << 16)  /* no snoop disable */
#define IXGBE_CTRL_EXT_RO_DIS   (1u << 17)  /* relaxed ordering disable */
#define IXGBE_CTRL_EXT_DRV_LOAD (1u << 28)  /* tells firmware a driver owns the port */
#define IXGBE_ESDP              0x00020     /* RW 8.2.3.1.4 Extended SDP Control */
#define IXGBE_ESDP_SDP1         (1u << 1)   /* X520: SFP+ module present (0) on SDP2 for some boards */
#define IXGBE_ESDP_SDP2         (1u << 2)
#define IXGBE_ESDP_SDP3         (1u << 3)   /* SFP+ TX disable on X520 */
#define IXGBE_ESDP_SDP3_DIR     (1u << 11)

/* ---- 8.2.3.2 EEPROM/flash ---- */
#define IXGBE_EEC               0x10010     /* RW 8.2.3.2.1 EEPROM/Flash Control */
#define IXGBE_EEC_PRES          (1u << 8)   /* RO 1: an EEPROM is present */
#define IXGBE_EEC_ARD           (1u << 9)   /* RO 1: EEPROM auto-read done */
#define IXGBE_EERD              0x10014     /* RW 8.2.3.2.2 EEPROM Read */
#define IXGBE_EERD_START        (1u << 0)
#define IXGBE_EERD_DONE         (1u << 1)
#define IXGBE_EERD_ADDR_SHIFT   2
#define IXGBE_EERD_DATA_SHIFT   16

/* ---- 8.2.3.4 PCIe and semaphores ---- */
#define IXGBE_SWSM              0x10140     /* RW 8.2.3.4.9 Software Semaphore */
#define IXGBE_SWSM_SMBI         (1u << 0)   /* read 0 = got it; the hardware sets it */
#define IXGBE_SWSM_SWESMBI      (1u << 1)   /* software/firmware semaphore */
#define IXGBE_SWFW_SYNC         0x10160     /* RW 8.2.3.4.11 SW-FW synchronisation */
#define IXGBE_GSSR_PHY0_SM      (1u << 1)   /* software owns PHY 0 (and the I2C of port 0) */
#define IXGBE_GSSR_PHY1_SM      (1u << 2)
#define IXGBE_GSSR_MAC_CSR_SM   (1u << 3)   /* shared CSRs: AUTOC, AUTOC2 */
#define IXGBE_GSSR_FW_SHIFT     5           /* the same bits, firmware's, five higher */
#define IXGBE_GCR_EXT           0x11050     /* RW 8.2.3.4.12 PCIe Control Extended */
#define IXGBE_GCR_EXT_VT_MODE_MASK 0x3u
#define IXGBE_GCR_EXT_VT_MODE_64 0x3u       /* 64 pools: MSI-X and queues per VF */
#define IXGBE_GCR_EXT_MSIX_EN   (1u << 31)  /* from Linux ixgbe (not in e10k.dev) */
#define IXGBE_GCR_EXT_BUFFERS_CLEAR (1u << 30)

/* ---- 8.2.3.5 Interrupts ---- */
#define IXGBE_EICR              0x00800     /* W1C 8.2.3.5.1 Extended Interrupt Cause */
#define IXGBE_EICR_MAILBOX      (1u << 19)  /* a VF wrote its mailbox */
#define IXGBE_EICR_LSC          (1u << 20)  /* link status change */
#define IXGBE_EIMC              0x00888     /* WO 8.2.3.5.4 Interrupt Mask Clear */
#define IXGBE_EIMC_ALL          0x7fffffffu
#define IXGBE_EIMC_EX(i)        (0x00ab0 + 4 * (i))   /* WO 8.2.3.5.9, queues 0-63 */
#define IXGBE_GPIE              0x00898     /* RW 8.2.3.5.18 General Purpose Interrupt Enable */
#define IXGBE_GPIE_MSIX_MODE    (1u << 4)
#define IXGBE_GPIE_VTMODE_SHIFT 14
#define IXGBE_GPIE_VTMODE_MASK  (3u << 14)
#define IXGBE_GPIE_VTMODE_64    (3u << 14)  /* VFs have MSI-X vectors 0-1 (64-pool mode) */
#define IXGBE_L34TIMIR(i)       (0x0e800 + 4 * (i))   /* RW 8.2.3.5.13, 128 filters */
#define IXGBE_L34TIMIR_RESERVED (1u << 19)  /* bits 19:13 must be 1000000b (e10k.dev: mb1) */
#define IXGBE_L34TIMIR_LLI      (1u << 20)  /* low-latency interrupt on a match */
#define IXGBE_L34TIMIR_QUEUE_SHIFT 21
#define IXGBE_L34TIMIR_QUEUE_MASK  (0x7fu << 21)      /* bits 27:21: absolute Rx queue */
#define IXGBE_L34TIMIR_SIZE_BP  (1u << 12)

/* ---- 8.2.3.7 Receive filtering ---- */
#define IXGBE_FCTRL             0x05080     /* RW 8.2.3.7.1 Filter Control */
#define IXGBE_FCTRL_MPE         (1u << 8)
#define IXGBE_FCTRL_UPE         (1u << 9)
#define IXGBE_FCTRL_BAM         (1u << 10)  /* broadcast accept (PF; pools use VMOLR.BAM) */
#define IXGBE_VLNCTRL           0x05088     /* RW 8.2.3.7.2 VLAN Control */
#define IXGBE_VLNCTRL_VFE       (1u << 30)  /* VLAN filtering (VFTA, VLVF) on */
#define IXGBE_RXCSUM            0x05000     /* RW 8.2.3.7.5 Receive Checksum Control */
#define IXGBE_MTA(i)            (0x05200 + 4 * (i))   /* RW 8.2.3.7.7, 128 words */
#define IXGBE_RAL(i)            (0x0a200 + 8 * (i))   /* RW 8.2.3.7.8, 128 entries */
#define IXGBE_RAH(i)            (0x0a204 + 8 * (i))   /* RW 8.2.3.7.9 */
#define IXGBE_RAH_AV            (1u << 31)  /* entry valid */
#define IXGBE_RAH_ADDR_MASK     0x0000ffffu
#define IXGBE_NUM_RAR           128
#define IXGBE_MPSAR_LO(i)       (0x0a600 + 8 * (i))   /* RW 8.2.3.7.10 pools 0-31 of RAR i */
#define IXGBE_MPSAR_HI(i)       (0x0a604 + 8 * (i))   /*                pools 32-63 */
#define IXGBE_VFTA(i)           (0x0a000 + 4 * (i))   /* RW 8.2.3.7.11, 128 words */
#define IXGBE_VFTA_WORDS        128
#define IXGBE_MRQC              0x0ec80     /* RW 8.2.3.7.12 Multiple Receive Queues Command */
#define IXGBE_MRQC_VMDQ_64      0x8u        /* MRQE 1000b: virtualisation, 64 pools, no RSS */
#define IXGBE_SAQF(i)           (0x0e000 + 4 * (i))   /* RW 8.2.3.7.16 source IPv4 (network order) */
#define IXGBE_DAQF(i)           (0x0e200 + 4 * (i))   /* RW 8.2.3.7.17 destination IPv4 */
#define IXGBE_SDPQF(i)          (0x0e400 + 4 * (i))   /* RW 8.2.3.7.18 ports (network order) */
#define IXGBE_SDPQF_SRC_MASK    0x0000ffffu
#define IXGBE_SDPQF_DST_SHIFT   16
#define IXGBE_FTQF(i)           (0x0e600 + 4 * (i))   /* RW 8.2.3.7.19 five-tuple filter */
#define IXGBE_NUM_5TUPLE        128
#define IXGBE_FTQF_PROTO_MASK   0x3u        /* 00 TCP, 01 UDP, 10 SCTP, 11 other */
#define IXGBE_FTQF_PROTO_TCP    0x0u
#define IXGBE_FTQF_PROTO_UDP    0x1u
#define IXGBE_FTQF_PROTO_SCTP   0x2u
#define IXGBE_FTQF_PRIO_SHIFT   2           /* 3 bits: higher wins when several match */
#define IXGBE_FTQF_PRIO_MASK    (7u << 2)
#define IXGBE_FTQF_POOL_SHIFT   8           /* 6 bits: the pool the packet must be in */
#define IXGBE_FTQF_POOL_MASK    (0x3fu << 8)
#define IXGBE_FTQF_M_SRCADDR    (1u << 25)  /* 1: do not compare the source address */
#define IXGBE_FTQF_M_DSTADDR    (1u << 26)
#define IXGBE_FTQF_M_SRCPORT    (1u << 27)
#define IXGBE_FTQF_M_DSTPORT    (1u << 28)
#define IXGBE_FTQF_M_PROTO      (1u << 29)
#define IXGBE_FTQF_M_POOL       (1u << 30)  /* 1: do not compare the pool */
#define IXGBE_FTQF_QUEUE_EN     (1u << 31)  /* the filter is live */
#define IXGBE_ETQF(i)           (0x05128 + 4 * (i))   /* RW 8.2.3.7.21 ethertype filter, 8 */
#define IXGBE_ETQF_FILTER_EN    (1u << 31)
#define IXGBE_ETQF_POOL_SHIFT   20
#define IXGBE_ETQF_POOL_EN      (1u << 26)
#define IXGBE_ETQS(i)           (0x0ec00 + 4 * (i))   /* RW 8.2.3.7.22 its queue */
#define IXGBE_ETQS_QUEUE_SHIFT  16
#define IXGBE_ETQS_QUEUE_EN     (1u << 31)
#define IXGBE_NUM_ETQF          8

/* ---- 8.2.3.8 Receive DMA (PF view of queue q; VF q of pool p is 2p+q) ---- */
#define IXGBE_RXDCTL(q)         ((q) < 64 ? 0x01028 + 0x40 * (q) : 0x0d028 + 0x40 * ((q) - 64))  /* 8.2.3.8.6 */
#define IXGBE_RXDCTL_ENABLE     (1u << 25)
#define IXGBE_SRRCTL(q)         ((q) < 64 ? 0x01014 + 0x40 * (q) : 0x0d014 + 0x40 * ((q) - 64))  /* 8.2.3.8.7 */
#define IXGBE_RDRXCTL           0x02f00     /* RW 8.2.3.8.8 Receive DMA Control */
#define IXGBE_RDRXCTL_CRCSTRIP  (1u << 0)   /* must equal HLREG0.RXCRCSTRP */
#define IXGBE_RDRXCTL_DMAIDONE  (1u << 3)   /* RO DMA init done (bit 3, Linux; e10k.dev: bit 2) */
#define IXGBE_RXCTRL            0x03000     /* RW 8.2.3.8.10 Receive Control */
#define IXGBE_RXCTRL_RXEN       (1u << 0)
#define IXGBE_PFQDE             0x02f04     /* RW 8.2.3.27.9 Queue Drop Enable */

/* ---- 8.2.3.9 Transmit ---- */
#define IXGBE_DMATXCTL          0x04a80     /* RW 8.2.3.9.2 DMA Tx Control */
#define IXGBE_DMATXCTL_TE       (1u << 0)
#define IXGBE_TXDCTL(q)         (0x06028 + 0x40 * (q))   /* RW 8.2.3.9.10 */
#define IXGBE_TXDCTL_ENABLE     (1u << 25)
#define IXGBE_MTQC              0x08120     /* RW 8.2.3.9.15 Multiple Tx Queues Command */
#define IXGBE_MTQC_RT_ENA       (1u << 0)
#define IXGBE_MTQC_VT_ENA       (1u << 1)
#define IXGBE_MTQC_64VF         (1u << 2)   /* NUM_TC_OR_Q 01b with VT: 64 pools x 2 queues */

/* ---- 8.2.3.10 DCB: arbiters and the transmit rate scheduler ---- */
#define IXGBE_RTTDCS            0x04900     /* RW 8.2.3.10.2 Tx Descriptor Plane Control */
#define IXGBE_RTTDCS_ARBDIS     (1u << 6)   /* 1: arbiters stopped (while MTQC changes) */
#define IXGBE_RTTDQSEL          0x04904     /* RW 8.2.3.10.13 queue that RTTBCNRC addresses */
#define IXGBE_RTTBCNRM          0x04980     /* RW 8.2.3.10 rate-scheduler MMW size (subsection unverified) */
#define IXGBE_RTTBCNRM_MMW_1500 0x4u        /* Linux ixgbe: 0x4 without 9.5 KB jumbo frames */
#define IXGBE_RTTBCNRC          0x04984     /* RW 8.2.3.10.16 Tx rate-scheduler config */
#define IXGBE_RTTBCNRC_RF_DEC_MASK 0x00003fffu   /* rate factor, 14-bit fraction */
#define IXGBE_RTTBCNRC_RF_INT_SHIFT 14
#define IXGBE_RTTBCNRC_RF_INT_MASK (0x3ffu << 14) /* rate factor, 10-bit integer */
#define IXGBE_RTTBCNRC_RS_ENA   (1u << 31)  /* the queue is rate limited */

/* ---- 8.2.3.22 MAC and link ---- */
#define IXGBE_HLREG0            0x04240     /* RW 8.2.3.22.8 MAC Core Control 0 */
#define IXGBE_HLREG0_TXCRCEN    (1u << 0)
#define IXGBE_HLREG0_RXCRCSTRP  (1u << 1)   /* strip the CRC (VFs: required, 4.6.10.1.1) */
#define IXGBE_HLREG0_TXPADEN    (1u << 10)
#define IXGBE_MAXFRS            0x04268     /* RW 8.2.3.22.13 Max Frame Size (bits 31:16) */
#define IXGBE_AUTOC             0x042a0     /* RW 8.2.3.22.19 Auto Negotiation Control */
#define IXGBE_AUTOC_FLU         (1u << 0)
#define IXGBE_AUTOC_RESTART_AN  (1u << 12)
#define IXGBE_AUTOC_LMS_SHIFT   13
#define IXGBE_AUTOC_LMS_MASK    (7u << 13)
#define IXGBE_AUTOC_LMS_10G_SFI (3u << 13)  /* 10 GbE serial link, SFI, no backplane AN */
#define IXGBE_AUTOC_LMS_1G_AN   (2u << 13)  /* 1 GbE, clause 37 AN (1000BASE-SX/LX modules) */
#define IXGBE_LINKS             0x042a4     /* RO 8.2.3.22.20 Link Status */
#define IXGBE_LINKS_UP          (1u << 30)
#define IXGBE_LINKS_SPEED_SHIFT 28
#define IXGBE_LINKS_SPEED_MASK  (3u << 28)
#define IXGBE_LINKS_SPEED_10G   (3u << 28)
#define IXGBE_LINKS_SPEED_1G    (2u << 28)
#define IXGBE_AUTOC2            0x042a8     /* RW 8.2.3.22.22 */
#define IXGBE_AUTOC2_10G_SFI    (2u << 16)  /* 10 GbE serial PMA/PMD: SFI (00: KR) */
#define IXGBE_AUTOC2_10G_MASK   (3u << 16)

/* ---- 8.2.3.27 Virtualisation (PF) ---- */
#define IXGBE_PFVTCTL           0x051b0     /* RW 8.2.3.27.1 VT Control (Linux: VT_CTL) */
#define IXGBE_PFVTCTL_VT_EN     (1u << 0)
#define IXGBE_PFVTCTL_DEF_PL_SHIFT 7        /* default pool for unmatched unicast */
#define IXGBE_PFVTCTL_DEF_PL_MASK  (0x3fu << 7)
#define IXGBE_PFVTCTL_DIS_DEF_PL (1u << 29) /* 1: unmatched unicast is dropped */
#define IXGBE_PFVTCTL_RPL_EN    (1u << 30)  /* replicate broadcast/multicast to pools */
#define IXGBE_PFMAILBOX(v)      (0x04b00 + 4 * (v))   /* RW 8.2.3.27.2 (unverified), 64 */
#define IXGBE_PFMAILBOX_STS     (1u << 0)   /* WO the PF wrote a message */
#define IXGBE_PFMAILBOX_ACK     (1u << 1)   /* WO the PF took the VF's message */
#define IXGBE_PFMAILBOX_VFU     (1u << 2)   /* RO the VF holds the buffer */
#define IXGBE_PFMAILBOX_PFU     (1u << 3)   /* RW the PF holds the buffer */
#define IXGBE_PFMAILBOX_RVFU    (1u << 4)   /* WO take the buffer back from a VF */
#define IXGBE_PFMBICR(i)        (0x00710 + 4 * (i))   /* W1C 8.2.3.27.3 (unverified): VFs 16i..16i+15 */
#define IXGBE_PFMBICR_REQ_MASK  0x0000ffffu /* bit v%16: VF v posted a message */
#define IXGBE_PFMBICR_ACK_SHIFT 16          /* bit 16+v%16: VF v took the PF's message */
#define IXGBE_PFMBIMR(i)        (0x00720 + 4 * (i))   /* RW 8.2.3.27.4 (unverified) */
#define IXGBE_PFVFLRE(i)        ((i) ? 0x001c0 : 0x00600)  /* RO 8.2.3.27.5: VF FLR seen (Linux offsets) */
#define IXGBE_PFVFLREC(i)       (0x00700 + 4 * (i))   /* W1C 8.2.3.27.6 */
#define IXGBE_PFVFRE(i)         (0x051e0 + 4 * (i))   /* RW 8.2.3.27.7 Rx enable, pools 32i.. */
#define IXGBE_PFVFTE(i)         (0x08110 + 4 * (i))   /* RW 8.2.3.27.8 Tx enable */
#define IXGBE_PFVFSPOOF(i)      (0x08200 + 4 * (i))   /* RW 8.2.3.27.11 anti-spoof, 8 pools each */
#define IXGBE_PFVFSPOOF_MAC(p)  (1u << ((p) % 8))     /*   MAC anti-spoofing for pool p */
#define IXGBE_PFDTXGSWC         0x08220     /* RW 8.2.3.27.12 Tx switch control */
#define IXGBE_PFDTXGSWC_VT_LBEN (1u << 0)   /* pool-to-pool loopback inside the NIC */
#define IXGBE_VMOLR(p)          (0x0f000 + 4 * (p))   /* RW 8.2.3.27.14 PFVML2FLT, per pool */
#define IXGBE_VMOLR_AUPE        (1u << 24)  /* accept untagged frames */
#define IXGBE_VMOLR_ROMPE       (1u << 25)  /* accept MTA-hash multicast */
#define IXGBE_VMOLR_ROPE        (1u << 26)  /* accept PFUTA-hash unicast */
#define IXGBE_VMOLR_BAM         (1u << 27)  /* accept broadcast */
#define IXGBE_VMOLR_MPE         (1u << 28)  /* multicast promiscuous */
#define IXGBE_VLVF(i)           (0x0f100 + 4 * (i))   /* RW 8.2.3.27.15, 64 entries */
#define IXGBE_VLVF_VIEN         (1u << 31)
#define IXGBE_VLVF_VLANID_MASK  0x00000fffu
#define IXGBE_NUM_VLVF          64
#define IXGBE_VLVFB(i)          (0x0f200 + 4 * (i))   /* RW 8.2.3.27.16: 2 words per VLVF entry */
#define IXGBE_PFUTA(i)          (0x0f400 + 4 * (i))   /* RW 8.2.3.27.17 */
#define IXGBE_PFMBMEM(v)        (0x13000 + 64 * (v))  /* RW mailbox memory of VF v (unverified section) */

/* ---- 8.2.3.21 / SFP+: the module's ID EEPROM behind the I2C of the port ---- */
#define IXGBE_I2CCTL            0x00028     /* RW 8.2.3.1.5 (unverified) bit-banged I2C */
#define IXGBE_I2C_CLK_IN        (1u << 0)
#define IXGBE_I2C_CLK_OUT       (1u << 1)
#define IXGBE_I2C_DATA_IN       (1u << 2)
#define IXGBE_I2C_DATA_OUT      (1u << 3)

/* ---- Limits of this driver's use of the part ---- */
#define IXGBE_POOLS             64          /* VT64: 64 pools x 2 queues */
#define IXGBE_QUEUES_PER_POOL   2
#define IXGBE_MAX_VFS           63          /* the PF keeps the pool after its VFs */
#define IXGBE_LINK_MBPS         10000
#define IXGBE_MBX_WORDS         16
#endif
