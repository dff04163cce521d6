/**
 * \file vf.h
 * \brief The data plane of a VNIC: a domain drives its own SR-IOV virtual
 * function (an Intel 82576 or 82599 VF) with no kernel on the path
 * (drivers/net/vf/: the part both share, library nicvf; each NIC's own
 * steps in drivers/net/igb/vf/ and drivers/net/ixgbe/vf/).
 *
 * vf_open() asks this core's monitor for a VNIC, maps the VF's registers,
 * resets the VF through the PF mailbox (which tells it its MAC address),
 * and sets up one receive and one transmit ring (queue 0) in the domain's
 * own memory, registered with the VNIC for DMA. After that every call here
 * is loads and stores to that memory and to the VF's registers.
 *
 * Packet buffers belong to the VF's pool (VF_RX_BUFS for receiving,
 * VF_TX_BUFS for sending, VF_BUF_SIZE bytes each) and are lent out:
 *
 *   receive   vf_rx_poll() lends the caller the buffers of the frames that
 *             arrived; vf_rx_release() gives each back (any order).
 *   send      vf_tx_buf_get() lends an empty buffer; vf_tx_buf_post()
 *             hands a held buffer (from either pool) to the NIC, which
 *             gives it back to its pool when sent; vf_tx_buf_put() returns
 *             one unsent. vf_tx() is the copying shortcut.
 *
 * So a frame can be answered in place: receive it, rewrite it, post the
 * same buffer (usr/tests/rawecho does). Frames are whole Ethernet frames
 * without the CRC, 14..VF_FRAME_MAX bytes; the NIC pads short ones.
 *
 * Everything the NIC writes back is checked before it is believed (DD and
 * EOP status, error bits, the length against the buffer): a bad descriptor
 * is counted and its buffer recycled, never passed on.
 *
 * Not thread-safe: one thread drives a struct vf (the polling thread).
 */
#ifndef ARRAKIS_VF_H
#define ARRAKIS_VF_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <kpi/caps.h>
#include <kpi/errors.h>

#define VF_RX_RING      256     /* receive descriptors (one 4 KiB page) */
#define VF_TX_RING      256     /* transmit descriptors (one 4 KiB page) */
#define VF_RX_BUFS      256     /* receive buffers: the ring holds VF_RX_RING - 1 */
#define VF_TX_BUFS      256
#define VF_BUFS         (VF_RX_BUFS + VF_TX_BUFS)
#define VF_BUF_SIZE     2048    /* bytes per buffer (SRRCTL.BSIZEPKT = 2 KiB) */
/* Receive descriptors are told to the NIC (RDT) in batches of this many,
 * as Linux's igb does, unless the NIC holds fewer than VF_RX_TELL_LOW
 * told descriptors: then at once (vfring.c vf_rx_refill). Under
 * emulation each tail write is an exit into the device model. */
#define VF_RX_TAIL_BATCH 16
#define VF_RX_TELL_LOW  (VF_RX_RING / 2)
#define VF_MAC_LEN      6
#define VF_FRAME_MIN    14      /* an Ethernet header */
#define VF_FRAME_MAX    1518    /* 1500 bytes of payload behind an 802.1Q tag */

/** A buffer lent to the caller: `data` holds `len` bytes of a frame. */
struct vf_buf {
    uint8_t *data;
    uint16_t len;
    uint16_t id;                /* the driver's name for it: 0..VF_BUFS-1 */
    uint16_t csum;              /* received: VF_RX_* checksum verdicts of the NIC */
};

/* What the NIC found checking a received frame's checksums (receive
 * checksum offload; the PF turns it on for every pool). */
#define VF_RX_IP_OK     0x1     /* IPv4 header checksum right */
#define VF_RX_IP_BAD    0x2     /* ... wrong */
#define VF_RX_L4_OK     0x4     /* TCP/UDP checksum right */
#define VF_RX_L4_BAD    0x8     /* ... wrong */

/* What vf_tx_buf_post_csum asks the NIC to fill in. */
#define VF_TX_CSUM_IP   0x1     /* the IPv4 header checksum */
#define VF_TX_CSUM_UDP  0x2     /* the UDP checksum (pseudo-header included) */
#define VF_TX_CSUM_TCP  0x4     /* the TCP checksum (pseudo-header included) */

