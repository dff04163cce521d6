/*
 * netif_vnic.c: lwIP's network interfaces over this domain's VNICs, and
 * net_start()/net_start_cores() (netif_vnic.h).
 *
 * One VF per core the application networks on (lib/arrakis vf.h): one by
 * default, up to VNIC_VF_MAX with net_start_cores. Each is opened with a
 * Filter (untagged frames to its MAC and broadcasts: ARP must reach it)
 * and a Doorbell, added to lwIP as an interface of its own with its own
 * address (ip=, ip+1, ...) and gets its own receive thread on its core.
 *
 *   receive   interface i's thread, on core first+i: vf_rx_poll(), each
 *             frame copied into a PBUF_POOL pbuf and its buffer given
 *             straight back to the ring, then netif->input (tcpip_input,
 *             run in place under the core lock). With nothing to take it
 *             sleeps until the VF's doorbell rings (or, with net=poll,
 *             until the next timer tick).
 *   doorbells A Doorbell rings on the core that made it, which for every
 *             VF of a spanning domain is its first core (the capability
 *             invocations of other cores are made there: lib/libos
 *             syscall.c). So interface 0's thread, on that core, sleeps on
 *             the bells and, when one rings, wakes each other interface's
 *             thread whose ring has a frame (one cross-core wake per
 *             sleep; a thread that keeps finding frames never sleeps).
 *   send      linkoutput, called by lwIP under its core lock from whatever
 *             thread sends (an application thread in send(), or the tcpip
 *             thread for ACKs, ARP, retransmissions): a transmit buffer of
 *             the interface's VF, the pbuf chain copied into it, posted.
 *             lwIP picks the interface by the packet's source address
 *             (lwip_port_route_src), so a connection's replies leave by
 *             the VF its requests came in on.
 *             The NIC is told of sends (one tail write) when the core lock
 *             is let go, or, for what the receive thread's input made the
 *             stack send, once at the end of its batch (net_core_unlocked).
 *
 *   checksums With the NIC's checksum offload (the default where the NIC
 *             has it; net=csum=sw turns it off), lwIP computes no IPv4,
 *             TCP or UDP checksum: the interface's checksum flags
 *             (LWIP_CHECKSUM_CTRL_PER_NETIF) say "generate none, check
 *             none" except ICMP's, the VF half has the NIC fill them in
 *             on send, and a received frame the NIC found wrong is dropped
 *             here, before it takes a pbuf (counted: rx_csum_bad, and
 *             lwIP's link chkerr and drop).
 *             For the rest, lwIP checks what the NIC did not vouch for:
 *             each frame goes in through net_input_offload, which, under
 *             the core lock, turns on the checks that frame needs (IPv4
 *             header unless IPCS said right, TCP/UDP unless L4CS did: IP
 *             fragments, UDP without a checksum, and whatever QEMU did not
 *             parse), runs ethernet_input and turns them off again. A
 *             packet sent to our own address loops back through this
 *             interface with its checksums never filled in; that path sees
 *             the checks off, as lwIP's own loopback interface does.
 *
 * The VF half (vnic_vf.c) holds each driver under a lock, since the
 * receive thread and senders share it; this file is the lwIP half.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lwip/etharp.h"
#include "lwip/ip4_addr.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/stats.h"
#include "lwip/tcpip.h"
#include "netif/ethernet.h"
#include "lwip_port.h"
#include "lwip_stacks.h"
#include "netif_vnic.h"
#include "vnic_vf.h"
#include <libos/cyclestat.h>
#include <libos/reqstage.h>

#define NET_RX_BATCH   32
#define NET_STAMPS     64       /* receive stamps kept (a power of two) */
#define NET_MTU        1500
#define NET_FRAME_MIN  14       /* VF_FRAME_MIN, VF_FRAME_MAX (arrakis/vf.h) */
#define NET_FRAME_MAX  1518
#define ETH_HDR        14
#define ETHTYPE_IPV4   0x0800

/* The checksum flags of an interface with the NIC's offload, between
 * frames: lwIP generates and checks only ICMP's. */
