/*
 * netif_vnic.c: lwIP's network interface over this domain's VNIC, and
 * net_start() (netif_vnic.h).
 *
 * One VF per application (lib/arrakis vf.h). net_start() opens it, gives
 * it a Filter (untagged frames to its MAC and broadcasts: ARP must reach
 * it) and a Doorbell, adds the interface to lwIP through the port's seam
 * (lwip_port_netif_add) and starts the receive thread.
 *
 *   receive   one thread on the application's first core: vf_rx_poll(),
 *             each frame copied into a PBUF_POOL pbuf and its buffer given
 *             straight back to the ring, then netif->input (tcpip_input:
 *             queued for lwIP's tcpip thread). With nothing to take it
 *             sleeps in vf_wait() until the VF's doorbell rings (or, with
 *             net=poll, until the next timer tick).
 *   send      linkoutput, called by lwIP under its core lock from whatever
 *             thread sends (an application thread in send(), or the tcpip
 *             thread for ACKs, ARP, retransmissions): a VF transmit buffer,
 *             the pbuf chain copied into it, posted to the ring.
 *
 * The VF half (vnic_vf.c) holds the driver under a lock, since the
 * receive thread and senders share it; this file is the lwIP half.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lwip/etharp.h"
#include "lwip/ip4_addr.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/stats.h"
#include "lwip/tcpip.h"
#include "lwip_port.h"
#include "netif_vnic.h"
#include "vnic_vf.h"
#include <libos/reqstage.h>

#define NET_RX_BATCH   32
#define NET_STAMPS     64       /* receive stamps kept (a power of two) */
#define NET_MTU        1500
#define NET_FRAME_MIN  14       /* VF_FRAME_MIN, VF_FRAME_MAX (arrakis/vf.h) */
#define NET_FRAME_MAX  1518
#define ETH_HDR        14
#define ETHTYPE_IPV4   0x0800

struct net_stamp {
    uint32_t src_ip;            /* network order */
    uint16_t src_port;          /* network order */
    uint16_t len;               /* UDP payload bytes */
    uint64_t tsc;
};

static struct {
    struct netif netif;
    pthread_t rx;
    bool doorbell, started;
    uint64_t rx_nopbuf;         /* frames dropped: no pbuf (receive thread) */
    uint64_t rx_refused;        /* frames tcpip_input refused (its mailbox full) */
    uint64_t tx_fail;           /* linkoutput refused: too long, ring full */
    uint64_t tx_copy_cycles;    /* atomic: net_tx_copy_take() */

    /* Receive stamps: ring of the last NET_STAMPS UDP datagrams to
     * stamp_port, under stamp_lock. */
    pthread_mutex_t stamp_lock;
    uint16_t stamp_port;        /* network order; 0: off */
    unsigned stamp_head, stamp_count;
    struct net_stamp stamps[NET_STAMPS];
} vn = { .stamp_lock = PTHREAD_MUTEX_INITIALIZER };

static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

/* If the frame is an unfragmented IPv4 UDP datagram to the stamped port,
 * remember when it arrived. */
static void net_stamp_frame(const uint8_t *f, unsigned len, uint64_t tsc)
{
    uint16_t port = __atomic_load_n(&vn.stamp_port, __ATOMIC_RELAXED);
    if (!port || len < ETH_HDR + 20 + 8 || get16(f + 12) != ETHTYPE_IPV4)
        return;
    const uint8_t *ip = f + ETH_HDR;
    unsigned ihl = (ip[0] & 0xf) * 4u;
    if ((ip[0] >> 4) != 4 || ip[9] != 17 || ihl < 20 || len < ETH_HDR + ihl + 8 ||
        (get16(ip + 6) & 0x3fff))
        return;
    const uint8_t *udp = ip + ihl;
    uint16_t dport;
    memcpy(&dport, udp + 2, 2);
    if (dport != port || get16(udp + 4) < 8)
        return;
    struct net_stamp s = { .len = (uint16_t)(get16(udp + 4) - 8), .tsc = tsc };
    memcpy(&s.src_ip, ip + 12, 4);
    memcpy(&s.src_port, udp, 2);
    pthread_mutex_lock(&vn.stamp_lock);
    vn.stamps[(vn.stamp_head + vn.stamp_count) % NET_STAMPS] = s;
    if (vn.stamp_count < NET_STAMPS)
        vn.stamp_count++;
    else
        vn.stamp_head = (vn.stamp_head + 1) % NET_STAMPS;
    pthread_mutex_unlock(&vn.stamp_lock);
}

