/*
 * suite_tcp.c: TCP through lwIP's sockets over 127.0.0.1 (lwip_suite; the
 * runner is suite.c): concurrent streams with checksums, a byte-exact
 * echo, non-blocking calls, refused connections, SO_REUSEADDR against
 * TIME_WAIT, 64 connections at once, and the listen backlog.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suite.h"

#define TCP_STREAM_PORT 7101
#define TCP_ECHO_PORT   7102
#define TCP_NB_PORT     7103
#define TCP_CLOSED_PORT 7104    /* nobody listens here */
#define TCP_REUSE_PORT  7105
#define TCP_MANY_PORT   7106
#define TCP_BACKLOG_PORT 7107

#define STREAMS         4
#define STREAM_BYTES    (256 * 1024)
#define MANY            64

static uint64_t fnv1a(uint64_t h, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}
#define FNV_INIT 0xcbf29ce484222325ull

static uint32_t xorshift(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

/* A listening socket on 127.0.0.1:port, or -1. */
static int tcp_listener(uint16_t port, int backlog, bool reuse)
{
    int fd = suite_socket(SOCK_STREAM);
    int one = 1;
    struct sockaddr_in a = suite_lo(port);
    if (fd < 0 || (reuse && lwip_setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one)) ||
        lwip_bind(fd, (struct sockaddr *)&a, sizeof a) || lwip_listen(fd, backlog)) {
        ktap_check(false, "listener on port %u: errno %d", port, errno);
        if (fd >= 0)
            lwip_close(fd);
        return -1;
    }
    return fd;
}

/* A blocking connection to 127.0.0.1:port, or -1. */
static int tcp_connect(uint16_t port)
{
    int fd = suite_socket(SOCK_STREAM);
    struct sockaddr_in a = suite_lo(port);
    if (fd >= 0 && lwip_connect(fd, (struct sockaddr *)&a, sizeof a) == 0)
        return fd;
    if (fd >= 0)
        lwip_close(fd);
    return -1;
}

/* --- Concurrent streams: each client sends 256 KiB, the server returns
 *     the byte count and FNV-1a hash it saw. --- */

struct stream_reply {
    uint64_t bytes, hash;
};

static void *stream_server(void *arg)
{
    int fd = (int)(intptr_t)arg;
    uint8_t buf[8192];
    struct stream_reply r = { 0, FNV_INIT };
    ssize_t n;
    while ((n = lwip_recv(fd, buf, sizeof buf, 0)) > 0) {
        r.hash = fnv1a(r.hash, buf, (size_t)n);
        r.bytes += (uint64_t)n;
    }
    if (n == 0)                     /* EOF: the client is done sending */
        suite_send_all(fd, &r, sizeof r);
    lwip_close(fd);
    return NULL;
}

/* Accepts STREAMS connections, a server thread for each. */
static void *stream_acceptor(void *arg)
{
    int l = *(int *)arg;
    pthread_t th[STREAMS];
    int started = 0;
    for (; started < STREAMS; started++) {
        int fd = lwip_accept(l, NULL, NULL);
        if (fd < 0 || pthread_create(&th[started], NULL, stream_server, (void *)(intptr_t)fd)) {
            ktap_check(false, "accept/pthread_create %d: errno %d", started, errno);
            break;
        }
    }
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    return NULL;
}

struct stream_client {
    int id;
    bool ok;
    uint64_t hash;
};

