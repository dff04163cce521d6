/* udpecho_native ip=A.B.C.D/LEN port=N [count=N] [seconds=S] [hello=IP:PORT] [raw] [doorbell] [csum=off]:
 * a UDP echo server on the Arrakis native interface (arrakis/native.h).
 * Each datagram is answered in place: the reply is the received buffer
 * with its addresses and ports swapped, posted back to the NIC, so the
 * payload is never copied. The library answers ARP and ping meanwhile and
 * drops (and counts) malformed frames.
 *
 * A datagram whose payload is exactly "STATS" is echoed like any other,
 * and the counters and the per-packet cost table (lib/arrakis pktstat:
 * stack in = from the frame noticed to the payload ready, app = this
 * loop's own work, stack out = header rewrite and post; no copy stages)
 * go to the console. Stops after `count` echoes or `seconds` seconds
 * (absent: never) and prints them again.
 *
 * hello=IP:PORT first sends HELLOS datagrams from fresh buffers to IP:PORT
 * (arrakis_udp_send: the peer's MAC found by ARP, each send completing
 * with its cookie), the other way of sending. With `raw` (the library's
 * option) frames that are not ARP/IPv4 are echoed too, zero-copy, each
 * send completing with a cookie. */
#include <arrakis/native.h>
#include <libos/debug.h>
#include <libos/libos.h>
#include <libos/tsc.h>
#include <libos/words.h>
#include <string.h>
#include <fmt.h>

#define BATCH   32
#define ARGS    128
#define DRAIN_S 1       /* how long to let the last echoes leave */
#define HELLOS  3
#define HELLO_S 5       /* how long the hellos may take (ARP included) */

static struct anet an;
static uint64_t raw_echoed, raw_done;   /* raw frames sent back; their completions */

static void report(const char *title)
{
    arrakis_print_stats(&an, "udpecho_native");
    pktstat_print(&an.pktstat, title);
}

/* With `raw`: a frame that is neither ARP nor IPv4 goes back to its
 * sender from the same buffer, with a completion (its cookie: how many
 * went before it, plus one). */
static void raw_echo(struct anet_pkt *p)
{
    uint8_t *f = p->data;
    memcpy(f, f + VF_MAC_LEN, VF_MAC_LEN);
    memcpy(f + VF_MAC_LEN, an.vf.mac, VF_MAC_LEN);
    if (err_is_ok(arrakis_raw_send(&an, p, p->len, raw_echoed + 1)))
        raw_echoed++;
    else
        arrakis_pkt_release(&an, p);
}

/* "A.B.C.D:PORT" */
static bool peer_parse(const char *s, uint32_t *ip, uint16_t *port)
{
    char a[16];
    const char *colon = strchr(s, ':');
    uint64_t p;
    if (!colon || colon - s >= (long)sizeof(a))
        return false;
    memcpy(a, s, (size_t)(colon - s));
    a[colon - s] = '\0';
    if (!arrakis_ip_parse(a, ip) || !words_u64(colon + 1, &p) || !p || p > 65535)
        return false;
    *port = (uint16_t)p;
    return true;
}

/* Send HELLOS datagrams from fresh buffers to ip:port and wait for their
 * completions; whatever arrives meanwhile is let go. */
static void hello(uint32_t ip, uint16_t port)
{
    uint64_t end = rdtsc_now() + HELLO_S * libos_tsc_hz();
    unsigned sent = 0, arp_waits = 0, done = 0;
    uint64_t cookies = 0;
    while ((sent < HELLOS || done < HELLOS) && rdtsc_now() < end) {
        struct anet_pkt rx[BATCH];
        unsigned n = arrakis_recv(&an, rx, BATCH);    /* ARP replies land here */
        for (unsigned i = 0; i < n; i++)
            arrakis_pkt_release(&an, &rx[i]);
        struct anet_completion c[HELLOS];
        unsigned k = arrakis_completions(&an, c, HELLOS);
        for (unsigned i = 0; i < k; i++, done++)
            cookies = cookies * 10 + c[i].cookie;
        if (sent < HELLOS) {
            struct anet_pkt p;
            if (err_is_fail(arrakis_udp_buf_get(&an, &p)))
                continue;
            int len = fmt_snprintf((char *)p.data, p.len, "hello %u from udpecho_native", sent + 1);
            errval_t err = arrakis_udp_send(&an, &p, (size_t)len, ip, port, sent + 1);
            if (err_is_ok(err)) {
                sent++;
                continue;
            }
            arrakis_pkt_release(&an, &p);
            if (err_no(err) != ANET_ERR_ARP_PENDING) {
                debug_err("udpecho_native: hello", err);
                break;
            }
            arp_waits++;
        }
        if (!n && !k)
            arrakis_wait(&an);
    }
    char a[16];
    arrakis_ip_format(ip, a);
    debug_printf("udpecho_native: hello: %u datagrams sent to %s:%u from fresh buffers, %u completions "
                 "(cookies in order: %lu), %u sends waited for ARP\n", sent, a, port, done, cookies,
                 arp_waits);
}

