/*
 * native_rx.c: the receive half of the Arrakis native interface
 * (arrakis/native.h): every frame the VF lends is validated, then either
 * handed to the application (a UDP datagram for our address and port, or
 * with `raw` any frame that is not ARP/IPv4), answered here in place (an
 * ARP request for our address, an ICMP echo request), or dropped and
 * counted by reason. Nothing is copied: a UDP packet's `data` points into
 * the buffer the NIC wrote.
 *
 * Invariant: each buffer vf_rx_poll lends is, by the end of arrakis_recv,
 * either in the application's hands (pkts[]), posted for sending, or
 * released: no path leaks one. No field of a frame is used before the
 * frame is known to hold it, whatever its length fields claim.
 */
#include <arrakis/native.h>
#include <libos/tsc.h>
#include <string.h>

#define RX_BATCH        32      /* frames taken from the ring per poll */
#define ETHERTYPE_IPV4  0x0800
#define ETHERTYPE_ARP   0x0806
#define ARP_LEN         28      /* Ethernet/IPv4 ARP body */
#define ARP_REQUEST     1
#define ARP_REPLY       2
#define IPPROTO_ICMP    1
#define IPPROTO_UDP     17
#define ICMP_ECHO_REPLY 0
#define ICMP_ECHO       8
#define IP_FRAG_MASK    0x3fff  /* MF and the fragment offset */
#define IP_TTL          64

enum verdict { RX_DELIVER, RX_DONE };

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static enum verdict drop(struct anet *an, struct vf_buf *b, enum anet_drop why)
{
    an->stats.drop[why]++;
    vf_rx_release(&an->vf, b);
    return RX_DONE;
}

/* Send an answer built in the received buffer; the Ethernet addresses
 * become (sender, us). */
static enum verdict answer(struct anet *an, struct vf_buf *b, size_t len, uint64_t *counter)
{
    memcpy(b->data, b->data + VF_MAC_LEN, VF_MAC_LEN);
    memcpy(b->data + VF_MAC_LEN, an->vf.mac, VF_MAC_LEN);
    if (err_is_fail(anet_post(an, b, len, 0)))
        return drop(an, b, ANET_DROP_TX_FULL);
    (*counter)++;
    return RX_DONE;
}

/* ARP over Ethernet for IPv4 (RFC 826): learn the sender if it asks for
 * us or answers us; answer a request for our address. */
static enum verdict rx_arp(struct anet *an, struct vf_buf *b)
{
    uint8_t *a = b->data + ANET_ETH_HDR;
    if (b->len < ANET_ETH_HDR + ARP_LEN)
        return drop(an, b, ANET_DROP_SHORT);
    uint16_t op = get16(a + 6);
    if (get16(a) != 1 || get16(a + 2) != ETHERTYPE_IPV4 || a[4] != VF_MAC_LEN || a[5] != 4 ||
        (op != ARP_REQUEST && op != ARP_REPLY))
        return drop(an, b, ANET_DROP_ARP);
    uint32_t spa = get32(a + 14), tpa = get32(a + 24);
    if (tpa != an->ip)
        return drop(an, b, ANET_DROP_ARP_OTHER);
    anet_arp_learn(an, spa, a + 8);
    if (op == ARP_REPLY) {
        vf_rx_release(&an->vf, b);
        return RX_DONE;
    }
    put16(a + 6, ARP_REPLY);
    memcpy(a + 18, a + 8, VF_MAC_LEN + 4);      /* target := sender (MAC, IP) */
    memcpy(a + 8, an->vf.mac, VF_MAC_LEN);      /* sender := us */
    a[14] = (uint8_t)(an->ip >> 24);
    a[15] = (uint8_t)(an->ip >> 16);
    a[16] = (uint8_t)(an->ip >> 8);
    a[17] = (uint8_t)an->ip;
    return answer(an, b, ANET_ETH_HDR + ARP_LEN, &an->stats.arp_replies);
}

/* An ICMP echo request (RFC 792) becomes its echo reply in place. `ip`
 * is a checked 20-byte header, `tot` its datagram's checked length. */
static enum verdict rx_icmp(struct anet *an, struct vf_buf *b, uint8_t *ip, unsigned tot)
{
    uint8_t *icmp = ip + ANET_IP_HDR;
    unsigned len = tot - ANET_IP_HDR;
    if (len < 8 || anet_csum(icmp, len, 0) != 0 || icmp[0] != ICMP_ECHO || icmp[1] != 0)
        return drop(an, b, ANET_DROP_ICMP);
    icmp[0] = ICMP_ECHO_REPLY;
    put16(icmp + 2, 0);
    put16(icmp + 2, anet_csum(icmp, len, 0));
    uint8_t src[4];
    memcpy(src, ip + 12, 4);
    memcpy(ip + 12, ip + 16, 4);
    memcpy(ip + 16, src, 4);
    ip[8] = IP_TTL;
    put16(ip + 10, 0);
    put16(ip + 10, anet_csum(ip, ANET_IP_HDR, 0));
    return answer(an, b, ANET_ETH_HDR + tot, &an->stats.icmp_replies);
}