static void *stream_client(void *arg)
{
    struct stream_client *c = arg;
    int fd = tcp_connect(TCP_STREAM_PORT);
    if (!ktap_check(fd >= 0, "client %d: connect errno %d", c->id, errno))
        return NULL;
    uint8_t buf[8192];
    uint32_t rng = 0x9e3779b9u * (uint32_t)(c->id + 1);
    uint64_t h = FNV_INIT;
    size_t sent = 0;
    bool ok = true;
    while (ok && sent < STREAM_BYTES) {
        size_t n = 1 + xorshift(&rng) % sizeof buf;     /* 1..8192-byte writes */
        if (n > STREAM_BYTES - sent)
            n = STREAM_BYTES - sent;
        for (size_t i = 0; i < n; i++)
            buf[i] = (uint8_t)xorshift(&rng);
        h = fnv1a(h, buf, n);
        ok = suite_send_all(fd, buf, n);
        sent += n;
    }
    struct stream_reply r = { 0, 0 };
    ok = ktap_check(ok, "client %d: send failed after %zu bytes, errno %d", c->id, sent, errno) &&
         ktap_check(lwip_shutdown(fd, SHUT_WR) == 0, "client %d: shutdown errno %d", c->id, errno) &&
         ktap_check(suite_recv_all(fd, &r, sizeof r), "client %d: no reply, errno %d", c->id, errno);
    char extra;
    ok = ok && ktap_check(lwip_recv(fd, &extra, 1, 0) == 0, "client %d: no EOF after the reply", c->id);
    c->ok = ok && ktap_check(r.bytes == STREAM_BYTES && r.hash == h,
                              "client %d: server saw %llu bytes hash %016llx, sent %d hash %016llx",
                              c->id, (unsigned long long)r.bytes, (unsigned long long)r.hash,
                              STREAM_BYTES, (unsigned long long)h);
    c->hash = h;
    lwip_close(fd);
    return NULL;
}

void test_tcp_streams(void)
{
    int l = tcp_listener(TCP_STREAM_PORT, STREAMS, false);
    if (l < 0)
        return;
    pthread_t acc, th[STREAMS];
    struct stream_client cl[STREAMS];
    long long t0 = ktap_now_ns();
    pthread_create(&acc, NULL, stream_acceptor, &l);
    for (int i = 0; i < STREAMS; i++) {
        cl[i] = (struct stream_client){ .id = i };
        ktap_check(pthread_create(&th[i], NULL, stream_client, &cl[i]) == 0, "pthread_create");
    }
    int good = 0;
    for (int i = 0; i < STREAMS; i++) {
        pthread_join(th[i], NULL);
        good += cl[i].ok;
    }
    pthread_join(acc, NULL);
    long long ms = (ktap_now_ns() - t0) / 1000000;
    ktap_check(good == STREAMS, "%d of %d streams arrived intact", good, STREAMS);
    printf("# %d streams of %d KiB, hashes checked, in %lld ms (%lld KiB/s)\n", good,
           STREAM_BYTES / 1024, ms, ms ? (long long)STREAMS * STREAM_BYTES / 1024 * 1000 / ms : 0);
    lwip_close(l);
}

/* --- Echo: every byte comes back, in order. --- */

static void *echo_server(void *arg)
{
    int fd = lwip_accept(*(int *)arg, NULL, NULL);
    if (!ktap_check(fd >= 0, "echo accept errno %d", errno))
        return NULL;
    int one = 1;
    lwip_setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    static uint8_t buf[4096];
    ssize_t n;
    while ((n = lwip_recv(fd, buf, sizeof buf, 0)) > 0)
        if (!suite_send_all(fd, buf, (size_t)n))
            break;
    lwip_close(fd);
    return NULL;
}

void test_tcp_echo(void)
{
    int l = tcp_listener(TCP_ECHO_PORT, 1, false);
    if (l < 0)
        return;
    pthread_t th;
    pthread_create(&th, NULL, echo_server, &l);
    int fd = tcp_connect(TCP_ECHO_PORT);
    ktap_check(fd >= 0, "connect errno %d", errno);
    int one = 1;
    lwip_setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    /* The peer's address as both ends see it. */
    struct sockaddr_in me, peer;
    socklen_t ml = sizeof me, pl = sizeof peer;
    ktap_check(lwip_getsockname(fd, (struct sockaddr *)&me, &ml) == 0 &&
                lwip_getpeername(fd, (struct sockaddr *)&peer, &pl) == 0 &&
                peer.sin_port == lwip_htons(TCP_ECHO_PORT) &&
                me.sin_addr.s_addr == lwip_htonl(INADDR_LOOPBACK) && me.sin_port != 0,
                "getsockname/getpeername");
    static uint8_t out[3000], in[3000];
    uint32_t rng = 12345;
    size_t total = 0, chunks = 0, bad = 0;
    for (size_t n = 1; total + n <= 64 * 1024 && fd >= 0; n = n * 7 % 2999 + 1, chunks++) {
        for (size_t i = 0; i < n; i++)
            out[i] = (uint8_t)xorshift(&rng);
        if (!suite_send_all(fd, out, n) || !suite_recv_all(fd, in, n)) {
            ktap_check(false, "chunk %zu of %zu bytes: errno %d", chunks, n, errno);
            break;
        }
        bad += memcmp(in, out, n) != 0;
        total += n;
    }
    ktap_check(bad == 0, "%zu of %zu chunks came back different", bad, chunks);
    ktap_check(total > 60 * 1024, "only %zu bytes echoed", total);
    printf("# %zu bytes in %zu chunks of 1..2999 echoed byte-identical\n", total, chunks);
    lwip_close(fd);
    pthread_join(th, NULL);
    lwip_close(l);
}

