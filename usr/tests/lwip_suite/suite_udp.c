/*
 * suite_udp.c: UDP through lwIP's sockets over 127.0.0.1, and select/poll
 * with their timeouts (lwip_suite; the runner is suite.c).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "suite.h"

#define UDP_ECHO_PORT   7001
#define UDP_BOUND_PORT  7002
#define UDP_RCVBUF_PORT 7003
#define UDP_SELECT_PORT 7004
#define UDP_MAX         1472    /* the largest datagram in one 1500-byte frame */

static uint8_t udp_pattern(unsigned size, unsigned i)
{
    return (uint8_t)(size * 31u + i * 7u + (i >> 8));
}

struct udp_echo_server {
    int fd;
    int echoed;
    int errors;
};

/* Echoes every datagram back to its sender until one of length 1 with a
 * 0xff byte (the client's "stop") or a receive timeout. */
static void *udp_echo_thread(void *arg)
{
    struct udp_echo_server *s = arg;
    static uint8_t buf[2048];
    for (;;) {
        struct sockaddr_in from;
        socklen_t fromlen = sizeof from;
        ssize_t n = lwip_recvfrom(s->fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &fromlen);
        if (n < 0) {
            s->errors++;
            break;
        }
        if (n == 1 && buf[0] == 0xff)
            break;
        if (lwip_sendto(s->fd, buf, (size_t)n, 0, (struct sockaddr *)&from, fromlen) != n)
            s->errors++;
        else
            s->echoed++;
    }
    return NULL;
}

void test_udp_echo_sizes(void)
{
    struct udp_echo_server srv = { .fd = suite_socket(SOCK_DGRAM) };
    struct sockaddr_in addr = suite_lo(UDP_ECHO_PORT);
    if (!ktap_check(srv.fd >= 0 && lwip_bind(srv.fd, (struct sockaddr *)&addr, sizeof addr) == 0,
                     "server socket/bind: errno %d", errno))
        return;
    pthread_t th;
    ktap_check(pthread_create(&th, NULL, udp_echo_thread, &srv) == 0, "pthread_create");
    int c = suite_socket(SOCK_DGRAM);
    static uint8_t out[UDP_MAX], in[2048];
    int good = 0, shown = 0;
    for (unsigned size = 1; size <= UDP_MAX; size++) {
        for (unsigned i = 0; i < size; i++)
            out[i] = udp_pattern(size, i);
        ssize_t sent = lwip_sendto(c, out, size, 0, (struct sockaddr *)&addr, sizeof addr);
        struct sockaddr_in from;
        socklen_t fromlen = sizeof from;
        memset(&from, 0, sizeof from);
        ssize_t got = lwip_recvfrom(c, in, sizeof in, 0, (struct sockaddr *)&from, &fromlen);
        bool ok = sent == (ssize_t)size && got == (ssize_t)size && memcmp(in, out, size) == 0 &&
                  from.sin_port == addr.sin_port && from.sin_addr.s_addr == addr.sin_addr.s_addr;
        good += ok;
        if (!ok && shown++ < 5)
            ktap_check(false, "size %u: sent %zd, got %zd back (errno %d), %s", size, sent, got,
                        errno, got == (ssize_t)size ? "bytes or sender differ" : "wrong length");
    }
    uint8_t stop = 0xff;
    lwip_sendto(c, &stop, 1, 0, (struct sockaddr *)&addr, sizeof addr);
    pthread_join(th, NULL);
    ktap_check(good == UDP_MAX, "%d of %d datagrams came back intact", good, UDP_MAX);
    ktap_check(srv.echoed == UDP_MAX && srv.errors == 0, "server echoed %d, %d errors", srv.echoed,
                srv.errors);
    printf("# %d datagrams of 1..%d bytes echoed byte-identical\n", good, UDP_MAX);
    lwip_close(c);
    lwip_close(srv.fd);
}

