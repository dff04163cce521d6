/*
 * vnic_vf.c: the VF half of the VNIC interfaces (vnic_vf.h): lib/arrakis's
 * VF driver under one lock per VF, for netif_vnic.c.
 *
 * A domain may hold up to VNIC_VF_MAX VFs (one per core of a spanning
 * domain: netif_vnic.h net_start_cores). VF i is driven through vv[i].
 *
 * vf_rx_poll also reclaims sent buffers, so receiving and sending both
 * change the transmit ring's state: every vf_* call on a VF is made
 * holding its `lock`, except vf_wait and vf_wait_prepare, which touch
 * only the interrupt registers and the head of the receive ring (its
 * receive thread's alone), and the lock-free peek of vnic_vf_rx_pending.
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

static struct {
    struct vf vf;
    pthread_mutex_t lock;
    bool open;
} vv[VNIC_VF_MAX];
static unsigned vv_count;

static int vv_fail(const char *what, errval_t err, char *why, size_t why_len)
{
    snprintf(why, why_len, "%s: %s (%s)", what, err_msg(err_no(err)), err_name(err_no(err)));
    return -1;
}

int vnic_vf_open(unsigned i, bool doorbell, unsigned filter_slot, unsigned doorbell_slot,
                 char *why, size_t why_len)
{
    if (i >= VNIC_VF_MAX || vv[i].open) {
        snprintf(why, why_len, "VF slot %u taken or out of range", i);
        return -1;
    }
    struct vf *v = &vv[i].vf;
    pthread_mutex_init(&vv[i].lock, NULL);
    errval_t err = vf_open(v);
    if (err_is_fail(err))
        return vv_fail("opening a VF", err, why, why_len);
    v->tx_defer = true;                 /* sends are told to the NIC by vnic_vf_flush */
    struct filter_spec spec = { .flags = FILTER_MAC | FILTER_BROADCAST };
    err = vnic_filter_create(v->vnic, &spec, CAP_SLOT(filter_slot), NULL);
    if (err_is_fail(err))
        return vv_fail("the VNIC's filter", err, why, why_len);
    if (doorbell) {
        err = vf_doorbell_enable(v, CAP_SLOT(doorbell_slot));
        if (err_is_fail(err))
            return vv_fail("the VNIC's doorbell", err, why, why_len);
    }
    vv[i].open = true;
    if (i + 1 > vv_count)
        __atomic_store_n(&vv_count, i + 1, __ATOMIC_RELEASE);
    return 0;
}

void vnic_vf_mac(unsigned i, uint8_t mac[6]) { memcpy(mac, vv[i].vf.mac, 6); }
void vnic_vf_mac_string(unsigned i, char s[18]) { vf_mac_format(vv[i].vf.mac, s); }
unsigned vnic_vf_index(unsigned i) { return vv[i].vf.index; }
bool vnic_vf_link_up(unsigned i) { return vf_link_up(&vv[i].vf); }

unsigned vnic_vf_rx(unsigned i, void (*fn)(void *arg, const uint8_t *frame, unsigned len, uint64_t tsc),
                    void *arg, unsigned max)
{
    struct vf_buf b[VV_BATCH];
    if (max > VV_BATCH)
        max = VV_BATCH;
    pthread_mutex_lock(&vv[i].lock);
    unsigned n = vf_rx_poll(&vv[i].vf, b, max);
    uint64_t now = n ? rdtsc_now() : 0;
    for (unsigned k = 0; k < n; k++) {
        fn(arg, b[k].data, b[k].len, now);
        vf_rx_release(&vv[i].vf, &b[k]);
    }
    pthread_mutex_unlock(&vv[i].lock);
    return n;
}

void vnic_vf_wait(unsigned i)
{
    vf_wait(&vv[i].vf);
}

bool vnic_vf_wait_prepare(unsigned i, unsigned *max_ms)
{
    pthread_mutex_lock(&vv[i].lock);     /* it flushes deferred sends */
    bool pending = vf_wait_prepare(&vv[i].vf, max_ms);
    pthread_mutex_unlock(&vv[i].lock);
    return pending;
}

bool vnic_vf_rx_pending(unsigned i)
{
    /* A peek from another thread: rx_next moves only in VF i's receive
     * thread, and the NIC sets DD before it interrupts, so a stale read
     * costs at most one needless wake-up. */
    return vv[i].open && vf_rx_pending(&vv[i].vf);
}

int vnic_vf_txv(unsigned i, const struct vnic_seg *seg, unsigned n, size_t len,
                uint64_t *copy_cycles)
{
    struct vf *v = &vv[i].vf;
    pthread_mutex_lock(&vv[i].lock);
    struct vf_buf b;
    errval_t err = vf_tx_buf_get(v, &b);
    if (err_is_ok(err)) {
        uint64_t t0 = rdtsc_now();
        size_t off = 0;
        for (unsigned k = 0; k < n && off < len; k++) {
            size_t c = seg[k].len < len - off ? seg[k].len : len - off;
            memcpy(b.data + off, seg[k].data, c);
            off += c;
        }
        *copy_cycles += rdtsc_now() - t0;
        err = vf_tx_buf_post(v, &b, len);
        if (err_is_fail(err))
            vf_tx_buf_put(v, &b);
    }
    pthread_mutex_unlock(&vv[i].lock);
    return err_is_ok(err) ? 0 : -1;
}

void vnic_vf_flush(void)
{
    unsigned n = __atomic_load_n(&vv_count, __ATOMIC_ACQUIRE);
    for (unsigned i = 0; i < n; i++) {
        /* Only VFs with sends not yet told. Sends are made under lwIP's
         * core lock, and its holder calls this as it lets go: it sees its
         * own posts, so the peek without the VF's lock misses none. */
        if (!vv[i].open || vv[i].vf.tx_told == vv[i].vf.tx_tail)
            continue;
        pthread_mutex_lock(&vv[i].lock);
        vf_tx_flush(&vv[i].vf);
        pthread_mutex_unlock(&vv[i].lock);
    }
}

void vnic_vf_counters(unsigned i, struct vnic_vf_counters *c)
{
    struct vf_stats s;
    pthread_mutex_lock(&vv[i].lock);
    vf_stats(&vv[i].vf, &s);
    pthread_mutex_unlock(&vv[i].lock);
    *c = (struct vnic_vf_counters){
        .rx_packets = s.rx_packets, .tx_packets = s.tx_packets, .rx_errors = s.rx_errors,
        .rx_drops = s.rx_drops, .tx_drops = s.tx_drops, .tx_errors = s.tx_errors,
        .wakeups = vv[i].vf.wakeups,
    };
}