void net_rx_stamps(uint16_t port)
{
    __atomic_store_n(&vn.stamp_port, lwip_htons(port), __ATOMIC_RELAXED);
}

uint64_t net_rx_stamp_take(uint32_t src_ip, uint16_t src_port, uint16_t len)
{
    uint64_t tsc = 0;
    pthread_mutex_lock(&vn.stamp_lock);
    for (unsigned i = 0; i < vn.stamp_count; i++) {
        const struct net_stamp *s = &vn.stamps[(vn.stamp_head + i) % NET_STAMPS];
        if (s->src_ip == src_ip && s->src_port == src_port && s->len == len) {
            tsc = s->tsc;
            vn.stamp_head = (vn.stamp_head + i + 1) % NET_STAMPS;  /* older ones are stale */
            vn.stamp_count -= i + 1;
            break;
        }
    }
    pthread_mutex_unlock(&vn.stamp_lock);
    return tsc;
}

uint64_t net_tx_copy_take(void)
{
    return __atomic_exchange_n(&vn.tx_copy_cycles, 0, __ATOMIC_RELAXED);
}

/* In the tcpip thread (tcpip_callback): the link came up. */
static void net_link_up(void *arg)
{
    netif_set_link_up(&vn.netif);
}

/* Under the VF's lock: one received frame into a pbuf (NULL if none free). */
static void net_rx_frame(void *arg, const uint8_t *frame, unsigned len, uint64_t tsc)
{
    struct pbuf **next = *(struct pbuf ***)arg;
    net_stamp_frame(frame, len, tsc);
    if (reqstage_every && reqstage_tcp_payload(frame, len))
        reqstage_at(REQ_RX, tsc);
    struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_POOL);
    if (p)
        pbuf_take(p, frame, (u16_t)len);
    *next = p;
    (*(struct pbuf ***)arg)++;
}

static void *net_rx_thread(void *arg)
{
    bool link = vnic_vf_link_up();
    for (;;) {
        struct pbuf *p[NET_RX_BATCH], **next = p;
        unsigned n = vnic_vf_rx(net_rx_frame, &next, NET_RX_BATCH);
        for (unsigned i = 0; i < n; i++) {
            if (!p[i]) {
                vn.rx_nopbuf++;
                LINK_STATS_INC(link.memerr);
                continue;
            }
            LINK_STATS_INC(link.recv);
            /* (the frame's headers are in the first pbuf: read before input frees it) */
            bool data = reqstage_every && reqstage_tcp_payload(p[i]->payload, p[i]->len);
            if (vn.netif.input(p[i], &vn.netif) != ERR_OK) {
                vn.rx_refused++;
                LINK_STATS_INC(link.drop);
                pbuf_free(p[i]);
            } else if (data) {
                reqstage_stamp(REQ_LWIP);   /* the core lock's input ran TCP: data is in the socket */
            }
        }
        if (!link && vnic_vf_link_up()) {
            link = true;
            tcpip_callback(net_link_up, NULL);
        }
        if (!n)
            vnic_vf_wait();
    }
    return NULL;
}

