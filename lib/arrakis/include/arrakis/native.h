/**
 * \file native.h
 * \brief The Arrakis native network interface: zero-copy UDP and raw
 * Ethernet frames on the packet buffers of the domain's own VF
 * (lib/arrakis/native*.c over arrakis/vf.h). No lwIP, no copy between
 * the NIC and the application, no kernel on the path.
 *
 * Receive: arrakis_recv() lends the application the packets that arrived.
 * A UDP packet's `data` points at the datagram's payload inside the very
 * buffer the NIC wrote; a raw packet's `data` is the whole frame. Every
 * frame is validated before it is believed (Ethernet, ARP, IPv4 header
 * length/version/checksum/total length, fragments, UDP length and
 * checksum); what fails is counted by reason (struct anet_stats) and its
 * buffer recycled. ARP requests for the local address and ICMP echo
 * requests are answered inside the library, in place.
 *
 * Send, three ways, none of which copies the payload:
 *   reply    arrakis_udp_reply(): rewrite the received packet's headers
 *            around `len` bytes the application left at `data` (swapped
 *            addresses and ports) and post the same buffer.
 *   fresh    arrakis_udp_buf_get() lends an empty buffer whose `data` is
 *            the payload's place behind room for the headers; the
 *            application writes the payload there, arrakis_udp_send()
 *            writes Ethernet/IPv4/UDP headers around it and posts it.
 *   raw      arrakis_raw_buf_get()/arrakis_raw_send(): the application
 *            writes the whole frame.
 * A send given a `cookie` completes: once the NIC has sent the frame (and
 * the buffer went back to the VF's pool) the cookie appears in the
 * completion queue (arrakis_completions()) or, if a callback is set
 * (arrakis_set_sent_cb()), is handed to it from the next arrakis_* call.
 *
 * Ownership: a packet is the application's from arrakis_recv()/..._buf_get()
 * until it is passed to a send/reply (accepted or not: see each call) or
 * to arrakis_pkt_release(). After a successful send the application must
 * not touch the buffer again.
 *
 * Limits: one VF, one local IPv4 address, one UDP port; peers on the local
 * subnet only (no gateway); no IP fragments or IP options (dropped,
 * counted); untagged frames only; UDP checksums in software (0 on send
 * with csum=off). Not thread-safe: one thread drives a struct anet.
 */
#ifndef ARRAKIS_NATIVE_H
#define ARRAKIS_NATIVE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <arrakis/vf.h>
#include <arrakis/pktstat.h>
#include <kpi/errors.h>

#define ANET_ETH_HDR    14
#define ANET_IP_HDR     20      /* no options: what this library sends */
#define ANET_UDP_HDR    8
#define ANET_UDP_OFF    (ANET_ETH_HDR + ANET_IP_HDR + ANET_UDP_HDR) /* payload in a frame */
#define ANET_UDP_MAX    (1500 - ANET_IP_HDR - ANET_UDP_HDR)         /* 1472 */
#define ANET_RAW_MAX    VF_FRAME_MAX
#define ANET_ARP_CACHE  16
#define ANET_CQ_SIZE    VF_TX_RING  /* completions: at most one per descriptor */
#define ANET_ARP_RETRY_MS 100       /* ask again for the same address after this */

/** Why a received frame was dropped (struct anet_stats.drop[]). */
enum anet_drop {
    ANET_DROP_SHORT,        /* shorter than an Ethernet header plus what its type needs */
    ANET_DROP_SRC_MAC,      /* from a group address or from this VF itself */
    ANET_DROP_ETHERTYPE,    /* not ARP or IPv4 (and raw frames not asked for) */
    ANET_DROP_ARP,          /* ARP that is not Ethernet/IPv4 request or reply */
    ANET_DROP_ARP_OTHER,    /* well-formed ARP for another address */
    ANET_DROP_IP_VERSION,   /* IP version not 4 */
    ANET_DROP_IP_HLEN,      /* IHL below 5 */
    ANET_DROP_IP_TRUNC,     /* the IP header runs past the frame */
    ANET_DROP_IP_CSUM,      /* IP header checksum wrong */
    ANET_DROP_IP_LEN,       /* total length below the header or past the frame */
    ANET_DROP_IP_FRAG,      /* a fragment (MF or offset set) */
    ANET_DROP_IP_OPTIONS,   /* IHL above 5 */
    ANET_DROP_NOT_MINE,     /* to another IPv4 address */
    ANET_DROP_PROTO,        /* not UDP or ICMP */
    ANET_DROP_UDP_LEN,      /* UDP length below 8 or past the IP payload */
    ANET_DROP_UDP_CSUM,     /* UDP checksum wrong */
    ANET_DROP_UDP_PORT,     /* to another port */
    ANET_DROP_ICMP,         /* ICMP malformed, bad checksum, or not an echo request */
    ANET_DROP_TX_FULL,      /* an ARP/ICMP/UDP answer found no transmit slot */
    ANET_DROPS
};

