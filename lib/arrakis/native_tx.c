/*
 * native_tx.c: the send half of the Arrakis native interface
 * (arrakis/native.h): headers written around a payload that is already in
 * its packet buffer, the buffer posted to the VF's transmit ring, and the
 * completions of sends that asked for one.
 *
 * Completions: the VF driver gives a sent buffer back to its pool when it
 * reclaims the descriptor (vf_tx_reclaim), without telling anyone. A send
 * with a cookie therefore records the descriptor it went to (pend[], in
 * posting order); anet_collect, run before every post and by every
 * receive, reclaims, then completes each recorded send whose descriptor
 * is no longer between the ring's clean and tail indices. Because it runs
 * before each post, a recorded descriptor is never reused before its send
 * has completed, so an index is never ambiguous. At most ANET_CQ_SIZE
 * cookies are recorded or queued at once (more: ANET_ERR_CQ_FULL).
 */
#include <arrakis/native.h>
#include <libos/libos.h>
#include <libos/tsc.h>
#include <string.h>

#define ETHERTYPE_IPV4  0x0800
#define ETHERTYPE_ARP   0x0806
#define IPPROTO_UDP     17
#define IP_TTL          64
#define IP_DF           0x4000
#define ARP_FRAME       (ANET_ETH_HDR + 28)

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, (uint16_t)(v >> 16));
    put16(p + 2, (uint16_t)v);
}

static bool outstanding(const struct vf *vf, unsigned desc)
{
    return (desc - vf->tx_clean) % VF_TX_RING < (unsigned)(vf->tx_tail - vf->tx_clean) % VF_TX_RING;
}

void anet_collect(struct anet *an)
{
    vf_tx_reclaim(&an->vf);
    while (an->pend_n && !outstanding(&an->vf, an->pend[an->pend_head].desc)) {
        uint64_t cookie = an->pend[an->pend_head].cookie;
        an->pend_head = (an->pend_head + 1) % VF_TX_RING;
        an->pend_n--;
        an->stats.completions++;
        if (an->sent_cb) {
            an->sent_cb(an, cookie, an->sent_arg);      /* state is consistent: it may send */
        } else {
            an->cq[(an->cq_head + an->cq_n) % ANET_CQ_SIZE].cookie = cookie;
            an->cq_n++;
        }
    }
}

errval_t anet_post(struct anet *an, struct vf_buf *b, size_t len, uint64_t cookie)
{
    anet_collect(an);
    if (cookie && an->pend_n + an->cq_n >= ANET_CQ_SIZE)
        return ANET_ERR_CQ_FULL;
    /* A UDP datagram this library built goes with checksum offload when on. */
    bool udp = an->csum_hw && len >= ANET_UDP_OFF && b->data[12] == ETHERTYPE_IPV4 >> 8 &&
               b->data[13] == (ETHERTYPE_IPV4 & 0xff) &&
               b->data[ANET_ETH_HDR + 9] == IPPROTO_UDP && b->data[ANET_ETH_HDR] == 0x45;
    errval_t err = udp ? vf_tx_buf_post_csum(&an->vf, b, len, VF_TX_CSUM_IP | VF_TX_CSUM_UDP,
                                             ANET_ETH_HDR, ANET_IP_HDR)
                       : vf_tx_buf_post(&an->vf, b, len);
    if (err_is_fail(err) || !cookie)
        return err;
    /* The frame's own descriptor: the last one posted (a context
     * descriptor may have gone ahead of it). */
    unsigned desc = (an->vf.tx_tail + VF_TX_RING - 1) % VF_TX_RING;
    unsigned i = (an->pend_head + an->pend_n++) % VF_TX_RING;
    an->pend[i].desc = (uint16_t)desc;
    an->pend[i].cookie = cookie;
    return ERR_OK;
}