/* lwIP's linkoutput (under the core lock): one frame out. */
static err_t net_linkoutput(struct netif *netif, struct pbuf *p)
{
    static uint8_t flat[NET_FRAME_MAX];     /* long chains; the core lock guards it */
    struct vnic_seg seg[8];
    unsigned n = 0;
    size_t covered = 0;
    if (p->tot_len > NET_FRAME_MAX || p->tot_len < NET_FRAME_MIN) {
        vn.tx_fail++;
        LINK_STATS_INC(link.lenerr);
        return ERR_BUF;
    }
    for (struct pbuf *q = p; q && n < sizeof seg / sizeof seg[0]; q = q->next) {
        seg[n++] = (struct vnic_seg){ q->payload, q->len };
        covered += q->len;
    }
    if (covered < p->tot_len) {
        pbuf_copy_partial(p, flat, p->tot_len, 0);
        seg[0] = (struct vnic_seg){ flat, p->tot_len };
        n = 1;
    }
    uint64_t copy = 0;
    int r = vnic_vf_txv(seg, n, p->tot_len, &copy);
    __atomic_add_fetch(&vn.tx_copy_cycles, copy, __ATOMIC_RELAXED);
    if (r) {
        vn.tx_fail++;
        LINK_STATS_INC(link.drop);
        return ERR_MEM;
    }
    LINK_STATS_INC(link.xmit);
    if (reqstage_every && reqstage_tcp_payload(p->payload, p->len))
        reqstage_stamp(REQ_TX);
    return ERR_OK;
}

/* lwIP's init callback for the interface (netif_add, core lock held). */
static err_t net_netif_init(struct netif *netif)
{
    netif->name[0] = 'v';
    netif->name[1] = 'n';
    netif->mtu = NET_MTU;
    netif->hwaddr_len = ETH_HWADDR_LEN;
    vnic_vf_mac(netif->hwaddr);
    netif->flags = NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET | NETIF_FLAG_BROADCAST;
    if (vnic_vf_link_up())
        netif->flags |= NETIF_FLAG_LINK_UP;
    netif->output = etharp_output;
    netif->linkoutput = net_linkoutput;
    return ERR_OK;
}

static bool net_parse_ip(const char *s, ip4_addr_t *a)
{
    return ip4addr_aton(s, a) && strchr(s, '.');
}

/* One ip=, gw= or net= word; other words are the application's. */
static bool net_parse_word(const char *a, struct net_config *cfg, bool *have_ip)
{
    if (!strncmp(a, "ip=", 3)) {
        char buf[32];
        const char *slash = strchr(a + 3, '/');
        size_t n = slash ? (size_t)(slash - (a + 3)) : strlen(a + 3);
        char *end = NULL;
        long prefix = slash ? strtol(slash + 1, &end, 10) : 24;
        if (n >= sizeof buf || (slash && (*end || end == slash + 1)) || prefix < 1 || prefix > 30) {
            printf("net: bad %s (want ip=A.B.C.D/N, N 1..30)\n", a);
            return false;
        }
        memcpy(buf, a + 3, n);
        buf[n] = 0;
        if (!net_parse_ip(buf, &cfg->addr)) {
            printf("net: bad address in %s\n", a);
            return false;
        }
        ip4_addr_set_u32(&cfg->netmask, lwip_htonl(0xffffffffu << (32 - prefix)));
        *have_ip = true;
    } else if (!strncmp(a, "gw=", 3)) {
        if (!net_parse_ip(a + 3, &cfg->gw)) {
            printf("net: bad gateway %s\n", a);
            return false;
        }
    } else if (!strcmp(a, "net=poll")) {
        cfg->doorbell = false;
    } else if (!strncmp(a, "net=", 4)) {
        printf("net: unknown %s (net=poll)\n", a);
        return false;
    }
    return true;
}

bool net_option(int argc, char *argv[], const char *name, unsigned long max, unsigned long *v)
{
    size_t n = strlen(name);
    const char *text = getenv(name);
    for (int i = 1; i < argc; i++)
        if (!strncmp(argv[i], name, n) && argv[i][n] == '=')
            text = argv[i] + n + 1;
    if (!text)
        return true;
    char *end;
    *v = strtoul(text, &end, 10);
    return *text && !*end && *v <= max;
}