void test_udp_boundaries(void)
{
    int r = suite_socket(SOCK_DGRAM), s = suite_socket(SOCK_DGRAM);
    struct sockaddr_in addr = suite_lo(UDP_BOUND_PORT);
    if (!ktap_check(lwip_bind(r, (struct sockaddr *)&addr, sizeof addr) == 0, "bind errno %d", errno))
        return;
    /* connect() on UDP fixes the peer: send() without an address works. */
    ktap_check(lwip_connect(s, (struct sockaddr *)&addr, sizeof addr) == 0, "connect errno %d", errno);
    static const size_t sizes[] = { 100, 1, 1000 };
    static uint8_t buf[1000], in[1500];
    for (unsigned k = 0; k < 3; k++) {
        memset(buf, 'a' + (int)k, sizes[k]);
        ktap_check(lwip_send(s, buf, sizes[k], 0) == (ssize_t)sizes[k], "send %zu", sizes[k]);
    }
    suite_tcpip_barrier();
    /* Three datagrams wait; FIONREAD (Linux mode) is the next one's size. */
    int avail = -1;
    ktap_check(lwip_ioctl(r, FIONREAD, &avail) == 0 && avail == 100, "FIONREAD %d, not 100", avail);
    /* A short buffer takes the start of a datagram; the rest is dropped. */
    ssize_t n = lwip_recv(r, in, 50, 0);
    ktap_check(n == 50 && in[0] == 'a' && in[49] == 'a', "first recv %zd", n);
    n = lwip_recv(r, in, sizeof in, 0);
    ktap_check(n == 1 && in[0] == 'b', "second datagram: %zd bytes, not 1", n);
    n = lwip_recv(r, in, sizeof in, 0);
    ktap_check(n == 1000 && in[0] == 'c' && in[999] == 'c', "third datagram: %zd bytes, not 1000", n);
    errno = 0;
    n = lwip_recv(r, in, sizeof in, MSG_DONTWAIT);
    ktap_check(n == -1 && (errno == EWOULDBLOCK || errno == EAGAIN),
                "recv with nothing queued, MSG_DONTWAIT: %zd, errno %d", n, errno);
    /* Larger than an Ethernet frame: the loopback has no MTU, so it goes whole. */
    static uint8_t big[4000];
    for (unsigned i = 0; i < sizeof big; i++)
        big[i] = udp_pattern(7, i);
    ktap_check(lwip_send(s, big, sizeof big, 0) == (ssize_t)sizeof big, "send 4000: errno %d", errno);
    static uint8_t bigin[5000];
    n = lwip_recv(r, bigin, sizeof bigin, 0);
    ktap_check(n == (ssize_t)sizeof big && memcmp(big, bigin, sizeof big) == 0,
                "4000-byte datagram came back as %zd bytes", n);
    lwip_close(r);
    lwip_close(s);
}

/* With SO_RCVBUF of 3000, a socket keeps three unread 1000-byte datagrams
 * and drops the rest; without it, all ten wait. */
