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
 *
 * Checksum offload (vnic_vf_csum_set): the stack leaves the IPv4 header,
 * TCP and UDP checksums of what it sends at zero, and this file asks the
 * NIC for them frame by frame (vf_tx_buf_post_csum), after a look at the
 * copied frame's headers: Ethernet type IPv4, header length, protocol,
 * fragment bits. An IP fragment gets its header checksum only (the NIC
 * sees one fragment, not the datagram: a UDP datagram sent in fragments
 * goes with checksum 0, "none", which IPv4's UDP allows). A frame the
 * NIC would refuse is checksummed here instead. On receive, the NIC's
 * verdicts go up with each frame (netif_vnic.c drops the wrong ones).
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <arrakis/vf.h>
#include <kpi/cspace.h>
#include <libos/doorbell.h>
#include <libos/tsc.h>
#include <libos/vnic.h>

#include "vnic_vf.h"

#define VV_BATCH 32

static struct {
    struct vf vf;
    pthread_mutex_t lock;
    bool open;
    bool csum;                  /* checksum offload in use */
    uint32_t bells0;            /* the domain's doorbell count when it opened */
} vv[VNIC_VF_MAX];

_Static_assert(VNIC_CSUM_IP_OK == VF_RX_IP_OK && VNIC_CSUM_L4_OK == VF_RX_L4_OK &&
               VNIC_CSUM_IP_BAD == VF_RX_IP_BAD && VNIC_CSUM_L4_BAD == VF_RX_L4_BAD,
               "vnic_vf.h's verdicts are the driver's");

#define ETH_HDR         14
#define ETHTYPE_IPV4    0x0800
#define IPPROTO_TCP_    6
#define IPPROTO_UDP_    17
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
    vv[i].bells0 = libos_doorbell_count();
    vv[i].open = true;
    if (i + 1 > vv_count)
        __atomic_store_n(&vv_count, i + 1, __ATOMIC_RELEASE);
    return 0;
}

void vnic_vf_mac(unsigned i, uint8_t mac[6]) { memcpy(mac, vv[i].vf.mac, 6); }
void vnic_vf_mac_string(unsigned i, char s[18]) { vf_mac_format(vv[i].vf.mac, s); }
unsigned vnic_vf_index(unsigned i) { return vv[i].vf.index; }
bool vnic_vf_link_up(unsigned i) { return vf_link_up(&vv[i].vf); }
bool vnic_vf_csum_capable(unsigned i) { return vf_csum_offload(&vv[i].vf); }

void vnic_vf_csum_set(unsigned i, bool on)
{
    pthread_mutex_lock(&vv[i].lock);
    vv[i].csum = on;
    pthread_mutex_unlock(&vv[i].lock);
}

unsigned vnic_vf_rx(unsigned i,
                    void (*fn)(void *arg, const uint8_t *frame, unsigned len, unsigned csum,
                               uint64_t tsc),
                    void *arg, unsigned max)
{
    struct vf_buf b[VV_BATCH];
    if (max > VV_BATCH)
        max = VV_BATCH;
    pthread_mutex_lock(&vv[i].lock);
    unsigned n = vf_rx_poll(&vv[i].vf, b, max);
    uint64_t now = n ? rdtsc_now() : 0;
    for (unsigned k = 0; k < n; k++) {
        fn(arg, b[k].data, b[k].len, vv[i].csum ? b[k].csum : 0u, now);
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

/* The Internet checksum's running sum of n bytes (RFC 1071), big-endian words. */
static uint32_t vv_sum(const uint8_t *p, size_t n, uint32_t s)
{
    for (size_t k = 0; k + 1 < n; k += 2)
        s += (uint32_t)p[k] << 8 | p[k + 1];
    if (n & 1)
        s += (uint32_t)p[n - 1] << 8;
    return s;
}

static void vv_put_sum(uint8_t *field, uint32_t s, bool udp)
{
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    s = ~s & 0xffff;
    if (udp && !s)
        s = 0xffff;                     /* UDP: 0 would mean "no checksum" */
    field[0] = (uint8_t)(s >> 8);
    field[1] = (uint8_t)s;
}

/* Where the NIC cannot: the checksums the stack left out, in place. */
static void vv_csum_soft(uint8_t *ip, unsigned l3_len, unsigned csum, unsigned l4_len)
{
    if (csum & VF_TX_CSUM_IP) {
        ip[10] = ip[11] = 0;
        vv_put_sum(ip + 10, vv_sum(ip, l3_len, 0), false);
    }
    if (csum & (VF_TX_CSUM_TCP | VF_TX_CSUM_UDP)) {
        bool udp = csum & VF_TX_CSUM_UDP;
        uint8_t *l4 = ip + l3_len, *field = l4 + (udp ? 6 : 16);
        field[0] = field[1] = 0;
        uint32_t s = vv_sum(ip + 12, 8, (uint32_t)ip[9] + l4_len);
        vv_put_sum(field, vv_sum(l4, l4_len, s), udp);
    }
}

/* Send a copied frame, the NIC filling in the checksums of an IPv4 frame
 * (what the stack left out); anything else goes as it is. */
static errval_t vv_post_offload(struct vf *v, const struct vf_buf *b, size_t len)
{
    const uint8_t *f = b->data;
    if (len < ETH_HDR + 20 || (f[12] << 8 | f[13]) != ETHTYPE_IPV4)
        return vf_tx_buf_post(v, b, len);
    uint8_t *ip = b->data + ETH_HDR;
    unsigned l3_len = (ip[0] & 15) * 4u, tot = (unsigned)ip[2] << 8 | ip[3];
    bool fragment = ((ip[6] << 8 | ip[7]) & 0x3fff) != 0;     /* MF or an offset */
    if ((ip[0] >> 4) != 4 || l3_len < 20 || tot < l3_len || ETH_HDR + tot > len)
        return vf_tx_buf_post(v, b, len);                     /* not for us to judge */
    unsigned csum = VF_TX_CSUM_IP, l4_len = tot - l3_len;
    if (!fragment && ip[9] == IPPROTO_TCP_ && l4_len >= 20)
        csum |= VF_TX_CSUM_TCP;
    else if (!fragment && ip[9] == IPPROTO_UDP_ && l4_len >= 8)
        csum |= VF_TX_CSUM_UDP;
    errval_t err = vf_tx_buf_post_csum(v, b, len, csum, ETH_HDR, l3_len);
    if (err_no(err) != VF_ERR_OFFLOAD)
        return err;
    vv_csum_soft(ip, l3_len, csum, l4_len);
    return vf_tx_buf_post(v, b, len);
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
        err = vv[i].csum ? vv_post_offload(v, &b, len) : vf_tx_buf_post(v, &b, len);
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
        .wakeups = vv[i].vf.wakeups, .rx_tail_writes = s.rx_tail_writes,
        .tx_tail_writes = s.tx_tail_writes, .irq_writes = s.irq_writes,
        .bells = (uint32_t)(libos_doorbell_count() - vv[i].bells0),
    };
}