void anet_udp_headers(struct anet *an, uint8_t *f, const uint8_t *dmac, uint32_t dip,
                      uint16_t sport, uint16_t dport, size_t len, uint16_t ip_id)
{
    memcpy(f, dmac, VF_MAC_LEN);
    memcpy(f + VF_MAC_LEN, an->vf.mac, VF_MAC_LEN);
    put16(f + 12, ETHERTYPE_IPV4);
    uint8_t *ip = f + ANET_ETH_HDR, *u = ip + ANET_IP_HDR;
    ip[0] = 0x45;                               /* version 4, 5 words */
    ip[1] = 0;
    put16(ip + 2, (uint16_t)(ANET_IP_HDR + ANET_UDP_HDR + len));
    put16(ip + 4, ip_id);
    put16(ip + 6, IP_DF);
    ip[8] = IP_TTL;
    ip[9] = IPPROTO_UDP;
    put16(ip + 10, 0);
    put32(ip + 12, an->ip);
    put32(ip + 16, dip);
    if (!an->csum_hw)
        put16(ip + 10, anet_csum(ip, ANET_IP_HDR, 0));
    uint16_t ulen = (uint16_t)(ANET_UDP_HDR + len);
    put16(u, sport);
    put16(u + 2, dport);
    put16(u + 4, ulen);
    put16(u + 6, 0);
    if (an->csum_tx) {
        uint16_t c = anet_csum(u, ulen, anet_csum_add(ip + 12, 8, IPPROTO_UDP + ulen));
        put16(u + 6, c ? c : 0xffff);           /* 0 would mean "none" */
    }
}

errval_t arrakis_udp_reply(struct anet *an, struct anet_pkt *pkt, size_t len)
{
    uint64_t t0 = rdtsc_now();
    uint8_t *f = pkt->buf.data;
    errval_t err = ERR_OK;
    if (pkt->kind != ANET_PKT_UDP || pkt->data != f + ANET_UDP_OFF)
        err = ANET_ERR_BAD_PKT;
    else if (len > ANET_UDP_MAX)
        err = ANET_ERR_LEN;
    if (err_is_ok(err)) {
        uint8_t dmac[VF_MAC_LEN];
        memcpy(dmac, f + VF_MAC_LEN, VF_MAC_LEN);
        anet_udp_headers(an, f, dmac, pkt->peer_ip, an->port, pkt->peer_port, len, an->ip_id++);
        err = anet_post(an, &pkt->buf, ANET_UDP_OFF + len, 0);
    }
    if (err_is_fail(err)) {
        an->stats.drop[ANET_DROP_TX_FULL] += err_no(err) == VF_ERR_TX_FULL;
        arrakis_pkt_release(an, pkt);
        return err;
    }
    pkt->kind = 0;
    an->stats.udp_replies++;
    pktstat_add(&an->pktstat, PKT_STACK_OUT, rdtsc_now() - t0);
    return ERR_OK;
}

errval_t arrakis_udp_buf_get(struct anet *an, struct anet_pkt *pkt)
{
    anet_collect(an);
    errval_t err = vf_tx_buf_get(&an->vf, &pkt->buf);
    if (err_is_fail(err))
        return err;
    pkt->data = pkt->buf.data + ANET_UDP_OFF;
    pkt->len = ANET_UDP_MAX;
    pkt->peer_ip = 0;
    pkt->peer_port = 0;
    pkt->kind = ANET_PKT_UDP_TX;
    return ERR_OK;
}

/* Ask the subnet who has `ip` (a broadcast ARP request, no completion). */
static errval_t arp_request(struct anet *an, uint32_t ip)
{
    struct vf_buf b;
    errval_t err = vf_tx_buf_get(&an->vf, &b);
    if (err_is_fail(err))
        return err;
    uint8_t *f = b.data, *a = f + ANET_ETH_HDR;
    memset(f, 0xff, VF_MAC_LEN);
    memcpy(f + VF_MAC_LEN, an->vf.mac, VF_MAC_LEN);
    put16(f + 12, ETHERTYPE_ARP);
    put16(a, 1);                                /* Ethernet */
    put16(a + 2, ETHERTYPE_IPV4);
    a[4] = VF_MAC_LEN;
    a[5] = 4;
    put16(a + 6, 1);                            /* request */
    memcpy(a + 8, an->vf.mac, VF_MAC_LEN);
    put32(a + 14, an->ip);
    memset(a + 18, 0, VF_MAC_LEN);
    put32(a + 24, ip);
    err = anet_post(an, &b, ARP_FRAME, 0);
    if (err_is_fail(err))
        vf_tx_buf_put(&an->vf, &b);
    return err;
}