/** Counters (drop[] by reason). */
struct anet_stats {
    uint64_t rx_frames;     /* frames the VF lent us */
    uint64_t rx_udp, rx_raw;/* packets handed to the application */
    uint64_t arp_replies, icmp_replies;
    uint64_t udp_replies, udp_sent, raw_sent;
    uint64_t completions;
    uint64_t drop[ANET_DROPS];
};

enum anet_kind { ANET_PKT_UDP = 1, ANET_PKT_RAW, ANET_PKT_UDP_TX };

/** A packet lent to the application. `data`/`len` are the UDP payload
 *  (kind UDP, UDP_TX) or the whole frame (RAW); the peer fields are in
 *  host byte order. The rest is the library's. */
struct anet_pkt {
    uint8_t *data;
    uint16_t len;
    uint16_t peer_port;
    uint32_t peer_ip;
    uint8_t kind;           /* enum anet_kind */
    struct vf_buf buf;      /* the frame's buffer */
};

/** A finished send: the cookie given to it. */
struct anet_completion {
    uint64_t cookie;
};

struct anet;
typedef void anet_sent_fn(struct anet *an, uint64_t cookie, void *arg);

/** One interface. Read `vf.mac`, `ip`, `port`, `stats`, `pktstat` freely;
 *  the rest is the library's. */
struct anet {
    struct vf vf;
    uint32_t ip, mask;      /* host byte order */
    uint16_t port;
    bool csum_tx;           /* compute UDP checksums on send (csum=sw) */
    bool csum_hw;           /* the NIC computes and checks them (csum=hw) */
    bool raw;               /* deliver non-IP frames (raw) */
    bool doorbell;
    uint16_t ip_id;         /* IPv4 identification of the next datagram sent */

    struct { uint32_t ip; uint8_t mac[VF_MAC_LEN]; } arp[ANET_ARP_CACHE];
    unsigned arp_next;      /* next cache slot to reuse */
    uint32_t arp_asked;     /* the address last asked for, and when (TSC) */
    uint64_t arp_asked_tsc;

    /* Sends that asked for a completion, oldest first: the descriptor
     * each went to and its cookie. */
    struct { uint16_t desc; uint64_t cookie; } pend[VF_TX_RING];
    unsigned pend_head, pend_n;
    struct anet_completion cq[ANET_CQ_SIZE];
    unsigned cq_head, cq_n;
    anet_sent_fn *sent_cb;
    void *sent_arg;

    struct anet_stats stats;
    struct pktstat pktstat; /* stack in (recv), stack out (reply/send) */
};

/** Open the VF and the UDP endpoint. `args`, space-separated:
 *    ip=A.B.C.D/LEN  (required) the local address and subnet
 *    port=N          (required) the local UDP port, 1..65535
 *    csum=hw|sw|off  checksums: the NIC's offload (default: it fills in IP
 *                    and UDP checksums on send and its verdicts on receive
 *                    are taken), software both ways, or software with no
 *                    UDP checksum on send
 *    raw             also deliver frames that are not ARP/IPv4
 *    doorbell        arrakis_wait() sleeps on the VF's interrupt
 *    slot=N          first of two empty CAP_SLOT()s for the Filter and
 *                    the Doorbell (default 0)
 *  The Filter admits broadcast and this VF's MAC, untagged. */
