/**
 * \file vf.h
 * \brief drivers/net/ixgbe/vf/: the user half of the 82599 driver (library
 * ixgbevf): the 82599's own steps of a VF's bring-up (struct vf_nic
 * ixgbevf_nic, vf.c), the mailbox I/O (mbx.c) and the mailbox
 * conversation (bringup.c, pure). Rings and buffers: drivers/net/vf/.
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

#define IXGBEVF_REGMAP { .rdt0 = IXGBEVF_RDT(0), .tdt0 = IXGBEVF_TDT(0), .gprc = IXGBEVF_VFGPRC, \
                         .gptc = IXGBEVF_VFGPTC, .rx_crc_len = IXGBEVF_RX_CRC_LEN }
/** SRRCTL: the same request as the 82576's, in the 82599's bit positions. */
#define IXGBEVF_SRRCTL_VALUE (VF_BUF_SIZE / IXGBE_SRRCTL_BSIZEPKT_UNIT | \
                        IXGBE_SRRCTL_DESCTYPE_ADV_ONEBUF | IXGBE_SRRCTL_DROP_EN)

/** Send n words and wait (2 s at most) for the PF's reply, up to 16
 *  words into reply (*got: how many were read). */
errval_t ixgbevf_mbx_call(volatile uint8_t *regs, const uint32_t *msg, unsigned n,
                          uint32_t *reply, unsigned *got);
#endif
