/*
 * echod: the Linux guest's echo server, the reference the benchmarks
 * compare this OS's echo servers with (tools/bench).
 *
 *   echod [-u PORT] [-t PORT] [-q]
 *
 * Serves UDP echo on PORT (-u, default 7) and TCP echo on PORT (-t, default
 * 7) from one thread and one epoll set, as usr/apps/udpecho and tcpecho do
 * on this OS: every datagram goes back to its sender unchanged; every byte
 * read from a TCP connection is written back on it, for as many connections
 * as the descriptor limit allows (all non-blocking, edge triggered). A
 * connection whose peer does not read its echo is not read either until it
 * does (its pending bytes wait in a per-connection buffer), so a slow
 * client costs memory of one buffer, not the server's progress.
 * A port of 0 turns that half off. When both sockets are bound it prints
 * "echod: ready udp PORT tcp PORT" on stdout (the guest's init copies it to
 * the serial console), and with -q nothing after that.
 *
 * Built by tools/linux-guest/build with the host's `gcc -static`, so it
 * needs nothing in the initramfs but itself.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define ECHOD_BUF      65536   /* per TCP connection: one read's worth */
#define ECHOD_EVENTS   256     /* epoll events taken per wait */
#define ECHOD_UDP_MAX  65536   /* largest datagram */

/* One TCP connection: bytes read but not yet written back are buf[off, len). */
struct echod_conn {
    int fd;
    size_t off, len;
    int want_out;              /* EPOLLOUT armed: waiting for send space */
    unsigned char buf[ECHOD_BUF];
};

static int echod_quiet;

static void echod_die(const char *what)
{
    fprintf(stderr, "echod: %s: %s\n", what, strerror(errno));
    exit(1);
}

static int echod_listen(int type, int port)
{
    int fd = socket(AF_INET6, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int v4only = 0, one = 1;
    if (fd < 0) {   /* no IPv6 in this kernel: IPv4 only */
        struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
        fd = socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0)
            echod_die("socket");
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0)
            echod_die("bind");
    } else {
        struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons(port),
                                  .sin6_addr = IN6ADDR_ANY_INIT };
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v4only, sizeof v4only);
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0)
            echod_die("bind");
    }
    if (type == SOCK_STREAM && listen(fd, 1024) < 0)
        echod_die("listen");
    return fd;
}

static void echod_ctl(int ep, int op, int fd, unsigned events, void *ptr)
{
    struct epoll_event ev = { .events = events, .data.ptr = ptr };
    if (epoll_ctl(ep, op, fd, &ev) < 0)
        echod_die("epoll_ctl");
}

/* Echo every datagram waiting on the UDP socket (edge triggered: until
 * the socket is empty). */
static void echod_udp(int fd)
{
    static unsigned char buf[ECHOD_UDP_MAX];
    for (;;) {
        struct sockaddr_storage from;
        socklen_t fl = sizeof from;
        ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
        if (n < 0)
            return;   /* EAGAIN: drained */
        sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, fl);
    }
}

static void echod_accept(int ep, int lfd)
{
    for (;;) {
        int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && !echod_quiet)
                fprintf(stderr, "echod: accept: %s\n", strerror(errno));
            return;
        }
        struct echod_conn *c = malloc(sizeof *c);
        if (!c) {
            close(fd);
            continue;
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        c->fd = fd;
        c->off = c->len = 0;
        c->want_out = 0;
        echod_ctl(ep, EPOLL_CTL_ADD, fd, EPOLLIN | EPOLLET, c);
    }
}

static void echod_close(struct echod_conn *c)
{
    close(c->fd);   /* also leaves the epoll set */
    free(c);
}

/* Write back what is pending, then read and write back until the socket
 * has nothing more to read or no room to send. Returns 0 when closed. */
static int echod_tcp(int ep, struct echod_conn *c)
{
    for (;;) {
        while (c->off < c->len) {
            ssize_t n = send(c->fd, c->buf + c->off, c->len - c->off, MSG_NOSIGNAL);
            if (n < 0) {
                if (errno != EAGAIN && errno != EWOULDBLOCK)
                    return 0;
                if (!c->want_out) {
                    c->want_out = 1;
                    echod_ctl(ep, EPOLL_CTL_MOD, c->fd, EPOLLIN | EPOLLOUT | EPOLLET, c);
                }
                return 1;
            }
            c->off += (size_t)n;
        }
        c->off = c->len = 0;
        if (c->want_out) {
            c->want_out = 0;
            echod_ctl(ep, EPOLL_CTL_MOD, c->fd, EPOLLIN | EPOLLET, c);
        }
        ssize_t n = recv(c->fd, c->buf, sizeof c->buf, 0);
        if (n == 0)
            return 0;
        if (n < 0)
            return errno == EAGAIN || errno == EWOULDBLOCK;
        c->len = (size_t)n;
    }
}

static int echod_port(const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < 0 || v > 65535) {
        fprintf(stderr, "echod: bad port '%s' (0..65535)\n", s);
        exit(2);
    }
    return (int)v;
}

int main(int argc, char **argv)
{
    int uport = 7, tport = 7, opt;
    while ((opt = getopt(argc, argv, "u:t:q")) != -1) {
        switch (opt) {
        case 'u': uport = echod_port(optarg); break;
        case 't': tport = echod_port(optarg); break;
        case 'q': echod_quiet = 1; break;
        default:
            fprintf(stderr, "usage: echod [-u UDP_PORT] [-t TCP_PORT] [-q]\n");
            return 2;
        }
    }
    signal(SIGPIPE, SIG_IGN);

    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0)
        echod_die("epoll_create1");
    /* The two listening sockets are told apart by these markers. */
    static char udp_tag, tcp_tag;
    int ufd = -1, tfd = -1;
    if (uport) {
        ufd = echod_listen(SOCK_DGRAM, uport);
        echod_ctl(ep, EPOLL_CTL_ADD, ufd, EPOLLIN | EPOLLET, &udp_tag);
    }
    if (tport) {
        tfd = echod_listen(SOCK_STREAM, tport);
        echod_ctl(ep, EPOLL_CTL_ADD, tfd, EPOLLIN | EPOLLET, &tcp_tag);
    }
    printf("echod: ready udp %d tcp %d\n", uport, tport);
    fflush(stdout);

    struct epoll_event evs[ECHOD_EVENTS];
    for (;;) {
        int n = epoll_wait(ep, evs, ECHOD_EVENTS, -1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            echod_die("epoll_wait");
        }
        for (int i = 0; i < n; i++) {
            void *p = evs[i].data.ptr;
            if (p == &udp_tag) {
                echod_udp(ufd);
            } else if (p == &tcp_tag) {
                echod_accept(ep, tfd);
            } else {
                struct echod_conn *c = p;
                /* A peer's FIN reads as 0 after its last bytes: closed then. */
                if (!echod_tcp(ep, c) || (evs[i].events & EPOLLERR))
                    echod_close(c);
            }
        }
    }
}