/** Per-VF counters, kept by the driver (the nic_* ones read from the VF's
 *  own statistics registers, since vf_open). */
struct vf_stats {
    uint64_t rx_packets, rx_bytes;  /* frames handed to the caller */
    uint64_t rx_drops;              /* good frames the driver could not keep (too long) */
    uint64_t rx_errors;             /* write-backs that failed the checks (error bits, no EOP,
                                       length out of range) */
    uint64_t tx_packets, tx_bytes;  /* frames handed to the NIC */
    uint64_t tx_drops;              /* vf_tx() refused: ring or buffers full */
    uint64_t tx_errors;             /* refused sends: bad length or buffer */
    uint32_t nic_rx, nic_tx;        /* VFGPRC, VFGPTC deltas (32 bits, wrap) */
    /* Register writes of the data path (each one exit into the device
     * model under emulation): receive tail, transmit tail, interrupt
     * arming and masking (vf_wait_prepare, vf_wait). */
    uint64_t rx_tail_writes, tx_tail_writes, irq_writes;
};

/** Buffer ownership, to catch a caller releasing what it does not hold. */
enum vf_buf_owner { VF_BUF_FREE = 0, VF_BUF_NIC, VF_BUF_APP };

/** One open VF. Fields are the driver's; read `index` and `mac` freely. */
struct vf_nic;

struct vf {
    /* Set by vf_open, then constant. */
    const struct vf_nic *nic;       /* which NIC's VF (drivers/net/vf/nic.h): offsets, steps */
    unsigned index;                 /* the VF number: VMDq pool and queue */
    uint8_t mac[VF_MAC_LEN];        /* assigned by the PF */
    capaddr_t vnic;                 /* the VNIC capability */
    volatile uint8_t *regs;         /* the VF's 16 KiB register window */
    volatile void *rx_ring, *tx_ring; /* descriptor rings (union igb_adv_*_desc) */
    uint8_t *bufs;                  /* VF_BUFS buffers of VF_BUF_SIZE bytes */
    uint64_t rings_pa, bufs_pa;     /* their physical (= DMA) addresses */
    uint32_t nic_rx0, nic_tx0;      /* statistics registers at open */

    /* Receive ring: descriptors [rx_next, rx_tail) are the NIC's; it has
     * been told of [rx_next, rx_told) (RDT), the rest wait for a batch. */
    uint16_t rx_next, rx_tail, rx_told;
    bool rx_discard;                /* inside a frame that spans descriptors: drop to EOP */
    uint16_t rx_desc_buf[VF_RX_RING];
    uint16_t rx_free[VF_RX_BUFS];   /* stack of free receive buffers */
    uint16_t rx_nfree;

    /* Transmit ring: descriptors [tx_clean, tx_tail) are the NIC's. */
    uint16_t tx_clean, tx_tail;
    uint16_t tx_desc_buf[VF_TX_RING];
    uint16_t tx_free[VF_TX_BUFS];
    uint16_t tx_nfree;
    uint32_t tx_ctx[2];             /* what the NIC's two context slots describe (0: nothing) */
    bool tx_defer;                  /* batch: the tail is written by vf_tx_flush (and by
                                       vf_rx_poll and vf_wait), not by every post */
    uint16_t tx_told;               /* the tail the NIC was last told */

    uint8_t owner[VF_BUFS];         /* enum vf_buf_owner */

    /* Doorbell mode (vf_doorbell_enable): vf_wait sleeps until it rings. */
    bool doorbell;
    uint32_t bells_seen;
    uint64_t wakeups;               /* vf_wait calls that slept and were rung */
    struct vf_stats stats;
};

/** Get a VNIC from this core's monitor (on any core: control calls are
 *  forwarded to the NIC's core) and bring its VF up: registers, reset, rings, buffers. */
errval_t vf_open(struct vf *vf);
/** Is the link up (the PF's STATUS.LU, as the VF sees it)? */
bool vf_link_up(const struct vf *vf);

/** Frames that arrived, up to `max`: each `out[i]` is lent to the caller
 *  until vf_rx_release() (or vf_tx_buf_post()). Returns how many; 0 if none.
 *  Also refills the receive ring and reclaims sent buffers. */