int main(int argc, char *argv[])
{
    uint32_t hello_ip = 0;
    uint16_t hello_port = 0;
    char args[ARGS] = "";
    size_t used = 0;
    uint64_t count = 0, seconds = 0;
    bool ok = true;
    for (int i = 1; i < argc && ok; i++) {
        if (!strncmp(argv[i], "count=", 6)) {
            ok = words_u64(argv[i] + 6, &count);
        } else if (!strncmp(argv[i], "hello=", 6)) {
            ok = peer_parse(argv[i] + 6, &hello_ip, &hello_port);
        } else if (!strncmp(argv[i], "seconds=", 8)) {
            ok = words_u64(argv[i] + 8, &seconds);
        } else {                                /* the library's: ip=, port=, doorbell... */
            size_t n = strlen(argv[i]);
            ok = used + n + 2 <= ARGS;
            if (ok) {
                if (used)
                    args[used++] = ' ';
                memcpy(args + used, argv[i], n + 1);
                used += n;
            }
        }
    }
    errval_t err = ok ? arrakis_udp_open(&an, args) : ANET_ERR_ARGS;
    if (err_is_fail(err)) {
        debug_err("udpecho_native", err);
        debug_printf("usage: udpecho_native ip=A.B.C.D/LEN port=N [count=N] [seconds=S] "
                     "[hello=IP:PORT] [raw] [doorbell] [csum=off]\n");
        return 2;
    }
    char ip[16], mac[18];
    arrakis_ip_format(an.ip, ip);
    vf_mac_format(an.vf.mac, mac);
    debug_printf("udpecho_native: VF %u MAC %s IP %s port %u ready (link %s), %s\n", an.vf.index, mac,
                 ip, an.port, vf_link_up(&an.vf) ? "up" : "down",
                 an.doorbell ? "sleeps on its doorbell" : "polls");

    if (hello_port)
        hello(hello_ip, hello_port);

    uint64_t hz = libos_tsc_hz();
    uint64_t deadline = seconds ? rdtsc_now() + seconds * hz : UINT64_MAX;
    uint64_t echoed = 0;
    while ((!count || echoed < count) && rdtsc_now() < deadline) {
        struct anet_pkt p[BATCH];
        unsigned n = arrakis_udp_recv(&an, p, BATCH);
        struct anet_completion c[BATCH];
        unsigned k = arrakis_completions(&an, c, BATCH);
        raw_done += k;
        if (!n && !k)
            arrakis_wait(&an);
        for (unsigned i = 0; i < n; i++) {
            uint64_t t = rdtsc_now();
            if (p[i].kind == ANET_PKT_RAW) {
                raw_echo(&p[i]);
                continue;
            }
            bool stats = p[i].len == 5 && !memcmp(p[i].data, "STATS", 5);
            pktstat_add(&an.pktstat, PKT_APP, rdtsc_now() - t);
            if (err_is_ok(arrakis_udp_reply(&an, &p[i], p[i].len)))
                echoed++;
            if (stats)
                report("udpecho_native (native, zero-copy)");
        }
    }
    for (uint64_t end = rdtsc_now() + DRAIN_S * hz;
         an.vf.tx_clean != an.vf.tx_tail && rdtsc_now() < end;)
        if (!vf_tx_reclaim(&an.vf))
            arrakis_wait(&an);
    raw_done += arrakis_completions(&an, (struct anet_completion[BATCH]){ 0 }, BATCH);
    debug_printf("udpecho_native: echoed %lu datagrams, %lu raw frames (%lu completed)\n", echoed,
                 raw_echoed, raw_done);
    report("udpecho_native (native, zero-copy)");
    arrakis_close(&an);
    return 0;
}
