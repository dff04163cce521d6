/*
 * vnic_vf.h: the VF half of the VNIC interface (vnic_vf.c), in plain
 * types: netif_vnic.c sees lwIP's headers and this file sees lib/arrakis's,
 * and the two cannot meet in one file (both name an ERR_OK).
 *
 * Every call but vnic_vf_wait takes the VF's lock (the VF driver is not
 * thread-safe; the receive thread and senders share it).
 */
#ifndef LWIP_VNIC_VF_H
#define LWIP_VNIC_VF_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** A piece of a frame to send. */
struct vnic_seg {
    const void *data;
    size_t len;
};

/** Driver counters (vf_stats) and the doorbell's wake-ups. */
struct vnic_vf_counters {
    uint64_t rx_packets, tx_packets, rx_errors, rx_drops, tx_drops, tx_errors, wakeups;
};

/** Open the VF, give it a Filter (its MAC + broadcast, untagged) in
 *  CAP_SLOT(filter_slot) and, if `doorbell`, a Doorbell in
 *  CAP_SLOT(doorbell_slot). 0, or -1 with `why` saying what failed. */
int vnic_vf_open(bool doorbell, unsigned filter_slot, unsigned doorbell_slot, char *why,
                 size_t why_len);
void vnic_vf_mac(uint8_t mac[6]);
void vnic_vf_mac_string(char s[18]);
unsigned vnic_vf_index(void);
bool vnic_vf_link_up(void);

/** Take up to `max` frames off the ring: `fn` sees each (under the lock,
 *  with the TSC when the batch was taken), then its buffer goes back.
 *  Returns how many. */
unsigned vnic_vf_rx(void (*fn)(void *arg, const uint8_t *frame, unsigned len, uint64_t tsc),
                    void *arg, unsigned max);
/** Sleep until the doorbell rings (or the next tick with none). Receive
 *  thread only. */
void vnic_vf_wait(void);
/** Send one frame gathered from `n` pieces (`len` bytes in all); adds the
 *  cycles spent copying to *copy_cycles. 0, or -1 if the VF refused. */
int vnic_vf_txv(const struct vnic_seg *seg, unsigned n, size_t len, uint64_t *copy_cycles);
/** Tell the NIC of the frames sent since the last time (one tail write);
 *  lwIP's core-unlock hook calls it. */
void vnic_vf_flush(void);
void vnic_vf_counters(struct vnic_vf_counters *c);
#endif