unsigned vf_rx_poll(struct vf *vf, struct vf_buf *out, unsigned max);
/** Give back a buffer vf_rx_poll() lent (or any held buffer). */
errval_t vf_rx_release(struct vf *vf, const struct vf_buf *b);

/** Lend an empty transmit buffer (b->data, VF_BUF_SIZE bytes). */
errval_t vf_tx_buf_get(struct vf *vf, struct vf_buf *b);
/** Send `len` bytes of a held buffer (from vf_tx_buf_get or vf_rx_poll);
 *  the buffer goes back to its pool once the NIC has sent it. On failure
 *  the caller still holds it. */
errval_t vf_tx_buf_post(struct vf *vf, const struct vf_buf *b, size_t len);
/** Give back a held transmit buffer unsent. */
errval_t vf_tx_buf_put(struct vf *vf, const struct vf_buf *b);
/** vf_tx_buf_post, with the NIC filling in checksums (`csum`: VF_TX_CSUM_*)
 *  of an IPv4 frame whose IP header starts at l2_len and is l3_len bytes
 *  long. The driver seeds the L4 checksum field with the pseudo-header
 *  sum, as the 82576 expects; a context descriptor goes ahead of the frame
 *  when the header layout changes. */
errval_t vf_tx_buf_post_csum(struct vf *vf, const struct vf_buf *b, size_t len, unsigned csum,
                             unsigned l2_len, unsigned l3_len);
/** May checksum offload be used on this VF's NIC (vf_tx_buf_post_csum,
 *  and the receive verdicts)? False where it was never run. */
bool vf_csum_offload(const struct vf *vf);
/** Copy `frame` (`len` bytes, no CRC) into a buffer and send it. */
errval_t vf_tx(struct vf *vf, const void *frame, size_t len);
/** Take back the buffers of frames the NIC has sent; returns how many. */
unsigned vf_tx_reclaim(struct vf *vf);
/** Tell the NIC of every frame posted since the last time (one tail
 *  register write: under emulation each is a costly exit). Only needed
 *  with vf->tx_defer set; vf_rx_poll and vf_wait do it too. */
void vf_tx_flush(struct vf *vf);

/** Nothing to do. Polling mode: let the domain's other threads and the
 *  core's other domains run once, then return to look again (the core
 *  stays busy). With a Doorbell: sleep until the VF interrupts (at most
 *  100 ms). Either way, deferred sends are told to the NIC first. */
void vf_wait(struct vf *vf);
/** vf_wait's first half, for a thread that sleeps elsewhere (on another
 *  core than the one its Doorbell rings, say: lib/lwip's receive threads
 *  of a spanning domain): deferred sends told to the NIC, the receive
 *  interrupt re-armed, its cause cleared (with a Doorbell: one
 *  interrupt per sleep, not per frame). True if a frame is
 *  already waiting (then do not sleep); else *max_ms is how long the
 *  sleep may last (1 ms while sends are in flight: they raise no
 *  interrupt, and their buffers come back only by looking). */
bool vf_wait_prepare(struct vf *vf, unsigned *max_ms);
/** From now on vf_wait sleeps until a frame arrives (the VF's queue-0
 *  receive interrupt; sends completing do not interrupt): a Doorbell in capability slot `slot` (empty), MSI-X
 *  entry 0, routed to this core. */
errval_t vf_doorbell_enable(struct vf *vf, capaddr_t slot);
/** A received frame waits at the head of the ring. */
bool vf_rx_pending(struct vf *vf);

/** The counters (with the NIC's own, read now). */
void vf_stats(const struct vf *vf, struct vf_stats *out);

/** Stop the queues, reset the VF and let go of the VNIC (the VF is free
 *  again). Its memory stays with the domain. */
void vf_close(struct vf *vf);

/** "02:00:00:00:01:00" into `s` (18 bytes). */
void vf_mac_format(const uint8_t mac[VF_MAC_LEN], char s[18]);
/** Parse "aa:bb:cc:dd:ee:ff"; false if it is not one. */
bool vf_mac_parse(const char *s, uint8_t mac[VF_MAC_LEN]);
#endif
