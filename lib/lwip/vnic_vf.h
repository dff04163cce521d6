/*
 * vnic_vf.h: the VF half of the VNIC interfaces (vnic_vf.c), in plain
 * types: netif_vnic.c sees lwIP's headers and this file sees lib/arrakis's,
 * and the two cannot meet in one file (both name an ERR_OK).
 *
 * VFs are numbered 0..VNIC_VF_MAX-1 in the domain (argument `i`; not the
 * NIC's VF number, which vnic_vf_index gives). Every call but
 * vnic_vf_wait and vnic_vf_rx_pending takes that VF's lock (the VF
 * driver is not thread-safe; its receive thread and senders share it).
 */
#ifndef LWIP_VNIC_VF_H
#define LWIP_VNIC_VF_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VNIC_VF_MAX 4           /* = MONITOR_VNICS_PER_CLIENT, and the driver's VF_WINDOWS */

/** A piece of a frame to send. */
struct vnic_seg {
    const void *data;
    size_t len;
};

/** Driver counters (vf_stats) and the doorbell's wake-ups; the data
 *  path's register writes (each an exit into the device model under
 *  emulation) and the doorbell rings the domain got since the VF opened. */
struct vnic_vf_counters {
    uint64_t rx_packets, tx_packets, rx_errors, rx_drops, tx_drops, tx_errors, wakeups;
    uint64_t rx_tail_writes, tx_tail_writes, irq_writes, bells;
};

/* What vnic_vf_rx's callback learns of a frame with checksum offload on:
 * the NIC's verdicts (= arrakis/vf.h VF_RX_*). A checksum it did not
 * check has neither bit; the stack checks those itself. */
#define VNIC_CSUM_IP_OK  0x1    /* IPv4 header checksum right */
#define VNIC_CSUM_IP_BAD 0x2    /* ... wrong */
#define VNIC_CSUM_L4_OK  0x4    /* TCP or UDP checksum right */
#define VNIC_CSUM_L4_BAD 0x8    /* ... wrong */

/** Open VF `i`, give it a Filter (its MAC + broadcast, untagged) in
 *  CAP_SLOT(filter_slot) and, if `doorbell`, a Doorbell in
 *  CAP_SLOT(doorbell_slot) (ringing on the calling core). 0, or -1 with
 *  `why` saying what failed. */
int vnic_vf_open(unsigned i, bool doorbell, unsigned filter_slot, unsigned doorbell_slot,
                 char *why, size_t why_len);
void vnic_vf_mac(unsigned i, uint8_t mac[6]);
void vnic_vf_mac_string(unsigned i, char s[18]);
unsigned vnic_vf_index(unsigned i);
bool vnic_vf_link_up(unsigned i);
/** Does VF i's NIC offer checksum offload (vf_csum_offload)? */
bool vnic_vf_csum_capable(unsigned i);
/** Use checksum offload on VF i from now on (the caller made sure the NIC
 *  offers it), or stop. With it on, vnic_vf_txv has the NIC fill in the
 *  IPv4, TCP and UDP checksums the stack left out, and vnic_vf_rx passes
 *  on the NIC's verdicts. */
void vnic_vf_csum_set(unsigned i, bool on);

/** Take up to `max` frames off VF i's ring: `fn` sees each (under the
 *  lock, with its VNIC_CSUM_* verdicts, 0 with offload off, and the TSC
 *  when the batch was taken), then its buffer goes back. Returns how many. */
unsigned vnic_vf_rx(unsigned i,
                    void (*fn)(void *arg, const uint8_t *frame, unsigned len, unsigned csum,
                               uint64_t tsc),
                    void *arg, unsigned max);
/** Sleep until VF i's doorbell rings (or the next tick with none). Its
 *  receive thread only, on the core the doorbell rings. */
void vnic_vf_wait(unsigned i);
/** For a receive thread that sleeps elsewhere: arm VF i's interrupt (vf.h
 *  vf_wait_prepare). True if a frame waits; else *max_ms bounds the sleep. */
bool vnic_vf_wait_prepare(unsigned i, unsigned *max_ms);
/** A frame waits on VF i's ring (a peek, from any thread, no lock). */
bool vnic_vf_rx_pending(unsigned i);
/** Send one frame on VF i gathered from `n` pieces (`len` bytes in all);
 *  adds the cycles spent copying to *copy_cycles. With checksum offload
 *  on, the frame's IPv4 header and TCP/UDP checksums are the NIC's to
 *  fill in (or this file's, for a frame the NIC cannot take so).
 *  0, or -1 if refused. */
int vnic_vf_txv(unsigned i, const struct vnic_seg *seg, unsigned n, size_t len,
                uint64_t *copy_cycles);
/** Tell the NIC of the frames sent since the last time (one tail write
 *  per VF that sent); lwIP's core-unlock hook calls it. */
void vnic_vf_flush(void);
void vnic_vf_counters(unsigned i, struct vnic_vf_counters *c);
#endif
