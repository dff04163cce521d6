/**
 * \file vf.h
 * \brief drivers/net/ixgbe/vf/: the user half of the 82599 driver (library
 * ixgbevf): the 82599's table (struct vf_nic ixgbevf_nic, vf.c: register
 * offsets and its mailbox conversation, bringup.c, pure). Rings, buffers,
 * the bring-up and the mailbox I/O: drivers/net/vf/, shared with the 82576.
 * NOT RUN ON HARDWARE: written to the datasheet and Linux ixgbevf; only
 * bringup.c and the ring code over this NIC's map are tested (host).
 */
#ifndef NET_IXGBE_VF_H
#define NET_IXGBE_VF_H
#include <net/vf/nic.h>
#include <net/ixgbe/shared/vfregs.h>

/* The PF strips the CRC (HLREG0.RXCRCSTRP and RDRXCTL.CRCSTRIP, which
 * SR-IOV requires: the VFs share the PF's setting), so frames arrive without. */
#define IXGBEVF_RX_CRC_LEN  0
#define IXGBEVF_DEVICE_ID   0x10ed
_Static_assert(VF_BUF_SIZE % IXGBE_SRRCTL_BSIZEPKT_UNIT == 0 &&
               VF_BUF_SIZE / IXGBE_SRRCTL_BSIZEPKT_UNIT <= IXGBE_SRRCTL_BSIZEPKT_MASK,
               "the buffer size is whole KiB that the 82599's SRRCTL.BSIZEPACKET can express");

_Static_assert(IXGBEVF_RXDCTL_ENABLE == VF_QUEUE_ENABLE && IXGBEVF_TXDCTL_ENABLE == VF_QUEUE_ENABLE &&
               IXGBEVF_CTRL_RST == VF_CTRL_RST && IXGBEVF_IVAR_VALID == VF_IVAR_VALID &&
               IXGBEVF_MBX_REQ == VF_MBX_REQ && IXGBEVF_MBX_ACK == VF_MBX_ACK &&
               IXGBEVF_MBX_VFU == VF_MBX_VFU && IXGBEVF_MBX_PFSTS == VF_MBX_PFSTS,
               "the 82599 VF's bits are the ones the shared VF code uses");

/** SRRCTL: the same request as the 82576's, in the 82599's bit positions. */
#define IXGBEVF_SRRCTL_VALUE (VF_BUF_SIZE / IXGBE_SRRCTL_BSIZEPKT_UNIT | \
                              IXGBE_SRRCTL_DESCTYPE_ADV_ONEBUF | IXGBE_SRRCTL_DROP_EN)
/** The 82599 VF's offset table (also used by the host tests). */
#define IXGBEVF_REGMAP { \
    .rdbal0 = IXGBEVF_RDBAL(0), .rdbah0 = IXGBEVF_RDBAH(0), .rdlen0 = IXGBEVF_RDLEN(0), \
    .srrctl0 = IXGBEVF_SRRCTL(0), .rdh0 = IXGBEVF_RDH(0), .rdt0 = IXGBEVF_RDT(0), \
    .rxdctl0 = IXGBEVF_RXDCTL(0), .tdbal0 = IXGBEVF_TDBAL(0), .tdbah0 = IXGBEVF_TDBAH(0), \
    .tdlen0 = IXGBEVF_TDLEN(0), .tdh0 = IXGBEVF_TDH(0), .tdt0 = IXGBEVF_TDT(0), \
    .txdctl0 = IXGBEVF_TXDCTL(0), .tdwbal0 = IXGBEVF_TDWBAL(0), .tdwbah0 = IXGBEVF_TDWBAH(0), \
    .gprc = IXGBEVF_VFGPRC, .gptc = IXGBEVF_VFGPTC, .ctrl = IXGBEVF_CTRL, \
    .link = IXGBEVF_LINKS, .link_up = IXGBEVF_LINKS_UP, .eicr = IXGBEVF_EICR, \
    .eims = IXGBEVF_EIMS, .ivar0 = IXGBEVF_IVAR0, \
    .mailbox = IXGBEVF_MAILBOX, .mbmem = IXGBEVF_MBMEM, .srrctl = IXGBEVF_SRRCTL_VALUE, \
    .rx_crc_len = IXGBEVF_RX_CRC_LEN }
#endif
