/**
 * \file vfregs.h
 * \brief Intel 82576 (igb): the VF's own 16 KiB register window (BAR 0 of
 * a VF), used by both halves: the user half drives its VF through it
 * (drivers/net/igb/vf/), and the PF's self test plays VF 0 through it
 * (pf/selftest.c). Offsets from QEMU igbvf.c vf_to_pf_addr and Linux
 * igbvf regs.h/defines.h; the datasheet (82576EB rev. 2.61, see
 * pf/regs.h) places the VF registers in 8.27 (section number unverified,
 * no PDF at hand), the queue registers in 8.10 (receive) and 8.12
 * (transmit). Access as in pf/regs.h.
 */
#ifndef NET_IGB_SHARED_VFREGS_H
#define NET_IGB_SHARED_VFREGS_H

#define IGBVF_DEVICE_ID   0x10ca    /* the VF's PCI device id (vendor 8086; QEMU: read through the PF) */
#define IGBVF_CTRL        0x0000    /* RW  Control: RST */
#define IGBVF_STATUS      0x0008    /* RO  the PF's STATUS */
#define IGBVF_STATUS_LU   (1u << 1) /* 1: link up */
#define IGBVF_VMBMEM      0x0800    /* RW  mailbox memory, IGB_MBX_WORDS dwords */
#define IGBVF_V2PMAILBOX  0x0c40    /* RW  VF-to-PF mailbox control */
#define IGBVF_V2P_REQ     (1u << 0) /* the VF posted a message */
#define IGBVF_V2P_ACK     (1u << 1) /* the VF took the PF's message */
#define IGBVF_V2P_VFU     (1u << 2) /* the VF holds the buffer */
#define IGBVF_V2P_PFU     (1u << 3) /* the PF holds the buffer */
#define IGBVF_V2P_PFSTS   (1u << 4) /* RC: the PF wrote a message */
/* Transmit queue q (0 or 1) of the VF (8.12 layout at 0x3800 + 0x100 q) */
#define IGBVF_TDBAL(q)    (0x3800 + 0x100 * (q))
#define IGBVF_TDBAH(q)    (0x3804 + 0x100 * (q))
#define IGBVF_TDLEN(q)    (0x3808 + 0x100 * (q))  /* bytes, multiple of 128 */
#define IGBVF_TDH(q)      (0x3810 + 0x100 * (q))
#define IGBVF_TDT(q)      (0x3818 + 0x100 * (q))
#define IGBVF_TXDCTL(q)   (0x3828 + 0x100 * (q))
#define IGBVF_TXDCTL_ENABLE (1u << 25)
#define IGBVF_TDWBAL(q)   (0x3838 + 0x100 * (q))  /* head write-back address */
#define IGBVF_TDWBAH(q)   (0x383c + 0x100 * (q))
#define IGBVF_TDWBAL_HEAD_WB_EN 0x1u
/* VF interrupts (8.27; QEMU igbvf.c): bit v = the VF's MSI-X entry v.
 * IVAR0 routes queue 0's Rx (bits 7:0) and Tx (15:8) events to an entry. */
#define IGBVF_EICS        0x1520    /* WO  cause set: raise entry v by hand */
#define IGBVF_EIMS        0x1524    /* RW  mask set: entry v may interrupt */
#define IGBVF_EIMC        0x1528    /* WO  mask clear */
#define IGBVF_EIAC        0x152c    /* RW  auto clear of EICR on MSI-X */
#define IGBVF_EIAM        0x1530    /* RW  auto mask on MSI-X */
#define IGBVF_EICR        0x1580    /* RC  cause read */
#define IGBVF_IVAR0       0x1700    /* RW  queue 0/1 events -> MSI-X entry */
#define IGBVF_IVAR_VALID  0x80u     /* per byte: the entry number is valid */
#define IGBVF_IVAR_RX0_SHIFT 0
#define IGBVF_IVAR_TX0_SHIFT 8
#define IGBVF_CTRL_RST    (1u << 26) /* RWS 1: reset the VF: its queues stop, VFRE/VFTE bits clear,
                                        the PF sees VFLRE and must answer a VF_RESET again */
#define IGBVF_V2P_PFACK   (1u << 5)  /* RC: the PF took the VF's message */
#define IGBVF_V2P_RSTI    (1u << 6)  /* RO 1: the PF is resetting (VFs must not run) */
#define IGBVF_V2P_RSTD    (1u << 7)  /* RC 1: the PF finished its reset */
/* Receive queue q (0 or 1) of the VF (8.10 layout at 0x2800 + 0x100 q) */
#define IGBVF_RDBAL(q)    (0x2800 + 0x100 * (q))  /* RW ring base, low (128-byte aligned) */
#define IGBVF_RDBAH(q)    (0x2804 + 0x100 * (q))  /* RW ring base, high */
#define IGBVF_RDLEN(q)    (0x2808 + 0x100 * (q))  /* RW bytes, multiple of 128 */
#define IGBVF_SRRCTL(q)   (0x280c + 0x100 * (q))  /* RW Split and Replication Rx Control */
#define IGBVF_RDH(q)      (0x2810 + 0x100 * (q))  /* RW head: the NIC's next descriptor */
#define IGBVF_RDT(q)      (0x2818 + 0x100 * (q))  /* RW tail: one past the last given to the NIC */
#define IGBVF_RXDCTL(q)   (0x2828 + 0x100 * (q))  /* RW Rx Descriptor Control */
#define IGBVF_RXDCTL_ENABLE (1u << 25)            /* 1: queue enabled */
/* SRRCTL (8.10): buffer sizes and descriptor type */
#define IGB_SRRCTL_BSIZEPKT_SHIFT 0               /* packet buffer size, 1 KiB units (0: RCTL's) */
#define IGB_SRRCTL_BSIZEPKT_MASK  0x0000007fu
#define IGB_SRRCTL_BSIZEPKT_UNIT  1024u
#define IGB_SRRCTL_BSIZEHDR_SHIFT 8               /* header buffer size, 64-byte units */
#define IGB_SRRCTL_BSIZEHDR_MASK  0x00000f00u
#define IGB_SRRCTL_DESCTYPE_SHIFT 25              /* 000 legacy (QEMU: as 001), 001 advanced */
#define IGB_SRRCTL_DESCTYPE_MASK  0x0e000000u     /*   one buffer, 010 header split, 101 split always */
#define IGB_SRRCTL_DESCTYPE_ADV_ONEBUF (1u << IGB_SRRCTL_DESCTYPE_SHIFT)
#define IGB_SRRCTL_DROP_EN        (1u << 31)      /* 1: drop when no descriptor (QEMU: always) */
/* Per-VF statistics (8.27; RO, 32 bits, wrap, not cleared by reading) */
#define IGBVF_VFGPRC      0x0f10    /* good packets received (loopback included in QEMU) */
#define IGBVF_VFGPTC      0x0f14    /* good packets transmitted */
#define IGBVF_VFGORC      0x0f18    /* good octets received */
#define IGBVF_VFGOTC      0x0f34    /* good octets transmitted */
#define IGBVF_VFMPRC      0x0f3c    /* multicast packets received */

#endif
