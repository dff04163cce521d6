/**
 * \file vf.h
 * \brief drivers/net/igb/vf/: the user half of the 82576 driver (library
 * igbvf), run by the library OS of the domain holding a VF (the interface
 * is lib/arrakis/include/arrakis/vf.h).
 *
 * vf.c holds the 82576's own steps (struct vf_nic igbvf_nic: reset
 * through the mailbox, queue registers, interrupts); mbx.c is the VF's
 * half of the PF-VF mailbox. The rings, buffers and the bring-up common to
 * both NICs are drivers/net/vf/ (library nicvf).
 */
#ifndef NET_IGB_VF_H
#define NET_IGB_VF_H
#include <net/vf/nic.h>
#include <net/igb/shared/vfregs.h>

/* The PF leaves RCTL.SECRC clear (pf.c), so the NIC stores the frame's
 * 4-byte CRC after it (QEMU: zeros) and counts it in the length. */
#define IGBVF_RX_CRC_LEN    4
_Static_assert(IGBVF_RX_CRC_LEN <= VF_CRC_MAX, "the CRC fits the buffer's slack");
_Static_assert(VF_BUF_SIZE % IGB_SRRCTL_BSIZEPKT_UNIT == 0 &&
               VF_BUF_SIZE / IGB_SRRCTL_BSIZEPKT_UNIT <= IGB_SRRCTL_BSIZEPKT_MASK,
               "the buffer size is whole KiB that SRRCTL.BSIZEPKT can express");

/** What the ring code needs of an 82576 VF (also used by the host tests). */
#define IGBVF_REGMAP { .rdt0 = IGBVF_RDT(0), .tdt0 = IGBVF_TDT(0), .gprc = IGBVF_VFGPRC, \
                       .gptc = IGBVF_VFGPTC, .rx_crc_len = IGBVF_RX_CRC_LEN }
/** SRRCTL of the VF's receive queue: one VF_BUF_SIZE buffer per advanced descriptor. */
#define IGBVF_SRRCTL_VALUE ((VF_BUF_SIZE / IGB_SRRCTL_BSIZEPKT_UNIT) << IGB_SRRCTL_BSIZEPKT_SHIFT | \
                      IGB_SRRCTL_DESCTYPE_ADV_ONEBUF | IGB_SRRCTL_DROP_EN)
#endif
