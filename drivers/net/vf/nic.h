/**
 * \file nic.h
 * \brief drivers/net/vf/: what the VF half shares between NICs whose VFs
 * use the advanced descriptors (82576 igb, 82599 ixgbe): the rings and
 * buffers (vfring.c), the bring-up and the mailbox I/O common to both
 * (open.c, mbx.c), and one table per NIC of what differs: where its
 * registers are, the Rx CRC, SRRCTL's bits, and its hello to the PF.
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

/** Where one NIC's VF keeps its registers: the offset table that lets
 *  one bring-up (open.c) and one ring code (vfring.c) drive either NIC.
 *  Pure data (the host tests run vfring.c over each NIC's map). Queue 0's
 *  registers have the same meaning and enable bit on both NICs (82576
 *  8.10/8.12, 82599 8.3.5.3-4); only where they are differs. */
struct vf_regmap {
    unsigned rdbal0, rdbah0, rdlen0, srrctl0, rdh0, rdt0, rxdctl0;
    unsigned tdbal0, tdbah0, tdlen0, tdh0, tdt0, txdctl0, tdwbal0, tdwbah0;
    unsigned gprc, gptc;            /* good packets received / sent, 32-bit, wrapping */
    unsigned ctrl;                  /* VF control; VF_CTRL_RST resets the VF */
    unsigned link, link_up;         /* where the PF's link state shows, and its bit */
    unsigned eicr, eims;            /* interrupt cause, mask set */
    unsigned ivar0;                 /* queue 0 Rx event -> MSI-X entry (bits 7:0) */
    unsigned mailbox, mbmem;        /* VF mailbox control and its 16-dword buffer */
    uint32_t srrctl;                /* SRRCTL for VF_BUF_SIZE buffers, advanced one-buffer */
    unsigned rx_crc_len;            /* bytes of CRC the NIC leaves after each frame */
};

/* Bits both NICs' VF registers share (asserted in each NIC's vf.h). */
#define VF_QUEUE_ENABLE     (1u << 25)  /* RXDCTL/TXDCTL: queue enabled */
#define VF_CTRL_RST         (1u << 26)  /* VF control: reset the VF */
#define VF_IVAR_VALID       0x80u       /* IVAR byte: entry number valid */
#define VF_MBX_REQ          (1u << 0)   /* mailbox: the VF posted a message */
#define VF_MBX_ACK          (1u << 1)   /* the VF took the PF's message */
#define VF_MBX_VFU          (1u << 2)   /* the VF holds the buffer */
#define VF_MBX_PFSTS        (1u << 4)   /* RC: the PF wrote a message */
#define VF_MBX_WORDS        16

struct vf_nic {
    const char *name;               /* "82576", "82599" */
    uint16_t vf_device;             /* the VF's PCI device id (vendor 8086) */
    struct vf_regmap map;
    /** Checksum offload may be used: transmit through the context
     *  descriptor (vf_tx_buf_post_csum), receive verdicts believed. Only
     *  where it has been run (QEMU's 82576); a NIC without it still
     *  sends and receives, its stack checking checksums itself. */
    bool csum_offload;
    /** After VF_CTRL_RST: ask the PF, through the mailbox, for the VF's
     *  pool and MAC (vf->mac): the one step whose protocol differs. */
    errval_t (*hello)(struct vf *vf);
};

/** Send `n` words through the VF's mailbox and wait (2 s at most) for the
 *  PF's reply; `nreply` words of it land in `reply` (mbx.c).
 *  SYS_ERR_BUSY if the PF holds the buffer, MONITOR_ERR_TIMEOUT if no
 *  reply comes. */
errval_t vf_mbx_call(volatile uint8_t *regs, const struct vf_regmap *map, const uint32_t *msg,
                     unsigned n, uint32_t *reply, unsigned nreply);

/** Software side of fresh rings: every buffer free, rings zeroed, the
 *  receive ring filled (tail written). vf->nic, regs, rings, bufs set. */
void vf_rings_init(struct vf *vf);
/** Post free receive buffers to empty receive descriptors; writes the
 *  tail (once) when VF_RX_TAIL_BATCH wait untold, or when the NIC holds
 *  fewer than VF_RX_TELL_LOW told ones. Returns how many were posted. */
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
