/**
 * \file vf.h
 * \brief drivers/net/igb/vf/: the user half of the 82576 driver (library
 * igbvf), run by the library OS of the domain holding a VF (the interface
 * is lib/arrakis/include/arrakis/vf.h).
 *
 * vf.c holds the 82576's table (struct vf_nic igbvf_nic: its register
 * offsets and its VF_RESET conversation); mbx.c is the mailbox call at
 * its offsets for test programs. The rings, buffers and the bring-up common to
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

_Static_assert(IGBVF_RXDCTL_ENABLE == VF_QUEUE_ENABLE && IGBVF_TXDCTL_ENABLE == VF_QUEUE_ENABLE &&
               IGBVF_CTRL_RST == VF_CTRL_RST && IGBVF_IVAR_VALID == VF_IVAR_VALID &&
               IGBVF_V2P_REQ == VF_MBX_REQ && IGBVF_V2P_ACK == VF_MBX_ACK &&
               IGBVF_V2P_VFU == VF_MBX_VFU && IGBVF_V2P_PFSTS == VF_MBX_PFSTS,
               "the 82576 VF's bits are the ones the shared VF code uses");

/** SRRCTL of the VF's receive queue: one VF_BUF_SIZE buffer per advanced descriptor. */
#define IGBVF_SRRCTL_VALUE ((VF_BUF_SIZE / IGB_SRRCTL_BSIZEPKT_UNIT) << IGB_SRRCTL_BSIZEPKT_SHIFT | \
                            IGB_SRRCTL_DESCTYPE_ADV_ONEBUF | IGB_SRRCTL_DROP_EN)
/** The 82576 VF's offset table (also used by the host tests). */
#define IGBVF_REGMAP { \
    .rdbal0 = IGBVF_RDBAL(0), .rdbah0 = IGBVF_RDBAH(0), .rdlen0 = IGBVF_RDLEN(0), \
    .srrctl0 = IGBVF_SRRCTL(0), .rdh0 = IGBVF_RDH(0), .rdt0 = IGBVF_RDT(0), \
    .rxdctl0 = IGBVF_RXDCTL(0), .tdbal0 = IGBVF_TDBAL(0), .tdbah0 = IGBVF_TDBAH(0), \
    .tdlen0 = IGBVF_TDLEN(0), .tdh0 = IGBVF_TDH(0), .tdt0 = IGBVF_TDT(0), \
    .txdctl0 = IGBVF_TXDCTL(0), .tdwbal0 = IGBVF_TDWBAL(0), .tdwbah0 = IGBVF_TDWBAH(0), \
    .gprc = IGBVF_VFGPRC, .gptc = IGBVF_VFGPTC, .ctrl = IGBVF_CTRL, \
    .link = IGBVF_STATUS, .link_up = IGBVF_STATUS_LU, .eicr = IGBVF_EICR, \
    .eims = IGBVF_EIMS, .ivar0 = IGBVF_IVAR0, \
    .mailbox = IGBVF_V2PMAILBOX, .mbmem = IGBVF_VMBMEM, .srrctl = IGBVF_SRRCTL_VALUE, \
    .rx_crc_len = IGBVF_RX_CRC_LEN }
#endif
