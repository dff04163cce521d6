/**
 * \file nic.h
 * \brief drivers/net/vf/: what the VF half shares between NICs whose VFs
 * use the advanced descriptors (82576 igb, 82599 ixgbe): the rings and
 * buffers (vfring.c), the bring-up common to both (open.c), and the one
 * table per NIC of what differs: register offsets, the Rx CRC, and the
 * steps that speak the NIC's own registers and mailbox.
 *
 * A NIC's VF half defines one `const struct vf_nic` (igb/vf/vf.c
 * igbvf_nic, ixgbe/vf/vf.c ixgbevf_nic); vf_open finds it by the VF's PCI
 * device id, which VNIC.map_regs returns.
 */
#ifndef NET_VF_NIC_H
#define NET_VF_NIC_H
#include <stdbool.h>
#include <stdint.h>
#include <arrakis/vf.h>
#include <net/vf/desc.h>

/* DMA memory: one Frame of rings (receive ring page, then transmit ring
 * page) and one of buffers (receive buffers, then transmit buffers). */
#define VF_RING_BYTES       4096
#define VF_RINGS_BYTES      (2 * VF_RING_BYTES)
#define VF_BUFS_BYTES       (VF_BUFS * VF_BUF_SIZE)
#define VF_CRC_MAX          4
_Static_assert(VF_RX_RING * sizeof(union igb_adv_rx_desc) == VF_RING_BYTES, "Rx ring is a page");
_Static_assert(VF_TX_RING * sizeof(union igb_adv_tx_desc) == VF_RING_BYTES, "Tx ring is a page");
_Static_assert(VF_RING_BYTES % 128 == 0, "RDLEN/TDLEN are multiples of 128 bytes");
_Static_assert((VF_BUFS_BYTES & (VF_BUFS_BYTES - 1)) == 0, "buffers fill a power-of-two Frame");
_Static_assert(VF_FRAME_MAX + VF_CRC_MAX <= VF_BUF_SIZE, "a whole frame fits one buffer");
_Static_assert(VF_BUFS <= UINT16_MAX && VF_RX_RING <= UINT16_MAX, "buffer ids are 16 bits");

/** Where one NIC's VF keeps what the ring code touches (pure data: the
 *  host tests run vfring.c over each NIC's map). */
struct vf_regmap {
    unsigned rdt0, tdt0;            /* queue 0's tail registers */
    unsigned gprc, gptc;            /* good packets received / sent, 32-bit, wrapping */
    unsigned rx_crc_len;            /* bytes of CRC the NIC leaves after each frame */
};

struct vf_nic {
    const char *name;               /* "82576", "82599" */
    uint16_t vf_device;             /* the VF's PCI device id (vendor 8086) */
    struct vf_regmap map;
    /** Reset the VF and ask the PF for its MAC (vf->mac). */
    errval_t (*reset)(struct vf *vf);
    /** Program queue 0 on vf->rings_pa and enable it (the ring is filled). */
    void (*queues_start)(struct vf *vf);
    bool (*link_up)(const struct vf *vf);
    /** Route queue 0's receive events to MSI-X entry `entry` and unmask it. */
    void (*irq_route)(struct vf *vf, unsigned entry);
    /** Clear and unmask entry `entry` before sleeping on its doorbell. */
    void (*irq_arm)(struct vf *vf, unsigned entry);
    /** Stop the queues and reset the VF (its holder is letting go). */
    void (*stop)(struct vf *vf);
};

/** Software side of fresh rings: every buffer free, rings zeroed, the
 *  receive ring filled (tail written). vf->nic, regs, rings, bufs set. */
void vf_rings_init(struct vf *vf);
/** Post free receive buffers to empty receive descriptors; writes the
 *  tail once if any were posted. Returns how many. */
unsigned vf_rx_refill(struct vf *vf);

static inline void vf_reg_wr(struct vf *vf, unsigned off, uint32_t v)
{
    *(volatile uint32_t *)(vf->regs + off) = v;
}

static inline uint32_t vf_reg_rd(const struct vf *vf, unsigned off)
{
    return *(volatile const uint32_t *)(vf->regs + off);
}
#endif