bool net_parse_args(int argc, char *argv[], struct net_config *cfg)
{
    extern char **environ;
    bool have_ip = false;
    *cfg = (struct net_config){ .doorbell = true };
    /* Leading NAME=value spawn arguments arrive as the environment
     * (lib/newlib/env.c): look there first, then in argv. */
    for (char **e = environ; e && *e; e++)
        if (!net_parse_word(*e, cfg, &have_ip))
            return false;
    for (int i = 1; i < argc; i++)
        if (!net_parse_word(argv[i], cfg, &have_ip))
            return false;
    if (!have_ip)
        printf("net: no address: give ip=A.B.C.D/N\n");
    return have_ip;
}

int net_start(int argc, char *argv[])
{
    struct net_config cfg;
    if (vn.started) {
        printf("net: net_start called twice\n");
        return -1;
    }
    if (!net_parse_args(argc, argv, &cfg))
        return -1;
    if (lwip_port_start() != ERR_OK) {
        printf("net: lwIP did not start\n");
        return -1;
    }
    char why[160];
    if (vnic_vf_open(cfg.doorbell, NET_FILTER_SLOT, NET_DOORBELL_SLOT, why, sizeof why)) {
        printf("net: %s\n", why);
        return -1;
    }
    vn.doorbell = cfg.doorbell;
    lwip_port_on_core_unlock(vnic_vf_flush);    /* one tail write per lock hold */
    if (lwip_port_netif_add(&vn.netif, &cfg.addr, &cfg.netmask, &cfg.gw, NULL, net_netif_init,
                            LWIP_PORT_NETIF_DEFAULT) != ERR_OK) {
        printf("net: lwIP refused the interface\n");
        return -1;
    }
    if (pthread_create(&vn.rx, NULL, net_rx_thread, NULL) != 0) {
        printf("net: no receive thread\n");
        return -1;
    }
    vn.started = true;
    return 0;
}

struct netif *net_netif(void)
{
    return vn.started ? &vn.netif : NULL;
}

void net_mac_string(char mac[18])
{
    vnic_vf_mac_string(mac);
}

void net_ip_string(char ip[16])
{
    ip4addr_ntoa_r(netif_ip4_addr(&vn.netif), ip, 16);
}

unsigned net_vf_index(void)
{
    return vnic_vf_index();
}

void net_stats_print(const char *who)
{
    struct vnic_vf_counters s;
    vnic_vf_counters(&s);
    printf("%s: vf %u rx %llu tx %llu rx_errors %llu rx_drops %llu tx_drops %llu nopbuf %llu "
           "refused %llu tx_fail %llu wakeups %llu\n", who, vnic_vf_index(),
           (unsigned long long)s.rx_packets, (unsigned long long)s.tx_packets,
           (unsigned long long)s.rx_errors, (unsigned long long)s.rx_drops,
           (unsigned long long)s.tx_drops, (unsigned long long)vn.rx_nopbuf,
           (unsigned long long)vn.rx_refused, (unsigned long long)vn.tx_fail,
           (unsigned long long)s.wakeups);
#if LWIP_STATS
#define NET_PROTO(name, st)                                                                  \
    printf("%s: lwip %s recv %u xmit %u drop %u chkerr %u lenerr %u proterr %u err %u\n", who, \
           name, (unsigned)st.recv, (unsigned)st.xmit, (unsigned)st.drop, (unsigned)st.chkerr, \
           (unsigned)st.lenerr, (unsigned)st.proterr, (unsigned)st.err)
    NET_PROTO("link", lwip_stats.link);
    NET_PROTO("etharp", lwip_stats.etharp);
    NET_PROTO("ip", lwip_stats.ip);
    NET_PROTO("icmp", lwip_stats.icmp);
    NET_PROTO("udp", lwip_stats.udp);
    NET_PROTO("tcp", lwip_stats.tcp);
#undef NET_PROTO
#endif
}
