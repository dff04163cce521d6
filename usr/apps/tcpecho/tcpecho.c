/* tcpecho ip=A.B.C.D/N [gw=A.B.C.D] [port=7] [seconds=S] [net=poll]:
 * a TCP echo server on the POSIX interface, one thread, many connections:
 * a nonblocking listening socket and connections in one epoll set
 * (level-triggered), the shape of Redis's and libevent's event loops.
 *
 * Each connection's bytes go back as they come. When the peer does not
 * take them fast enough (send() short or EAGAIN), the rest waits in that
 * connection's own buffer, the connection stops being read (EPOLLIN off)
 * and waits for EPOLLOUT instead, so a slow reader costs memory only up to
 * one read's worth. At most MAX_CONNS connections at once (more are
 * accepted and closed).
 *
 * Whenever the last open connection closes it prints
 *   tcpecho: idle: C connections so far, peak P at once, B bytes echoed
 * and what the traffic so far cost the device (net_cost_print), and at
 * the end (after `seconds`, if given) the same with "done", and the
 * driver's and lwIP's counters. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "netif_vnic.h"

#define MAX_CONNS 192
#define FD_LIMIT  256           /* socket numbers are below this (posix/libc.h) */
#define READ_MAX  16384
#define EVENTS    64

struct conn {
    bool open;
    char *pending;              /* bytes read but not yet sent back */
    size_t pending_len, pending_off;
};

static struct conn conns[FD_LIMIT];
static int ep;
static unsigned long long total_conns, echoed;
static unsigned open_conns, peak;

static int usage(void)
{
    printf("usage: tcpecho ip=A.B.C.D/N [gw=A.B.C.D] [port=7] [seconds=S] [net=poll]\n");
    return 2;
}

static void watch(int fd, uint32_t events, int op)
{
    struct epoll_event ev = { .events = events, .data.fd = fd };
    if (epoll_ctl(ep, op, fd, &ev) < 0)
        printf("tcpecho: epoll_ctl(%d, fd %d): %s\n", op, fd, strerror(errno));
}

static void conn_close(int fd)
{
    struct conn *c = &conns[fd];
    free(c->pending);
    *c = (struct conn){ 0 };
    close(fd);                  /* leaves the epoll set too */
    if (--open_conns == 0) {
        printf("tcpecho: idle: %llu connections so far, peak %u at once, %llu bytes echoed\n",
               total_conns, peak, echoed);
        net_cost_print("tcpecho");      /* what the load cost the device so far */
        fflush(stdout);
    }
}

/* Send what waits; true when all of it went (or the connection closed). */
static bool conn_flush(int fd)
{
    struct conn *c = &conns[fd];
    while (c->pending_off < c->pending_len) {
        ssize_t n = send(fd, c->pending + c->pending_off, c->pending_len - c->pending_off, 0);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return false;
        if (n <= 0) {
            conn_close(fd);
            return true;
        }
        c->pending_off += (size_t)n;
        echoed += (unsigned long long)n;
    }
    free(c->pending);
    c->pending = NULL;
    c->pending_len = c->pending_off = 0;
    return true;
}

static void conn_readable(int fd)
{
    static char buf[READ_MAX];
    struct conn *c = &conns[fd];
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return;
    if (n <= 0) {               /* the peer closed, or an error */
        conn_close(fd);
        return;
    }
    ssize_t sent = send(fd, buf, (size_t)n, 0);
    if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
        conn_close(fd);
        return;
    }
    if (sent < 0)
        sent = 0;
    echoed += (unsigned long long)sent;
    if (sent < n) {             /* the rest waits; stop reading until it has gone */
        c->pending_len = (size_t)(n - sent);
        c->pending_off = 0;
        c->pending = malloc(c->pending_len);
        if (!c->pending) {
            conn_close(fd);
            return;
        }
        memcpy(c->pending, buf + sent, c->pending_len);
        watch(fd, EPOLLOUT, EPOLL_CTL_MOD);
    }
}

static void accept_all(int lfd)
{
    for (;;) {
        int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
        if (fd < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                printf("tcpecho: accept: %s\n", strerror(errno));
            return;
        }
        if (fd >= FD_LIMIT || open_conns >= MAX_CONNS) {
            close(fd);
            continue;
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        conns[fd] = (struct conn){ .open = true };
        total_conns++;
        if (++open_conns > peak)
            peak = open_conns;
        watch(fd, EPOLLIN, EPOLL_CTL_ADD);
    }
}

int main(int argc, char *argv[])
{
    unsigned long port = 7, seconds = 0;
    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], "ip=", 3) && strncmp(argv[i], "gw=", 3) && strncmp(argv[i], "net=", 4) &&
            strncmp(argv[i], "port=", 5) && strncmp(argv[i], "seconds=", 8))
            return usage();
    if (!net_option(argc, argv, "port", 65535, &port) || !port ||
        !net_option(argc, argv, "seconds", 86400, &seconds))
        return usage();
    if (net_start(argc, argv))
        return 1;
    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    struct sockaddr_in me = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                              .sin_addr.s_addr = htonl(INADDR_ANY) };
    if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
        bind(lfd, (struct sockaddr *)&me, sizeof me) < 0 || listen(lfd, SOMAXCONN) < 0) {
        printf("tcpecho: listening on port %lu: %s\n", port, strerror(errno));
        return 1;
    }
    ep = epoll_create1(0);
    if (ep < 0) {
        printf("tcpecho: epoll_create1: %s\n", strerror(errno));
        return 1;
    }
    watch(lfd, EPOLLIN, EPOLL_CTL_ADD);
    char mac[18], ip[16];
    net_mac_string(mac);
    net_ip_string(ip);
    printf("tcpecho: VF %u MAC %s IP %s port %lu ready (link %s), epoll, up to %u connections\n",
           net_vf_index(), mac, ip, port,
           (net_netif()->flags & NETIF_FLAG_LINK_UP) ? "up" : "down", MAX_CONNS);
    fflush(stdout);

    struct timespec t0, now;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        struct epoll_event ev[EVENTS];
        int n = epoll_wait(ep, ev, EVENTS, seconds ? 100 : -1);
        if (n < 0) {
            printf("tcpecho: epoll_wait: %s\n", strerror(errno));
            return 1;
        }
        for (int i = 0; i < n; i++) {
            int fd = ev[i].data.fd;
            if (fd == lfd) {
                accept_all(lfd);
            } else if (fd >= 0 && fd < FD_LIMIT && conns[fd].open) {
                if (conns[fd].pending) {
                    if (conn_flush(fd) && conns[fd].open)
                        watch(fd, EPOLLIN, EPOLL_CTL_MOD);
                } else if (ev[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
                    conn_readable(fd);
                }
            }
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (seconds && (unsigned long)(now.tv_sec - t0.tv_sec) >= seconds)
            break;
    }
    printf("tcpecho: done: %llu connections so far, peak %u at once, %llu bytes echoed\n",
           total_conns, peak, echoed);
    net_stats_print("tcpecho");
    return 0;
}