/* --- Non-blocking calls: EWOULDBLOCK, EINPROGRESS, EALREADY. --- */

static bool wait_writable(int fd, int ms)
{
    fd_set ws;
    FD_ZERO(&ws);
    FD_SET(fd, &ws);
    struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };
    return lwip_select(fd + 1, NULL, &ws, NULL, &tv) == 1 && FD_ISSET(fd, &ws);
}

void test_tcp_nonblocking(void)
{
    int l = tcp_listener(TCP_NB_PORT, 4, false);
    if (l < 0)
        return;
    ktap_check(suite_set_nonblocking(l, true) == 0 && (lwip_fcntl(l, F_GETFL, 0) & O_NONBLOCK),
                "fcntl O_NONBLOCK on the listener");
    errno = 0;
    ktap_check(lwip_accept(l, NULL, NULL) == -1 && errno == EWOULDBLOCK,
                "accept with nothing pending: errno %d", errno);

    int c = suite_socket(SOCK_STREAM);
    int on = 1;
    ktap_check(lwip_ioctl(c, FIONBIO, &on) == 0, "FIONBIO errno %d", errno);
    struct sockaddr_in a = suite_lo(TCP_NB_PORT);
    errno = 0;
    ktap_check(lwip_connect(c, (struct sockaddr *)&a, sizeof a) == -1 && errno == EINPROGRESS,
                "non-blocking connect: errno %d, not EINPROGRESS", errno);
    errno = 0;
    int r = lwip_connect(c, (struct sockaddr *)&a, sizeof a);
    ktap_check(r == -1 && (errno == EALREADY || errno == EISCONN),
                "connect again while connecting: %d errno %d", r, errno);
    ktap_check(wait_writable(c, 5000), "the connecting socket never became writable");
    int soerr = -1;
    socklen_t len = sizeof soerr;
    ktap_check(lwip_getsockopt(c, SOL_SOCKET, SO_ERROR, &soerr, &len) == 0 && soerr == 0,
                "SO_ERROR after connecting: %d", soerr);

    struct pollfd p = { .fd = l, .events = POLLIN };
    ktap_check(lwip_poll(&p, 1, 5000) == 1 && (p.revents & POLLIN), "poll on the listener: revents %x",
                p.revents);
    int s = lwip_accept(l, NULL, NULL);
    if (!ktap_check(s >= 0, "accept after poll: errno %d", errno))
        return;
    suite_set_nonblocking(s, true);
    char buf[4096];
    errno = 0;
    ktap_check(lwip_recv(s, buf, sizeof buf, 0) == -1 && errno == EWOULDBLOCK,
                "recv with no data: errno %d", errno);
    errno = 0;
    ktap_check(lwip_recv(c, buf, sizeof buf, 0) == -1 && errno == EWOULDBLOCK,
                "client recv with no data: errno %d", errno);
    ktap_check(lwip_send(c, "hello", 5, 0) == 5, "send hello");
    p = (struct pollfd){ .fd = s, .events = POLLIN };
    ktap_check(lwip_poll(&p, 1, 5000) == 1 && lwip_recv(s, buf, sizeof buf, 0) == 5 &&
                memcmp(buf, "hello", 5) == 0, "hello after poll");

    /* The peer reads nothing: sends fill the buffers, then EWOULDBLOCK. */
    memset(buf, 0x5a, sizeof buf);
    size_t queued = 0;
    ssize_t n;
    errno = 0;
    while ((n = lwip_send(c, buf, sizeof buf, 0)) > 0 && queued < (8u << 20))
        queued += (size_t)n;
    ktap_check(n == -1 && errno == EWOULDBLOCK, "send into full buffers: %zd errno %d", n, errno);
    ktap_check(queued >= 8192 && queued < (1u << 20), "%zu bytes went before EWOULDBLOCK", queued);
    ktap_check(!wait_writable(c, 0), "writable with full buffers");
    /* Draining the peer makes room again. */
    size_t drained = 0;
    while (drained < queued) {
        p = (struct pollfd){ .fd = s, .events = POLLIN };
        if (lwip_poll(&p, 1, 5000) != 1 || (n = lwip_recv(s, buf, sizeof buf, 0)) <= 0)
            break;
        for (ssize_t i = 0; i < n; i++)
            if (buf[i] != 0x5a)
                n = -1000000;
        drained += (size_t)n;
    }
    ktap_check(drained == queued, "drained %zu of %zu bytes (or corrupt)", drained, queued);
    ktap_check(wait_writable(c, 5000), "not writable again after draining");
    printf("# %zu bytes queued before EWOULDBLOCK\n", queued);
    lwip_close(s);
    lwip_close(c);
    lwip_close(l);
}