errval_t arrakis_udp_send(struct anet *an, struct anet_pkt *pkt, size_t len, uint32_t ip,
                          uint16_t port, uint64_t cookie)
{
    uint64_t t0 = rdtsc_now();
    uint8_t *f = pkt->buf.data;
    if ((pkt->kind != ANET_PKT_UDP && pkt->kind != ANET_PKT_UDP_TX) || pkt->data != f + ANET_UDP_OFF)
        return ANET_ERR_BAD_PKT;
    if (len > ANET_UDP_MAX || !port)
        return ANET_ERR_LEN;
    if ((ip & an->mask) != (an->ip & an->mask) || ip == an->ip || (ip | an->mask) == ~0u)
        return ANET_ERR_NOT_LOCAL;
    const uint8_t *mac = anet_arp_find(an, ip);
    if (!mac) {
        uint64_t now = rdtsc_now();
        if (an->arp_asked == ip && now - an->arp_asked_tsc < ANET_ARP_RETRY_MS * libos_tsc_hz() / 1000)
            return ANET_ERR_ARP_PENDING;        /* asked a moment ago */
        an->arp_asked = ip;
        an->arp_asked_tsc = now;
        errval_t err = arp_request(an, ip);
        return err_is_ok(err) ? ANET_ERR_ARP_PENDING : err_push(err, ANET_ERR_ARP_PENDING);
    }
    anet_udp_headers(an, f, mac, ip, an->port, port, len, an->ip_id++);
    errval_t err = anet_post(an, &pkt->buf, ANET_UDP_OFF + len, cookie);
    if (err_is_fail(err))
        return err;
    pkt->kind = 0;
    an->stats.udp_sent++;
    pktstat_add(&an->pktstat, PKT_STACK_OUT, rdtsc_now() - t0);
    return ERR_OK;
}

errval_t arrakis_raw_buf_get(struct anet *an, struct anet_pkt *pkt)
{
    anet_collect(an);
    errval_t err = vf_tx_buf_get(&an->vf, &pkt->buf);
    if (err_is_fail(err))
        return err;
    *pkt = (struct anet_pkt){ .data = pkt->buf.data, .len = ANET_RAW_MAX, .kind = ANET_PKT_RAW,
                              .buf = pkt->buf };
    return ERR_OK;
}

errval_t arrakis_raw_send(struct anet *an, struct anet_pkt *pkt, size_t len, uint64_t cookie)
{
    if (!pkt->kind)
        return ANET_ERR_BAD_PKT;
    errval_t err = anet_post(an, &pkt->buf, len, cookie);
    if (err_is_fail(err))
        return err;
    pkt->kind = 0;
    an->stats.raw_sent++;
    return ERR_OK;
}

unsigned arrakis_completions(struct anet *an, struct anet_completion *out, unsigned max)
{
    vf_tx_flush(&an->vf);               /* what is batched cannot complete */
    anet_collect(an);
    unsigned n = 0;
    for (; n < max && an->cq_n; n++, an->cq_n--) {
        out[n] = an->cq[an->cq_head];
        an->cq_head = (an->cq_head + 1) % ANET_CQ_SIZE;
    }
    return n;
}

void arrakis_set_sent_cb(struct anet *an, anet_sent_fn *fn, void *arg)
{
    an->sent_cb = fn;
    an->sent_arg = arg;
}