static int udp_count_queued(int rcvbuf)
{
    int r = suite_socket(SOCK_DGRAM), s = suite_socket(SOCK_DGRAM);
    struct sockaddr_in addr = suite_lo(UDP_RCVBUF_PORT);
    if (rcvbuf)
        lwip_setsockopt(r, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    if (!ktap_check(lwip_bind(r, (struct sockaddr *)&addr, sizeof addr) == 0, "bind errno %d", errno))
        return -1;
    static uint8_t buf[1000];
    for (int i = 0; i < 10; i++)
        lwip_sendto(s, buf, sizeof buf, 0, (struct sockaddr *)&addr, sizeof addr);
    suite_tcpip_barrier();
    int got = 0;
    while (lwip_recv(r, buf, sizeof buf, MSG_DONTWAIT) == (ssize_t)sizeof buf)
        got++;
    ktap_check(errno == EWOULDBLOCK, "the last recv: errno %d, not EWOULDBLOCK", errno);
    lwip_close(r);
    lwip_close(s);
    return got;
}

void test_udp_rcvbuf(void)
{
    int with = udp_count_queued(3000), without = udp_count_queued(0);
    ktap_check(with == 3, "SO_RCVBUF 3000 kept %d of 10 1000-byte datagrams, not 3", with);
    ktap_check(without == 10, "without SO_RCVBUF %d of 10 were kept", without);
    printf("# SO_RCVBUF 3000: %d of 10 datagrams kept; default: %d\n", with, without);
}

static long long ms_since(long long t0)
{
    return (ktap_now_ns() - t0) / 1000000;
}

void test_select_poll_timeouts(void)
{
    int r = suite_socket(SOCK_DGRAM), s = suite_socket(SOCK_DGRAM);
    struct sockaddr_in addr = suite_lo(UDP_SELECT_PORT);
    if (!ktap_check(lwip_bind(r, (struct sockaddr *)&addr, sizeof addr) == 0, "bind errno %d", errno))
        return;

    /* Nothing to read: select and poll time out, never early. */
    fd_set rs;
    FD_ZERO(&rs);
    FD_SET(r, &rs);
    struct timeval tv = { 0, 100000 };
    long long t0 = ktap_now_ns();
    int n = lwip_select(r + 1, &rs, NULL, NULL, &tv);
    long long ms = ms_since(t0);
    ktap_check(n == 0 && !FD_ISSET(r, &rs), "select on an idle socket gave %d", n);
    ktap_check(ms >= 99, "select's 100 ms timeout returned early, after %lld ms", ms);
    struct pollfd p = { .fd = r, .events = POLLIN };
    t0 = ktap_now_ns();
    n = lwip_poll(&p, 1, 60);
    ms = ms_since(t0);
    ktap_check(n == 0 && p.revents == 0, "poll on an idle socket gave %d, revents %x", n, p.revents);
    ktap_check(ms >= 59, "poll's 60 ms timeout returned early, after %lld ms", ms);
    /* A zero timeout polls; a UDP socket is always writable. */
    FD_ZERO(&rs);
    FD_SET(r, &rs);
    fd_set ws;
    FD_ZERO(&ws);
    FD_SET(s, &ws);
    struct timeval zero = { 0, 0 };
    n = lwip_select((r > s ? r : s) + 1, &rs, &ws, NULL, &zero);
    ktap_check(n == 1 && !FD_ISSET(r, &rs) && FD_ISSET(s, &ws), "select, timeout 0: %d", n);

    /* SO_RCVTIMEO: recv gives up with EWOULDBLOCK after the timeout. */
    struct timeval rto = { 0, 80000 };
    lwip_setsockopt(r, SOL_SOCKET, SO_RCVTIMEO, &rto, sizeof rto);
    char c;
    errno = 0;
    t0 = ktap_now_ns();
    ssize_t got = lwip_recv(r, &c, 1, 0);
    ms = ms_since(t0);
    ktap_check(got == -1 && errno == EWOULDBLOCK, "recv past SO_RCVTIMEO: %zd errno %d", got, errno);
    ktap_check(ms >= 79, "SO_RCVTIMEO of 80 ms gave up early, after %lld ms", ms);

    /* A datagram arrives: select and poll see it at once. */
    lwip_sendto(s, "x", 1, 0, (struct sockaddr *)&addr, sizeof addr);
    FD_ZERO(&rs);
    FD_SET(r, &rs);
    tv = (struct timeval){ 5, 0 };
    n = lwip_select(r + 1, &rs, NULL, NULL, &tv);
    ktap_check(n == 1 && FD_ISSET(r, &rs), "select with a datagram waiting gave %d", n);
    p.revents = 0;
    n = lwip_poll(&p, 1, 5000);
    ktap_check(n == 1 && (p.revents & POLLIN), "poll with a datagram waiting: %d, revents %x", n,
                p.revents);
    ktap_check(lwip_recv(r, &c, 1, 0) == 1 && c == 'x', "recv after select");

    /* A closed socket: select fails with EBADF, poll marks it POLLNVAL
     * (lib/lwip/patches/0001: lwIP 2.1.3 reported it ready). */
    lwip_close(s);
    FD_ZERO(&rs);
    FD_SET(s, &rs);
    errno = 0;
    n = lwip_select(s + 1, &rs, NULL, NULL, &zero);
    ktap_check(n == -1 && errno == EBADF, "select on a closed socket: %d errno %d", n, errno);
    p = (struct pollfd){ .fd = s, .events = POLLIN };
    errno = 0;
    n = lwip_poll(&p, 1, 0);
    ktap_check(n == -1 && errno == EBADF && (p.revents & POLLNVAL),
                "poll on a closed socket: %d errno %d revents %x", n, errno, p.revents);
    lwip_close(r);
}