/* --- Connections nobody accepts. --- */

void test_tcp_refused(void)
{
    struct sockaddr_in a = suite_lo(TCP_CLOSED_PORT);
    int c = suite_socket(SOCK_STREAM);
    errno = 0;
    int r = lwip_connect(c, (struct sockaddr *)&a, sizeof a);
    int blocking_errno = errno;
    ktap_check(r == -1 && (errno == ECONNREFUSED || errno == ECONNRESET),
                "blocking connect to a closed port: %d errno %d", r, errno);
    lwip_close(c);

    c = suite_socket(SOCK_STREAM);
    suite_set_nonblocking(c, true);
    errno = 0;
    ktap_check(lwip_connect(c, (struct sockaddr *)&a, sizeof a) == -1 && errno == EINPROGRESS,
                "non-blocking connect: errno %d", errno);
    fd_set ws, es;
    FD_ZERO(&ws);
    FD_ZERO(&es);
    FD_SET(c, &ws);
    FD_SET(c, &es);
    struct timeval tv = { 5, 0 };
    int n = lwip_select(c + 1, NULL, &ws, &es, &tv);
    ktap_check(n >= 1, "select on a refused connection gave %d", n);
    int soerr = 0;
    socklen_t len = sizeof soerr;
    lwip_getsockopt(c, SOL_SOCKET, SO_ERROR, &soerr, &len);
    ktap_check(soerr == ECONNREFUSED || soerr == ECONNRESET, "SO_ERROR %d", soerr);
    printf("# refused: blocking connect errno %d, SO_ERROR %d\n", blocking_errno, soerr);
    lwip_close(c);
}

/* --- SO_REUSEADDR lets a server rebind while its old connection is in
 *     TIME_WAIT. --- */

void test_tcp_reuseaddr_time_wait(void)
{
    int l = tcp_listener(TCP_REUSE_PORT, 1, false);
    if (l < 0)
        return;
    int c = tcp_connect(TCP_REUSE_PORT);
    int s = lwip_accept(l, NULL, NULL);
    if (!ktap_check(c >= 0 && s >= 0, "connect/accept errno %d", errno))
        return;
    /* The server closes first: its end goes through FIN_WAIT to TIME_WAIT. */
    lwip_close(s);
    char b;
    ktap_check(lwip_recv(c, &b, 1, 0) == 0, "client sees EOF");
    lwip_close(c);
    lwip_close(l);
    suite_tcpip_barrier();
    suite_tcpip_barrier();

    struct sockaddr_in a = suite_lo(TCP_REUSE_PORT);
    int x = suite_socket(SOCK_STREAM);
    errno = 0;
    ktap_check(lwip_bind(x, (struct sockaddr *)&a, sizeof a) == -1 && errno == EADDRINUSE,
                "bind over TIME_WAIT without SO_REUSEADDR: errno %d, not EADDRINUSE", errno);
    lwip_close(x);
    l = tcp_listener(TCP_REUSE_PORT, 1, true);
    ktap_check(l >= 0, "bind/listen with SO_REUSEADDR");
    if (l < 0)
        return;
    /* And the new listener works. */
    c = tcp_connect(TCP_REUSE_PORT);
    s = lwip_accept(l, NULL, NULL);
    ktap_check(c >= 0 && s >= 0 && lwip_send(c, "r", 1, 0) == 1 && lwip_recv(s, &b, 1, 0) == 1 &&
                b == 'r', "a connection to the reused port");
    lwip_close(s);
    lwip_close(c);
    lwip_close(l);
}