errval_t arrakis_udp_open(struct anet *an, const char *args);
/** Close the VF (arrakis/vf.h vf_close). */
void arrakis_close(struct anet *an);

/** Packets that arrived, up to `max` (UDP and, with `raw`, raw frames),
 *  lent until replied, sent or released. Also answers ARP and ICMP echo,
 *  and delivers completions. Returns how many; 0 if none. */
unsigned arrakis_recv(struct anet *an, struct anet_pkt *pkts, unsigned max);
static inline unsigned arrakis_udp_recv(struct anet *an, struct anet_pkt *pkts, unsigned max)
{
    return arrakis_recv(an, pkts, max);
}
/** Give a lent packet back unsent. */
errval_t arrakis_pkt_release(struct anet *an, struct anet_pkt *pkt);

/** Answer a received UDP packet in place with the `len` payload bytes at
 *  pkt->data (0..ANET_UDP_MAX). Consumes the packet even on failure. */
errval_t arrakis_udp_reply(struct anet *an, struct anet_pkt *pkt, size_t len);

/** Lend an empty buffer for a UDP datagram: write up to ANET_UDP_MAX
 *  bytes at pkt->data, then arrakis_udp_send() it. */
errval_t arrakis_udp_buf_get(struct anet *an, struct anet_pkt *pkt);
/** Send `len` bytes at pkt->data to ip:port (host order, on the local
 *  subnet); `cookie` (nonzero) comes back as a completion when the NIC is
 *  done. Works on any held packet whose payload sits at ANET_UDP_OFF (a
 *  fresh one, or a received UDP one). If the peer's MAC is not known yet an
 *  ARP request goes out and ANET_ERR_ARP_PENDING comes back. On failure
 *  the caller still holds the packet. */
errval_t arrakis_udp_send(struct anet *an, struct anet_pkt *pkt, size_t len, uint32_t ip,
                          uint16_t port, uint64_t cookie);

/** Lend an empty buffer for a whole frame (pkt->data, ANET_RAW_MAX bytes). */
errval_t arrakis_raw_buf_get(struct anet *an, struct anet_pkt *pkt);
/** Send the `len` bytes of frame at pkt->buf.data (any held packet: fresh,
 *  or received and rewritten); completion as arrakis_udp_send. On failure
 *  the caller still holds the packet. */
errval_t arrakis_raw_send(struct anet *an, struct anet_pkt *pkt, size_t len, uint64_t cookie);

/** Finished sends, up to `max` cookies, oldest first. */
unsigned arrakis_completions(struct anet *an, struct anet_completion *out, unsigned max);
/** Hand completions to `fn` instead of queueing them. */
void arrakis_set_sent_cb(struct anet *an, anet_sent_fn *fn, void *arg);

/** Nothing to do: sleep until a frame may have come (doorbell or tick). */
void arrakis_wait(struct anet *an);

/** The counters on the console, each line starting with `who`. */
void arrakis_print_stats(const struct anet *an, const char *who);
/** The name of a drop reason ("ip_csum"). */
const char *arrakis_drop_name(enum anet_drop d);
/** "10.11.0.3" into `s` (16 bytes); `ip` in host order. */
void arrakis_ip_format(uint32_t ip, char s[16]);
/** Parse "A.B.C.D"; false if it is not one. */
bool arrakis_ip_parse(const char *s, uint32_t *ip);

/* The internals native*.c share (not for applications). */
uint16_t anet_csum(const void *p, size_t n, uint32_t sum);
uint32_t anet_csum_add(const void *p, size_t n, uint32_t sum);
void anet_arp_learn(struct anet *an, uint32_t ip, const uint8_t *mac);
const uint8_t *anet_arp_find(const struct anet *an, uint32_t ip);
errval_t anet_post(struct anet *an, struct vf_buf *b, size_t len, uint64_t cookie);
void anet_collect(struct anet *an);
void anet_udp_headers(struct anet *an, uint8_t *f, const uint8_t *dmac, uint32_t dip,
                      uint16_t sport, uint16_t dport, size_t len, uint16_t ip_id);
#endif