#define NET_CSUM_OFFLOAD (NETIF_CHECKSUM_GEN_ICMP | NETIF_CHECKSUM_CHECK_ICMP)

#if !LWIP_TCPIP_CORE_LOCKING_INPUT || !LWIP_CHECKSUM_CTRL_PER_NETIF
#error "net_input_offload sets the checks of the frame it runs: input must run in place"
#endif

struct net_stamp {
    uint32_t src_ip;            /* network order */
    uint16_t src_port;          /* network order */
    uint16_t len;               /* UDP payload bytes */
    uint64_t tsc;
};

/* One interface: a VF, its netif, its receive thread. */
struct net_if {
    struct netif netif;
    const struct lwip_stack_net *st;    /* the lwIP it belongs to */
    unsigned i;                 /* vnic_vf.c's VF number */
    int core;
    pthread_t rx;
    /* Threads other than interface 0's sleep here (doorbells ring on the
     * first core): `asleep` says the thread may sleep, `woken` that it
     * was rung since. */
    pthread_mutex_t wake_lock;
    pthread_cond_t wake;
    bool asleep, woken;
    uint64_t rx_nopbuf;         /* frames dropped: no pbuf (receive thread) */
    uint64_t rx_heap;           /* frames received into the heap: the pool was out */
    uint64_t rx_csum_bad;       /* frames dropped: the NIC found a checksum wrong */
    uint64_t rx_refused;        /* frames tcpip_input refused (its mailbox full) */
    uint64_t tx_fail;           /* linkoutput refused: too long, ring full */
    bool csum;                  /* the NIC's checksum offload is in use */
    /* The receive thread while it inputs a batch (else NULL): what the
     * stack sends meanwhile is told to the NIC once, at the batch's end. */
    pthread_t batching;
    unsigned rx_csum;           /* the frame being input: VNIC_CSUM_* (receive thread) */
    uint8_t flat[NET_FRAME_MAX];    /* long chains; the stack's core lock guards it */
};

/* Stack 0 is lwIP's own names; stacks 1..3 come from lib/lwip/stacks.c
 * when the program links it (net_start_apart). */
static const struct lwip_stack_net net_stack0 = {
    .port_start = lwip_port_start, .netif_add = lwip_port_netif_add,
    .netif_set_core = lwip_port_netif_set_core, .on_core_unlock = lwip_port_on_core_unlock,
    .pbuf_alloc = pbuf_alloc, .pbuf_take = pbuf_take, .pbuf_free = pbuf_free,
    .tcpip_callback = tcpip_callback, .netif_set_link_up = netif_set_link_up,
    .etharp_output = etharp_output, .tcpip_inpkt = tcpip_inpkt, .ethernet_input = ethernet_input,
    .stats = &lwip_stats,
};
extern const struct lwip_stack_net lwip_stacks_net[LWIP_STACKS] __attribute__((weak));

/* LINK_STATS_INC of the interface's own stack. */
#define NET_LINK_INC(f, field) ((f)->st->stats->link.field++)

static struct {
    struct net_if ifs[VNIC_VF_MAX];
    unsigned n;                 /* interfaces started */
    bool doorbell, started;
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
    struct net_if *f = arg;
    f->st->netif_set_link_up(&f->netif);
}

/* What net_rx_frame fills: the interface, and where the next pbuf and
 * its checksum verdicts go. */
struct net_rx_batch {
    struct net_if *f;
    struct pbuf **next;
    unsigned *csum;
};

/* Under the VF's lock: one received frame into a pbuf of the interface's
 * stack (NULL if none free). */