/* --- Many connections at once, from one thread. --- */

void test_tcp_many_connections(void)
{
    int l = tcp_listener(TCP_MANY_PORT, MANY, false);
    if (l < 0)
        return;
    int c[MANY], s[MANY], made = 0, accepted = 0, good = 0;
    /* lwIP completes each handshake itself; accept() only takes them. */
    for (; made < MANY; made++)
        if ((c[made] = tcp_connect(TCP_MANY_PORT)) < 0) {
            ktap_check(false, "connection %d: errno %d", made, errno);
            break;
        }
    for (; accepted < made; accepted++)
        if ((s[accepted] = lwip_accept(l, NULL, NULL)) < 0) {
            ktap_check(false, "accept %d: errno %d", accepted, errno);
            break;
        }
    for (int i = 0; i < made; i++)
        suite_send_all(c[i], &i, sizeof i);
    /* Accepted in connection order: server i has client i, and answers. */
    for (int i = 0; i < accepted; i++) {
        int v = -1;
        if (suite_recv_all(s[i], &v, sizeof v) && v == i) {
            v += 1000;
            suite_send_all(s[i], &v, sizeof v);
        }
    }
    for (int i = 0; i < made; i++) {
        int v = -1;
        good += suite_recv_all(c[i], &v, sizeof v) && v == i + 1000;
    }
    ktap_check(made == MANY && accepted == MANY && good == MANY,
                "%d connected, %d accepted, %d answered of %d", made, accepted, good, MANY);
    printf("# %d connections open at once (%d sockets)\n", good, 2 * good + 1);
    for (int i = 0; i < accepted; i++)
        lwip_close(s[i]);
    for (int i = 0; i < made; i++)
        lwip_close(c[i]);
    lwip_close(l);
}

/* --- listen(fd, 1): a second connection waits until the first is
 *     accepted (its SYN is dropped, then retransmitted). --- */

void test_tcp_backlog(void)
{
    int l = tcp_listener(TCP_BACKLOG_PORT, 1, false);
    if (l < 0)
        return;
    struct sockaddr_in a = suite_lo(TCP_BACKLOG_PORT);
    int c1 = suite_socket(SOCK_STREAM), c2 = suite_socket(SOCK_STREAM);
    suite_set_nonblocking(c1, true);
    suite_set_nonblocking(c2, true);
    lwip_connect(c1, (struct sockaddr *)&a, sizeof a);
    ktap_check(wait_writable(c1, 5000), "the first connection did not complete");
    lwip_connect(c2, (struct sockaddr *)&a, sizeof a);
    ktap_check(!wait_writable(c2, 300), "a second connection completed past a backlog of 1");
    int s1 = lwip_accept(l, NULL, NULL);
    ktap_check(s1 >= 0, "accept the first: errno %d", errno);
    long long t0 = ktap_now_ns();
    bool second = wait_writable(c2, 15000);
    ktap_check(second, "the second connection did not complete after the first was accepted");
    int s2 = lwip_accept(l, NULL, NULL);
    ktap_check(s2 >= 0, "accept the second: errno %d", errno);
    printf("# the second connection completed %lld ms after the first was accepted\n",
           (ktap_now_ns() - t0) / 1000000);
    lwip_close(s1);
    lwip_close(s2);
    lwip_close(c1);
    lwip_close(c2);
    lwip_close(l);
}
