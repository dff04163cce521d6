/*
 * vnic_vf.c: the VF half of the VNIC interface (vnic_vf.h): lib/arrakis's
 * VF driver under one lock, for netif_vnic.c.
 *
 * vf_rx_poll also reclaims sent buffers, so receiving and sending both
 * change the transmit ring's state: every vf_* call is made holding
 * `vv_lock`, except vf_wait, which touches only the interrupt registers
 * and the head of the receive ring (the receive thread's alone).
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <arrakis/vf.h>
#include <kpi/cspace.h>
#include <libos/tsc.h>
#include <libos/vnic.h>

#include "vnic_vf.h"

#define VV_BATCH 32

static struct vf vv;
static pthread_mutex_t vv_lock = PTHREAD_MUTEX_INITIALIZER;

static int vv_fail(const char *what, errval_t err, char *why, size_t why_len)
{
    snprintf(why, why_len, "%s: %s (%s)", what, err_msg(err_no(err)), err_name(err_no(err)));
    return -1;
}

int vnic_vf_open(bool doorbell, unsigned filter_slot, unsigned doorbell_slot, char *why,
                 size_t why_len)
{
    errval_t err = vf_open(&vv);
    if (err_is_fail(err))
        return vv_fail("opening a VF", err, why, why_len);
    vv.tx_defer = true;                 /* sends are told to the NIC by vnic_vf_flush */
    struct filter_spec spec = { .flags = FILTER_MAC | FILTER_BROADCAST };
    err = vnic_filter_create(vv.vnic, &spec, CAP_SLOT(filter_slot), NULL);
    if (err_is_fail(err))
        return vv_fail("the VNIC's filter", err, why, why_len);
    if (doorbell) {
        err = vf_doorbell_enable(&vv, CAP_SLOT(doorbell_slot));
        if (err_is_fail(err))
            return vv_fail("the VNIC's doorbell", err, why, why_len);
    }
    return 0;
}

void vnic_vf_mac(uint8_t mac[6]) { memcpy(mac, vv.mac, 6); }
void vnic_vf_mac_string(char s[18]) { vf_mac_format(vv.mac, s); }
unsigned vnic_vf_index(void) { return vv.index; }
bool vnic_vf_link_up(void) { return vf_link_up(&vv); }

unsigned vnic_vf_rx(void (*fn)(void *arg, const uint8_t *frame, unsigned len, uint64_t tsc),
                    void *arg, unsigned max)
{
    struct vf_buf b[VV_BATCH];
    if (max > VV_BATCH)
        max = VV_BATCH;
    pthread_mutex_lock(&vv_lock);
    unsigned n = vf_rx_poll(&vv, b, max);
    uint64_t now = n ? rdtsc_now() : 0;
    for (unsigned i = 0; i < n; i++) {
        fn(arg, b[i].data, b[i].len, now);
        vf_rx_release(&vv, &b[i]);
    }
    pthread_mutex_unlock(&vv_lock);
    return n;
}

void vnic_vf_wait(void)
{
    vf_wait(&vv);
}

int vnic_vf_txv(const struct vnic_seg *seg, unsigned n, size_t len, uint64_t *copy_cycles)
{
    pthread_mutex_lock(&vv_lock);
    struct vf_buf b;
    errval_t err = vf_tx_buf_get(&vv, &b);
    if (err_is_ok(err)) {
        uint64_t t0 = rdtsc_now();
        size_t off = 0;
        for (unsigned i = 0; i < n && off < len; i++) {
            size_t k = seg[i].len < len - off ? seg[i].len : len - off;
            memcpy(b.data + off, seg[i].data, k);
            off += k;
        }
        *copy_cycles += rdtsc_now() - t0;
        err = vf_tx_buf_post(&vv, &b, len);
        if (err_is_fail(err))
            vf_tx_buf_put(&vv, &b);
    }
    pthread_mutex_unlock(&vv_lock);
    return err_is_ok(err) ? 0 : -1;
}

void vnic_vf_flush(void)
{
    pthread_mutex_lock(&vv_lock);
    vf_tx_flush(&vv);
    pthread_mutex_unlock(&vv_lock);
}

void vnic_vf_counters(struct vnic_vf_counters *c)
{
    struct vf_stats s;
    pthread_mutex_lock(&vv_lock);
    vf_stats(&vv, &s);
    pthread_mutex_unlock(&vv_lock);
    *c = (struct vnic_vf_counters){
        .rx_packets = s.rx_packets, .tx_packets = s.tx_packets, .rx_errors = s.rx_errors,
        .rx_drops = s.rx_drops, .tx_drops = s.tx_drops, .tx_errors = s.tx_errors,
        .wakeups = vv.wakeups,
    };
}