static void net_rx_frame(void *arg, const uint8_t *frame, unsigned len, unsigned csum, uint64_t tsc)
{
    struct net_rx_batch *b = arg;
    if (csum & (VNIC_CSUM_IP_BAD | VNIC_CSUM_L4_BAD)) {
        b->f->rx_csum_bad++;
        NET_LINK_INC(b->f, recv);
        NET_LINK_INC(b->f, chkerr);
        NET_LINK_INC(b->f, drop);
        return;
    }
    *b->csum++ = csum;
    net_stamp_frame(frame, len, tsc);
    if (reqstage_every && reqstage_tcp_payload(frame, len))
        reqstage_at(REQ_RX, tsc);
    cyclestat_count(CYCN_RX_FRAMES, 1);
    struct pbuf *p = b->f->st->pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_POOL);
    if (!p) {
        /* The pool is out (frames wait in sockets nobody reads yet: with
         * 32-segment windows, a few busy connections hold more than the
         * pool). The heap, rather than a drop that stalls the connection
         * until a retransmission; TCP's windows bound what it holds. */
        p = b->f->st->pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_RAM);
        b->f->rx_heap += p != NULL;
    }
    if (p)
        b->f->st->pbuf_take(p, frame, (u16_t)len);
    *b->next++ = p;
}

/* Interface 0's thread, after each look at its own ring: wake the other
 * interfaces' threads that sleep with a frame waiting. */
static void net_ring_others(void)
{
    for (unsigned k = 1; k < vn.n; k++) {
        struct net_if *f = &vn.ifs[k];
        if (!__atomic_load_n(&f->asleep, __ATOMIC_ACQUIRE) || !vnic_vf_rx_pending(f->i))
            continue;
        pthread_mutex_lock(&f->wake_lock);
        f->woken = true;
        pthread_cond_signal(&f->wake);
        pthread_mutex_unlock(&f->wake_lock);
    }
}

/* A thread of interface k > 0 with nothing to take: sleep until
 * interface 0's thread sees a frame on its ring (or max_ms passes). */
static void net_sleep_relayed(struct net_if *f)
{
    /* `asleep` goes up before the interrupt is armed and the ring looked
     * at: a frame after that look rings the bell, and the ringer then
     * sees `asleep`, so no wake-up is lost. */
    __atomic_store_n(&f->asleep, true, __ATOMIC_SEQ_CST);
    unsigned ms;
    if (!vnic_vf_wait_prepare(f->i, &ms)) {
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        t.tv_nsec += (long)ms * 1000000;
        t.tv_sec += t.tv_nsec / 1000000000;
        t.tv_nsec %= 1000000000;
        pthread_mutex_lock(&f->wake_lock);
        while (!f->woken && pthread_cond_timedwait(&f->wake, &f->wake_lock, &t) == 0)
            ;
        f->woken = false;
        pthread_mutex_unlock(&f->wake_lock);
    }
    __atomic_store_n(&f->asleep, false, __ATOMIC_RELEASE);
}

/* Under the core lock (tcpip_inpkt runs it in place): one frame into
 * lwIP, with the checks on that the NIC did not do for it. */
static err_t net_input_offload(struct pbuf *p, struct netif *netif)
{
    struct net_if *f = netif->state;
    u16_t checks = 0;
    if (!(f->rx_csum & VNIC_CSUM_IP_OK))
        checks |= NETIF_CHECKSUM_CHECK_IP;
    if (!(f->rx_csum & VNIC_CSUM_L4_OK))
        checks |= NETIF_CHECKSUM_CHECK_TCP | NETIF_CHECKSUM_CHECK_UDP;
    NETIF_SET_CHECKSUM_CTRL(netif, NET_CSUM_OFFLOAD | checks);
    err_t err = f->st->ethernet_input(p, netif);
    NETIF_SET_CHECKSUM_CTRL(netif, NET_CSUM_OFFLOAD);
    return err;
}

static err_t net_input(struct net_if *f, struct pbuf *p, unsigned csum)
{
    if (!f->csum)
        return f->netif.input(p, &f->netif);
    f->rx_csum = csum;
    return f->st->tcpip_inpkt(p, &f->netif, net_input_offload);
}

