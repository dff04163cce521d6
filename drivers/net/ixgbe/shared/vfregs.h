/**
 * \file vfregs.h
 * \brief Intel 82599 (ixgbe): the VF's register window (BAR 0 of a VF,
 * 16 KiB), datasheet 322429-007 rev. 2.6 section 8.3.5 (numbers per
 * Barrelfish's/Arrakis' devices/e10k_vf.dev; offsets as Linux ixgbevf's
 * regs.h). Access as in pf/regs.h. Queue q of the VF is the PF's queue
 * 2 * pool + q (64-pool mode).
 */
#ifndef NET_IXGBE_SHARED_VFREGS_H
#define NET_IXGBE_SHARED_VFREGS_H

#define IXGBEVF_CTRL        0x0000      /* WO 8.3.5.1.1 VF control */
#define IXGBEVF_CTRL_RST    (1u << 26)  /* RWS VF reset: queues stop, the PF sees a VFLR */
#define IXGBEVF_STATUS      0x0008      /* RO 8.3.5.1.2 */
#define IXGBEVF_LINKS       0x0010      /* RO 8.3.5.1.3 the PF's LINKS */
#define IXGBEVF_LINKS_UP    (1u << 30)
#define IXGBEVF_MBMEM       0x0200      /* RW 8.3.5.1.6 mailbox memory, 16 dwords */
#define IXGBEVF_MAILBOX     0x02fc      /* RW 8.3.5.1.5 mailbox control */
#define IXGBEVF_MBX_REQ     (1u << 0)   /* WO the VF posted a message */
#define IXGBEVF_MBX_ACK     (1u << 1)   /* WO the VF took the PF's message */
#define IXGBEVF_MBX_VFU     (1u << 2)   /* RW the VF holds the buffer */
#define IXGBEVF_MBX_PFU     (1u << 3)   /* RO the PF holds the buffer */
#define IXGBEVF_MBX_PFSTS   (1u << 4)   /* RC the PF wrote a message */
#define IXGBEVF_MBX_PFACK   (1u << 5)   /* RC the PF took the VF's message */
#define IXGBEVF_MBX_RSTI    (1u << 6)   /* RO the PF is resetting */
#define IXGBEVF_MBX_RSTD    (1u << 7)   /* RC the PF finished its reset */
/* Interrupts (8.3.5.2): bit v = the VF's MSI-X entry v */
#define IXGBEVF_EICR        0x0100      /* W1C 8.3.5.2.1 */
#define IXGBEVF_EICS        0x0104      /* WO 8.3.5.2.2 */
#define IXGBEVF_EIMS        0x0108      /* RW 8.3.5.2.3 */
#define IXGBEVF_EIMC        0x010c      /* WO 8.3.5.2.4 */
#define IXGBEVF_EIAC        0x0110      /* RW auto clear (Linux VTEIAC) */
#define IXGBEVF_EIAM        0x0114      /* RW 8.3.5.2.5 */
#define IXGBEVF_IVAR0       0x0120      /* RW 8.3.5.2.7: Rx 0 bits 7:0, Tx 0 bits 15:8 */
#define IXGBEVF_IVAR_VALID  0x80u
#define IXGBEVF_IVAR_RX0_SHIFT 0
#define IXGBEVF_IVAR_MISC   0x0140      /* RW 8.3.5.2.8: mailbox events */
/* Receive queue q (8.3.5.3) */
#define IXGBEVF_RDBAL(q)    (0x1000 + 0x40 * (q))
#define IXGBEVF_RDBAH(q)    (0x1004 + 0x40 * (q))
#define IXGBEVF_RDLEN(q)    (0x1008 + 0x40 * (q))
#define IXGBEVF_RDH(q)      (0x1010 + 0x40 * (q))
#define IXGBEVF_SRRCTL(q)   (0x1014 + 0x40 * (q))
#define IXGBEVF_RDT(q)      (0x1018 + 0x40 * (q))
#define IXGBEVF_RXDCTL(q)   (0x1028 + 0x40 * (q))
#define IXGBEVF_RXDCTL_ENABLE (1u << 25)
#define IXGBEVF_PSRTYPE     0x0300      /* RW 8.3.5.3.8 */
/* SRRCTL (8.3.5.3.7): where its fields differ from the 82576's */
#define IXGBE_SRRCTL_BSIZEPKT_MASK  0x0000001fu   /* 1 KiB units (82576: 7 bits) */
#define IXGBE_SRRCTL_BSIZEPKT_UNIT  1024u
#define IXGBE_SRRCTL_BSIZEHDR_SHIFT 8             /* 64-byte units, bits 13:8 (82576: 11:8) */
#define IXGBE_SRRCTL_BSIZEHDR_MASK  0x00003f00u
#define IXGBE_SRRCTL_DESCTYPE_ADV_ONEBUF (1u << 25) /* DESCTYPE 27:25 = 001, as the 82576 */
#define IXGBE_SRRCTL_DROP_EN        (1u << 28)    /* (82576: bit 31) */
/* Transmit queue q (8.3.5.4) */
#define IXGBEVF_TDBAL(q)    (0x2000 + 0x40 * (q))
#define IXGBEVF_TDBAH(q)    (0x2004 + 0x40 * (q))
#define IXGBEVF_TDLEN(q)    (0x2008 + 0x40 * (q))
#define IXGBEVF_TDH(q)      (0x2010 + 0x40 * (q))
#define IXGBEVF_TDT(q)      (0x2018 + 0x40 * (q))
#define IXGBEVF_TXDCTL(q)   (0x2028 + 0x40 * (q))
#define IXGBEVF_TXDCTL_ENABLE (1u << 25)
#define IXGBEVF_TDWBAL(q)   (0x2038 + 0x40 * (q))
#define IXGBEVF_TDWBAH(q)   (0x203c + 0x40 * (q))
/* Statistics (8.3.5.6; RO, 32 bits, wrap) */
#define IXGBEVF_VFGPRC      0x101c
#define IXGBEVF_VFGPTC      0x201c
#endif