/* A UDP datagram (RFC 768) for our port goes to the application. */
static enum verdict rx_udp(struct anet *an, struct vf_buf *b, struct anet_pkt *p, uint8_t *ip,
                           unsigned tot)
{
    uint8_t *u = ip + ANET_IP_HDR;
    unsigned room = tot - ANET_IP_HDR;
    unsigned ulen = room >= ANET_UDP_HDR ? get16(u + 4) : 0;
    if (ulen < ANET_UDP_HDR || ulen > room)
        return drop(an, b, ANET_DROP_UDP_LEN);
    if (an->csum_hw && (b->csum & (VF_RX_L4_OK | VF_RX_L4_BAD))) {
        if (b->csum & VF_RX_L4_BAD)             /* the NIC checked it */
            return drop(an, b, ANET_DROP_UDP_CSUM);
    } else if (get16(u + 6)) {                  /* 0: the sender computed none */
        uint32_t pseudo = anet_csum_add(ip + 12, 8, IPPROTO_UDP + ulen);
        if (anet_csum(u, ulen, pseudo) != 0)
            return drop(an, b, ANET_DROP_UDP_CSUM);
    }
    if (get16(u + 2) != an->port)
        return drop(an, b, ANET_DROP_UDP_PORT);
    *p = (struct anet_pkt){ .data = u + ANET_UDP_HDR, .len = (uint16_t)(ulen - ANET_UDP_HDR),
                            .peer_port = get16(u), .peer_ip = get32(ip + 12), .kind = ANET_PKT_UDP,
                            .buf = *b };
    an->stats.rx_udp++;
    return RX_DELIVER;
}

/* IPv4 (RFC 791): the header checked field by field, in an order in
 * which each check only reads bytes the previous ones proved present. */
static enum verdict rx_ipv4(struct anet *an, struct vf_buf *b, struct anet_pkt *p)
{
    uint8_t *ip = b->data + ANET_ETH_HDR;
    unsigned avail = b->len - ANET_ETH_HDR;
    if (avail < 1)
        return drop(an, b, ANET_DROP_SHORT);
    if (ip[0] >> 4 != 4)
        return drop(an, b, ANET_DROP_IP_VERSION);
    unsigned hlen = (ip[0] & 15u) * 4;
    if (hlen < ANET_IP_HDR)
        return drop(an, b, ANET_DROP_IP_HLEN);
    if (hlen > avail)
        return drop(an, b, ANET_DROP_IP_TRUNC);
    bool nic_checked = an->csum_hw && (b->csum & (VF_RX_IP_OK | VF_RX_IP_BAD));
    if (nic_checked ? (b->csum & VF_RX_IP_BAD) != 0 : anet_csum(ip, hlen, 0) != 0)
        return drop(an, b, ANET_DROP_IP_CSUM);
    unsigned tot = get16(ip + 2);               /* the frame may be longer: padding */
    if (tot < hlen || tot > avail)
        return drop(an, b, ANET_DROP_IP_LEN);
    if (get16(ip + 6) & IP_FRAG_MASK)
        return drop(an, b, ANET_DROP_IP_FRAG);
    if (hlen != ANET_IP_HDR)
        return drop(an, b, ANET_DROP_IP_OPTIONS);
    if (get32(ip + 16) != an->ip)
        return drop(an, b, ANET_DROP_NOT_MINE);
    anet_arp_learn(an, get32(ip + 12), b->data + VF_MAC_LEN);
    switch (ip[9]) {
    case IPPROTO_ICMP:
        return rx_icmp(an, b, ip, tot);
    case IPPROTO_UDP:
        return rx_udp(an, b, p, ip, tot);
    default:
        return drop(an, b, ANET_DROP_PROTO);
    }
}

static enum verdict rx_frame(struct anet *an, struct vf_buf *b, struct anet_pkt *p)
{
    const uint8_t *f = b->data;
    if (b->len < ANET_ETH_HDR)
        return drop(an, b, ANET_DROP_SHORT);
    if ((f[VF_MAC_LEN] & 1) || !memcmp(f + VF_MAC_LEN, an->vf.mac, VF_MAC_LEN))
        return drop(an, b, ANET_DROP_SRC_MAC);
    switch (get16(f + 12)) {
    case ETHERTYPE_ARP:
        return rx_arp(an, b);
    case ETHERTYPE_IPV4:
        return rx_ipv4(an, b, p);
    default:
        if (!an->raw)
            return drop(an, b, ANET_DROP_ETHERTYPE);
        *p = (struct anet_pkt){ .data = b->data, .len = b->len, .kind = ANET_PKT_RAW, .buf = *b };
        an->stats.rx_raw++;
        return RX_DELIVER;
    }
}

unsigned arrakis_recv(struct anet *an, struct anet_pkt *pkts, unsigned max)
{
    struct vf_buf b[RX_BATCH];
    uint64_t t0 = rdtsc_now();
    unsigned n = vf_rx_poll(&an->vf, b, max < RX_BATCH ? max : RX_BATCH);
    anet_collect(an);
    if (!n)
        return 0;
    uint64_t poll_share = (rdtsc_now() - t0) / n;   /* the ring's cost, per frame */
    unsigned out = 0;
    for (unsigned i = 0; i < n; i++) {
        uint64_t t = rdtsc_now();
        an->stats.rx_frames++;
        if (rx_frame(an, &b[i], &pkts[out]) != RX_DELIVER)
            continue;
        if (pkts[out].kind == ANET_PKT_UDP) {
            pktstat_add(&an->pktstat, PKT_STACK_IN, poll_share + rdtsc_now() - t);
            an->pktstat.requests++;
        }
        out++;
    }
    return out;
}

errval_t arrakis_pkt_release(struct anet *an, struct anet_pkt *pkt)
{
    errval_t err = vf_rx_release(&an->vf, &pkt->buf);
    pkt->kind = 0;
    return err;
}