static void *net_rx_thread(void *arg)
{
    struct net_if *f = arg;
    bool link = vnic_vf_link_up(f->i);
    for (;;) {
        struct pbuf *p[NET_RX_BATCH];
        unsigned csum[NET_RX_BATCH];
        struct net_rx_batch b = { f, p, csum };
        unsigned taken = vnic_vf_rx(f->i, net_rx_frame, &b, NET_RX_BATCH);
        unsigned n = (unsigned)(b.next - p);    /* frames not dropped for a wrong checksum */
        if (n)
            __atomic_store_n(&f->batching, pthread_self(), __ATOMIC_RELAXED);
        for (unsigned i = 0; i < n; i++) {
            if (!p[i]) {
                f->rx_nopbuf++;
                NET_LINK_INC(f, memerr);
                continue;
            }
            NET_LINK_INC(f, recv);
            /* (the frame's headers are in the first pbuf: read before input frees it) */
            bool data = reqstage_every && reqstage_tcp_payload(p[i]->payload, p[i]->len);
            if (net_input(f, p[i], csum[i]) != ERR_OK) {
                f->rx_refused++;
                NET_LINK_INC(f, drop);
                f->st->pbuf_free(p[i]);
            } else if (data) {
                reqstage_stamp(REQ_LWIP);   /* the core lock's input ran TCP: data is in the socket */
            }
        }
        if (n) {
            /* What the batch made the stack send (ACKs, answers): one
             * tail write for all of it, now. */
            __atomic_store_n(&f->batching, NULL, __ATOMIC_RELAXED);
            vnic_vf_flush();
        }
        if (!link && vnic_vf_link_up(f->i)) {
            link = true;
            f->st->tcpip_callback(net_link_up, f);
        }
        if (f->i == 0 && vn.doorbell)
            net_ring_others();
        if (taken)
            continue;
        if (f->i == 0 || !vn.doorbell)
            vnic_vf_wait(f->i);
        else
            net_sleep_relayed(f);
    }
    return NULL;
}

/* The core lock's release hook: sends made under it are told to the
 * NIC (one tail write per lock hold), except by a receive thread inside a
 * batch, which tells them once at the batch's end (net_rx_thread). Any
 * other thread's release tells the NIC of everything sent so far. */
static void net_core_unlocked(void)
{
    pthread_t me = pthread_self();
    for (unsigned k = 0; k < vn.n; k++) {
        pthread_t b = __atomic_load_n(&vn.ifs[k].batching, __ATOMIC_RELAXED);
        if (b && pthread_equal(b, me))
            return;
    }
    vnic_vf_flush();
}

/* lwIP's linkoutput (under the core lock): one frame out. */
static err_t net_linkoutput(struct netif *netif, struct pbuf *p)
{
    struct net_if *f = netif->state;
    struct vnic_seg seg[8];
    unsigned n = 0;
    size_t covered = 0;
    if (p->tot_len > NET_FRAME_MAX || p->tot_len < NET_FRAME_MIN) {
        f->tx_fail++;
        NET_LINK_INC(f, lenerr);
        return ERR_BUF;
    }
    for (struct pbuf *q = p; q && n < sizeof seg / sizeof seg[0]; q = q->next) {
        seg[n++] = (struct vnic_seg){ q->payload, q->len };
        covered += q->len;
    }
    if (covered < p->tot_len) {
        pbuf_copy_partial(p, f->flat, p->tot_len, 0);     /* reads the chain only */
        seg[0] = (struct vnic_seg){ f->flat, p->tot_len };
        n = 1;
    }
    uint64_t copy = 0;
    int r = vnic_vf_txv(f->i, seg, n, p->tot_len, &copy);
    __atomic_add_fetch(&vn.tx_copy_cycles, copy, __ATOMIC_RELAXED);
    if (r) {
        f->tx_fail++;
        NET_LINK_INC(f, drop);
        return ERR_MEM;
    }
    NET_LINK_INC(f, xmit);
    cyclestat_count(CYCN_TX_FRAMES, 1);
    if (reqstage_every && reqstage_tcp_payload(p->payload, p->len))
        reqstage_stamp(REQ_TX);
    return ERR_OK;
}

