/**
 * \file vf.h
 * \brief drivers/net/igb/vf/: the user half of the 82576 driver (library
 * igbvf), run by the library OS of the domain holding a VF (the interface
 * is lib/arrakis/include/arrakis/vf.h).
 *
 * vf.c brings the VF up (VNIC, registers, mailbox reset, DMA memory,
 * queue registers); mbx.c is the VF's half of the PF-VF mailbox;
 * vfring.c is the data path: the rings, the buffer
 * pools and the checks on what the NIC writes back. vfring.c touches only
 * memory and the VF's tail registers through vf->regs, so the host unit
 * tests (tests/unit/vfring) drive it against plain memory playing the NIC.
 */
#ifndef NET_IGB_VF_H
#define NET_IGB_VF_H
#include <arrakis/vf.h>
#include <net/igb/shared/vfregs.h>
#include <net/igb/vf/desc.h>

/* The PF leaves RCTL.SECRC clear (pf.c), so the NIC stores the frame's
 * 4-byte CRC after it (QEMU: zeros) and counts it in the length. */
#define IGBVF_RX_CRC_LEN    4

/* DMA memory: one Frame of rings (receive ring page, then transmit ring
 * page) and one of buffers (receive buffers, then transmit buffers). */
#define IGBVF_RING_BYTES    4096
#define IGBVF_RINGS_BYTES   (2 * IGBVF_RING_BYTES)
#define IGBVF_BUFS_BYTES    (VF_BUFS * VF_BUF_SIZE)
_Static_assert(VF_RX_RING * sizeof(union igb_adv_rx_desc) == IGBVF_RING_BYTES, "Rx ring is a page");
_Static_assert(VF_TX_RING * sizeof(union igb_adv_tx_desc) == IGBVF_RING_BYTES, "Tx ring is a page");
_Static_assert(IGBVF_RING_BYTES % 128 == 0, "RDLEN/TDLEN are multiples of 128 bytes");
_Static_assert((IGBVF_BUFS_BYTES & (IGBVF_BUFS_BYTES - 1)) == 0, "buffers fill a power-of-two Frame");
_Static_assert(VF_BUF_SIZE % IGB_SRRCTL_BSIZEPKT_UNIT == 0 &&
               VF_BUF_SIZE / IGB_SRRCTL_BSIZEPKT_UNIT <= IGB_SRRCTL_BSIZEPKT_MASK,
               "the buffer size is whole KiB that SRRCTL.BSIZEPKT can express");
_Static_assert(VF_FRAME_MAX + IGBVF_RX_CRC_LEN <= VF_BUF_SIZE, "a whole frame fits one buffer");
_Static_assert(VF_BUFS <= UINT16_MAX && VF_RX_RING <= UINT16_MAX, "buffer ids are 16 bits");

/** Software side of fresh rings: every buffer free, rings zeroed, the
 *  receive ring filled (RDT written). vf->regs, rings and bufs are set. */
void igbvf_rings_init(struct vf *vf);
/** Post free receive buffers to empty receive descriptors; writes RDT
 *  once if any were posted. Returns how many. */
unsigned igbvf_rx_refill(struct vf *vf);
#endif
