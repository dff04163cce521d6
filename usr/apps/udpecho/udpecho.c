/* udpecho ip=A.B.C.D/N [gw=A.B.C.D] [port=7] [count=N] [seconds=S] [stats] [net=poll]:
 * a UDP echo server on the POSIX interface: socket(), recvfrom(),
 * sendto() over this domain's lwIP, on its own VNIC (net_start, lib/lwip
 * netif_vnic.h). Every datagram goes back to its sender unchanged.
 *
 * A datagram whose payload is exactly "STATS" is echoed like any other,
 * and the driver's and lwIP's counters (drops: bad checksums, lengths...)
 * and the per-packet cost table (lib/arrakis pktstat) go to the console.
 * Stops after `count` echoes or `seconds` seconds (absent: never), and
 * with `stats` prints them then too.
 *
 * The stages, per datagram, in TSC cycles:
 *   stack in   from the driver taking the frame off the VF's ring to the
 *              data being ready for recvfrom (lwIP's tcpip thread, the
 *              socket's queue, waking this thread; includes time queued
 *              behind earlier datagrams)
 *   copy in    recvfrom: the datagram off the socket's queue and copied
 *              into this program's buffer
 *   app        this loop's own work (looking for "STATS")
 *   copy out   copying the reply frame into a VF transmit buffer (driver)
 *   stack out  the rest of sendto: lwIP's UDP, IP and ARP, the driver
 */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <arrakis/pktstat.h>
#include <libos/libos.h>
#include <libos/tsc.h>
#include "netif_vnic.h"

#define BUF 2048

static struct pktstat ps;
static unsigned long long echoed;

static void report(void)
{
    fflush(stdout);
    pktstat_print(&ps, "udpecho (POSIX sockets over lwIP)");
    net_stats_print("udpecho");
    printf("udpecho: echoed %llu datagrams\n", echoed);
    fflush(stdout);
}

static int usage(void)
{
    printf("usage: udpecho ip=A.B.C.D/N [gw=A.B.C.D] [port=7] [count=N] [seconds=S] [stats] "
           "[net=poll]\n");
    return 2;
}

/* NAME=value options: in argv, or in the environment when they led the
 * spawn command (lib/newlib/env.c). */
int main(int argc, char *argv[])
{
    unsigned long port = 7, count = 0, seconds = 0;
    bool stats = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "stats"))
            stats = true;
        else if (strncmp(argv[i], "ip=", 3) && strncmp(argv[i], "gw=", 3) &&
                 strncmp(argv[i], "net=", 4) && strncmp(argv[i], "port=", 5) &&
                 strncmp(argv[i], "count=", 6) && strncmp(argv[i], "seconds=", 8))
            return usage();
    }
    if (!net_option(argc, argv, "port", 65535, &port) || !port ||
        !net_option(argc, argv, "count", ULONG_MAX, &count) ||
        !net_option(argc, argv, "seconds", 86400, &seconds))
        return usage();
    if (net_start(argc, argv))
        return 1;
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in me = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                              .sin_addr.s_addr = htonl(INADDR_ANY) };
    if (fd < 0 || bind(fd, (struct sockaddr *)&me, sizeof me) < 0) {
        printf("udpecho: socket/bind on port %lu: %s\n", port, strerror(errno));
        return 1;
    }
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) {
        printf("udpecho: O_NONBLOCK: %s\n", strerror(errno));
        return 1;
    }
    net_rx_stamps((uint16_t)port);
    char mac[18], ip[16];
    net_mac_string(mac);
    net_ip_string(ip);
    printf("udpecho: VF %u MAC %s IP %s port %lu ready (link %s), POSIX sockets over lwIP\n",
           net_vf_index(), mac, ip, port, (net_netif()->flags & NETIF_FLAG_LINK_UP) ? "up" : "down");
    fflush(stdout);

    static char buf[BUF];
    uint64_t hz = libos_tsc_hz();
    uint64_t deadline = seconds ? rdtsc_now() + seconds * hz : UINT64_MAX;
    while ((!count || echoed < count) && rdtsc_now() < deadline) {
        struct sockaddr_in from;
        socklen_t flen = sizeof from;
        uint64_t t_ready = rdtsc_now();
        ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            struct pollfd p = { .fd = fd, .events = POLLIN };
            poll(&p, 1, seconds ? 100 : -1);
            continue;
        }
        if (n < 0) {
            printf("udpecho: recvfrom: %s\n", strerror(errno));
            return 1;
        }
        uint64_t t_recvd = rdtsc_now();
        uint64_t t_rx = net_rx_stamp_take(from.sin_addr.s_addr, from.sin_port, (uint16_t)n);
        bool want_stats = n == 5 && !memcmp(buf, "STATS", 5);
        uint64_t t_app = rdtsc_now();
        net_tx_copy_take();
        ssize_t sent = sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, flen);
        uint64_t t_sent = rdtsc_now();
        uint64_t copy = net_tx_copy_take();
        if (sent != n) {
            printf("udpecho: sendto %zd bytes: %s\n", n, sent < 0 ? strerror(errno) : "short");
            continue;
        }
        echoed++;
        if (t_rx && t_rx <= t_ready)
            pktstat_add(&ps, PKT_STACK_IN, t_ready - t_rx);
        pktstat_add(&ps, PKT_COPY_IN, t_recvd - t_ready);
        pktstat_add(&ps, PKT_APP, t_app - t_recvd);
        pktstat_add(&ps, PKT_COPY_OUT, copy);
        pktstat_add(&ps, PKT_STACK_OUT, t_sent - t_app > copy ? t_sent - t_app - copy : 0);
        ps.requests++;
        if (want_stats)
            report();
    }
    if (stats)
        report();
    else
        printf("udpecho: echoed %llu datagrams\n", echoed);
    close(fd);
    return 0;
}