/* lwIP's init callback for the interface (netif_add, core lock held). */
static err_t net_netif_init(struct netif *netif)
{
    struct net_if *f = netif->state;
    netif->name[0] = 'v';
    netif->name[1] = 'n';
    netif->mtu = NET_MTU;
    netif->hwaddr_len = ETH_HWADDR_LEN;
    vnic_vf_mac(f->i, netif->hwaddr);
    netif->flags = NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET | NETIF_FLAG_BROADCAST;
    if (vnic_vf_link_up(f->i))
        netif->flags |= NETIF_FLAG_LINK_UP;
    netif->output = f->st->etharp_output;
    netif->linkoutput = net_linkoutput;
    NETIF_SET_CHECKSUM_CTRL(netif, f->csum ? NET_CSUM_OFFLOAD : NETIF_CHECKSUM_ENABLE_ALL);
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
    } else if (!strcmp(a, "net=csum=sw")) {
        cfg->csum_sw = true;
    } else if (!strncmp(a, "net=", 4)) {
        printf("net: unknown %s (net=poll, net=csum=sw)\n", a);
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

/* Interface i: its VF opened (Filter and Doorbell slots 16+2i, 17+2i),
 * its netif added with address addr+i, its receive thread on `core`. */
static int net_if_start(unsigned i, int core, const struct net_config *cfg,
                        const struct lwip_stack_net *st)
{
    struct net_if *f = &vn.ifs[i];
    char why[160];
    f->st = st;
    f->i = i;
    f->core = core;
    pthread_mutex_init(&f->wake_lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&f->wake, &ca);
    if (vnic_vf_open(i, cfg->doorbell, NET_FILTER_SLOT + 2 * i, NET_DOORBELL_SLOT + 2 * i, why,
                     sizeof why)) {
        printf("net: interface %u: %s\n", i, why);
        return -1;
    }
    f->csum = !cfg->csum_sw && vnic_vf_csum_capable(i);
    vnic_vf_csum_set(i, f->csum);
    ip4_addr_t addr;
    ip4_addr_set_u32(&addr, lwip_htonl(lwip_ntohl(ip4_addr_get_u32(&cfg->addr)) + i));
    if ((ip4_addr_get_u32(&addr) & ~ip4_addr_get_u32(&cfg->netmask)) ==
        ~ip4_addr_get_u32(&cfg->netmask)) {
        printf("net: interface %u: address +%u is the subnet's broadcast\n", i, i);
        return -1;
    }
    /* (with stacks apart each interface is its stack's default route) */
    if (st->netif_add(&f->netif, &addr, &cfg->netmask, &cfg->gw, f, net_netif_init,
                      i == 0 || st != &net_stack0 ? LWIP_PORT_NETIF_DEFAULT : 0) != ERR_OK) {
        printf("net: interface %u: lwIP refused it\n", i);
        return -1;
    }
    st->netif_set_core(&f->netif, core);
    pthread_attr_t a;
    pthread_attr_init(&a);
    if (i > 0 && pthread_attr_setcore_np(&a, core)) {
        printf("net: interface %u: no core %d for its receive thread\n", i, core);
        return -1;
    }
    vn.n = i + 1;       /* before its thread: interface 0's rings it */
    if (pthread_create(&f->rx, &a, net_rx_thread, f) != 0) {
        printf("net: interface %u: no receive thread\n", i);
        vn.n = i;
        return -1;
    }
    return 0;
}

static int net_start_n(int argc, char *argv[], unsigned ncores, bool apart)
{
    struct net_config cfg;
    if (vn.started) {
        printf("net: net_start called twice\n");
        return -1;
    }
    if (ncores < 1 || ncores > VNIC_VF_MAX) {
        printf("net: %u interfaces asked, 1 to %d can be\n", ncores, VNIC_VF_MAX);
        return -1;
    }
    if (apart && !lwip_stacks_net) {
        printf("net: stacks apart need the program to link lwip_stacks and lwip_stack1..3\n");
        return -1;
    }
    if (!net_parse_args(argc, argv, &cfg))
        return -1;
    vn.doorbell = cfg.doorbell;
    int first = pthread_getcore_np();
    for (unsigned i = 0; i < ncores; i++) {
        const struct lwip_stack_net *st = apart && i ? &lwip_stacks_net[i] : &net_stack0;
        if (i == 0 || apart) {
            if (st->port_start() != ERR_OK) {
                printf("net: lwIP %u did not start\n", apart ? i : 0);
                return -1;
            }
            st->on_core_unlock(net_core_unlocked);     /* one tail write per lock hold */
        }
        if (net_if_start(i, first + (int)i, &cfg, st))
            return -1;
        if (apart)
            lwip_port_core_stack(first + (int)i, (int)i);  /* sockets made there: stack i */
    }
    vn.started = true;
    return 0;
}

int net_start_cores(int argc, char *argv[], unsigned ncores)
{
    return net_start_n(argc, argv, ncores, false);
}

int net_start_apart(int argc, char *argv[], unsigned ncores)
{
    return net_start_n(argc, argv, ncores, true);
}

int net_start(int argc, char *argv[])
{
    return net_start_n(argc, argv, 1, false);
}

struct netif *net_netif(void)
{
    return vn.started ? &vn.ifs[0].netif : NULL;
}

void net_mac_string(char mac[18])
{
    vnic_vf_mac_string(0, mac);
}

void net_ip_string(char ip[16])
{
    ip4addr_ntoa_r(netif_ip4_addr(&vn.ifs[0].netif), ip, 16);
}

unsigned net_vf_index(void)
{
    return vnic_vf_index(0);
}

void net_cost_print(const char *who)
{
    for (unsigned i = 0; i < vn.n; i++) {
        struct vnic_vf_counters s;
        vnic_vf_counters(i, &s);
        printf("%s: vf %u frames rx %llu tx %llu, register writes rx tail %llu tx tail %llu "
               "irq %llu, doorbells %llu\n", who, vnic_vf_index(i),
               (unsigned long long)s.rx_packets, (unsigned long long)s.tx_packets,
               (unsigned long long)s.rx_tail_writes, (unsigned long long)s.tx_tail_writes,
               (unsigned long long)s.irq_writes, (unsigned long long)s.bells);
    }
}

void net_stats_print(const char *who)
{
    for (unsigned i = 0; i < vn.n; i++) {
        struct net_if *f = &vn.ifs[i];
        struct vnic_vf_counters s;
        vnic_vf_counters(i, &s);
        printf("%s: vf %u rx %llu tx %llu rx_errors %llu rx_drops %llu tx_drops %llu nopbuf %llu "
               "heap %llu refused %llu tx_fail %llu wakeups %llu csum %s rx_csum_bad %llu\n", who,
               vnic_vf_index(i),
               (unsigned long long)s.rx_packets, (unsigned long long)s.tx_packets,
               (unsigned long long)s.rx_errors, (unsigned long long)s.rx_drops,
               (unsigned long long)s.tx_drops, (unsigned long long)f->rx_nopbuf,
               (unsigned long long)f->rx_heap,
               (unsigned long long)f->rx_refused, (unsigned long long)f->tx_fail,
               (unsigned long long)s.wakeups, f->csum ? "nic" : "sw",
               (unsigned long long)f->rx_csum_bad);
    }
    net_cost_print(who);
#if LWIP_STATS
#define NET_PROTO(name, st)                                                                  \
    printf("%s: lwip%s %s recv %u xmit %u drop %u chkerr %u lenerr %u proterr %u err %u "     \
           "memerr %u\n", who, tag, name, (unsigned)st.recv, (unsigned)st.xmit,             \
           (unsigned)st.drop, (unsigned)st.chkerr, (unsigned)st.lenerr, (unsigned)st.proterr,  \
           (unsigned)st.err, (unsigned)st.memerr)
    for (unsigned i = 0; i < (vn.n ? vn.n : 1); i++) {
        const struct lwip_stack_net *st = vn.n ? vn.ifs[i].st : &net_stack0;
        if (i && st == &net_stack0)
            continue;           /* one stack for all: printed once */
        char tag[16] = "";
        if (st != &net_stack0)
            snprintf(tag, sizeof tag, " %u", i);
        NET_PROTO("link", st->stats->link);
        NET_PROTO("etharp", st->stats->etharp);
        NET_PROTO("ip", st->stats->ip);
        NET_PROTO("icmp", st->stats->icmp);
        NET_PROTO("udp", st->stats->udp);
        NET_PROTO("tcp", st->stats->tcp);
    }
#undef NET_PROTO
#endif
}
