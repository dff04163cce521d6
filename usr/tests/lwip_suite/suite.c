/*
 * suite.c: lwIP as an application links it, in KTAP.
 *
 * lwip_suite starts this domain's lwIP (lwip_port_start) and exercises it
 * through its socket API (lwip_socket, lwip_bind, ...) over the loopback
 * interface, 127.0.0.1, client and server in the same domain. It runs each
 * test of suite_tests[] in turn and prints
 *     KTAP version 1
 *     1..N
 *     ok 1 start_loopback_up          (or "not ok 1 ..." after "# FAIL" lines)
 * then "# lwip_suite: P of N tests passed" and exits with status 0 only if
 * all passed. Every test calls ktap_check() once per fact. This file has
 * the runner, the helpers and the socket-option tests; suite_udp.c has
 * UDP, select and poll; suite_tcp.c has TCP.
 * tests/system/test_lwip.py runs it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lwip/netif.h"
#include "lwip/sys.h"
#include "lwip/tcpip.h"
#include "lwip_port.h"
#include "suite.h"

struct sockaddr_in suite_lo(uint16_t port)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_len = sizeof a;
    a.sin_family = AF_INET;
    a.sin_port = lwip_htons(port);
    a.sin_addr.s_addr = lwip_htonl(INADDR_LOOPBACK);
    return a;
}

int suite_socket(int type)
{
    int fd = lwip_socket(AF_INET, type, 0);
    if (fd < 0)
        return -1;
    struct timeval tv = { .tv_sec = 10, .tv_usec = 0 };
    lwip_setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    lwip_setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    return fd;
}

int suite_set_nonblocking(int fd, bool on)
{
    int flags = lwip_fcntl(fd, F_GETFL, 0);
    if (flags < 0)
        return -1;
    return lwip_fcntl(fd, F_SETFL, on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK);
}

static void suite_barrier_signal(void *sem)
{
    sys_sem_signal((sys_sem_t *)sem);
}

void suite_tcpip_barrier(void)
{
    sys_sem_t sem;
    sys_sem_new(&sem, 0);
    tcpip_callback(suite_barrier_signal, &sem);
    sys_sem_wait(&sem);
    sys_sem_free(&sem);
}

bool suite_send_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n) {
        ssize_t k = lwip_send(fd, p, n, 0);
        if (k <= 0)
            return false;
        p += k;
        n -= (size_t)k;
    }
    return true;
}

bool suite_recv_all(int fd, void *buf, size_t n)
{
    char *p = buf;
    while (n) {
        ssize_t k = lwip_recv(fd, p, n, 0);
        if (k <= 0)
            return false;
        p += k;
        n -= (size_t)k;
    }
    return true;
}

/* --- Start-up --- */

static void test_start(void)
{
    long long t0 = ktap_now_ns();
    err_t err = lwip_port_start();
    ktap_check(err == ERR_OK, "lwip_port_start gave %d", err);
    ktap_check(lwip_port_start() == ERR_OK, "a second lwip_port_start is not ERR_OK");
    LOCK_TCPIP_CORE();
    struct netif *lo = netif_find("lo0");
    bool up = lo && netif_is_up(lo) && netif_is_link_up(lo);
    uint32_t addr = lo ? ip4_addr_get_u32(netif_ip4_addr(lo)) : 0;
    UNLOCK_TCPIP_CORE();
    ktap_check(lo != NULL, "no loopback interface lo0");
    ktap_check(up, "lo0 is not up with its link up");
    ktap_check(addr == lwip_htonl(INADDR_LOOPBACK), "lo0 has address %08x", (unsigned)lwip_ntohl(addr));
    printf("# lwIP started in %lld ms; lo0 127.0.0.1\n", (ktap_now_ns() - t0) / 1000000);
}

/* --- Socket options --- */

static int suite_getint(int fd, int level, int name, int *val)
{
    socklen_t len = sizeof *val;
    *val = -12345;
    int r = lwip_getsockopt(fd, level, name, val, &len);
    return r == 0 && len == sizeof *val ? 0 : -1;
}

static int suite_setint(int fd, int level, int name, int val)
{
    return lwip_setsockopt(fd, level, name, &val, sizeof val);
}

void test_sockopts(void)
{
    int t = suite_socket(SOCK_STREAM), u = suite_socket(SOCK_DGRAM), v;
    ktap_check(t >= LWIP_SOCKET_OFFSET && u >= LWIP_SOCKET_OFFSET,
                "socket numbers %d %d below LWIP_SOCKET_OFFSET %d", t, u, LWIP_SOCKET_OFFSET);
    ktap_check(suite_getint(t, SOL_SOCKET, SO_TYPE, &v) == 0 && v == SOCK_STREAM, "SO_TYPE tcp %d", v);
    ktap_check(suite_getint(u, SOL_SOCKET, SO_TYPE, &v) == 0 && v == SOCK_DGRAM, "SO_TYPE udp %d", v);

    /* SO_REUSEADDR: off by default, then on, then off again. */
    ktap_check(suite_getint(t, SOL_SOCKET, SO_REUSEADDR, &v) == 0 && v == 0, "SO_REUSEADDR default %d", v);
    ktap_check(suite_setint(t, SOL_SOCKET, SO_REUSEADDR, 1) == 0, "set SO_REUSEADDR errno %d", errno);
    ktap_check(suite_getint(t, SOL_SOCKET, SO_REUSEADDR, &v) == 0 && v != 0, "SO_REUSEADDR after set %d", v);
    ktap_check(suite_setint(t, SOL_SOCKET, SO_REUSEADDR, 0) == 0 &&
                suite_getint(t, SOL_SOCKET, SO_REUSEADDR, &v) == 0 && v == 0, "SO_REUSEADDR cleared %d", v);

    /* TCP_NODELAY: Nagle on by default; a TCP-only option. */
    ktap_check(suite_getint(t, IPPROTO_TCP, TCP_NODELAY, &v) == 0 && v == 0, "TCP_NODELAY default %d", v);
    ktap_check(suite_setint(t, IPPROTO_TCP, TCP_NODELAY, 1) == 0 &&
                suite_getint(t, IPPROTO_TCP, TCP_NODELAY, &v) == 0 && v != 0, "TCP_NODELAY set %d", v);
    ktap_check(suite_setint(t, IPPROTO_TCP, TCP_NODELAY, 0) == 0 &&
                suite_getint(t, IPPROTO_TCP, TCP_NODELAY, &v) == 0 && v == 0, "TCP_NODELAY cleared %d", v);
    errno = 0;
    ktap_check(suite_setint(u, IPPROTO_TCP, TCP_NODELAY, 1) == -1 && errno == ENOPROTOOPT,
                "TCP_NODELAY on a UDP socket: errno %d, not ENOPROTOOPT", errno);

    /* SO_RCVBUF: unlimited by default, then what was set. */
    ktap_check(suite_getint(u, SOL_SOCKET, SO_RCVBUF, &v) == 0 && v > 1000000, "SO_RCVBUF default %d", v);
    ktap_check(suite_setint(u, SOL_SOCKET, SO_RCVBUF, 5000) == 0 &&
                suite_getint(u, SOL_SOCKET, SO_RCVBUF, &v) == 0 && v == 5000, "SO_RCVBUF set %d", v);

    /* SO_RCVTIMEO reads back as set (suite_socket: 10 s). */
    struct timeval tv = { 0, 0 };
    socklen_t len = sizeof tv;
    ktap_check(lwip_getsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &tv, &len) == 0 && tv.tv_sec == 10 &&
                tv.tv_usec == 0, "SO_RCVTIMEO read %ld.%06ld", (long)tv.tv_sec, (long)tv.tv_usec);

    /* Refusals: a short option buffer, an unknown option, a closed socket. */
    char small = 0;
    len = sizeof small;
    errno = 0;
    ktap_check(lwip_getsockopt(t, SOL_SOCKET, SO_TYPE, &small, &len) == -1 && errno == EINVAL,
                "getsockopt with a 1-byte buffer: errno %d", errno);
    errno = 0;
    ktap_check(suite_getint(t, SOL_SOCKET, 0x7777, &v) == -1 && errno == ENOPROTOOPT,
                "unknown option: errno %d", errno);
    ktap_check(suite_getint(u, SOL_SOCKET, SO_ERROR, &v) == 0 && v == 0, "SO_ERROR %d", v);
    ktap_check(lwip_close(t) == 0 && lwip_close(u) == 0, "close");
    errno = 0;
    ktap_check(suite_getint(t, SOL_SOCKET, SO_TYPE, &v) == -1 && errno == EBADF,
                "getsockopt on a closed socket: errno %d", errno);
}

static const struct ktap_test suite_tests[] = {
    { "start_loopback_up", test_start },
    { "socket_options", test_sockopts },
    { "udp_echo_sizes_1_to_1472", test_udp_echo_sizes },
    { "udp_datagram_boundaries", test_udp_boundaries },
    { "udp_so_rcvbuf_drops", test_udp_rcvbuf },
    { "select_poll_timeouts", test_select_poll_timeouts },
    { "tcp_4_streams_256k_checksum", test_tcp_streams },
    { "tcp_echo_byte_identical", test_tcp_echo },
    { "tcp_nonblocking_ewouldblock", test_tcp_nonblocking },
    { "tcp_connect_refused", test_tcp_refused },
    { "tcp_reuseaddr_time_wait", test_tcp_reuseaddr_time_wait },
    { "tcp_64_connections", test_tcp_many_connections },
    { "tcp_listen_backlog", test_tcp_backlog },
};
#define SUITE_COUNT (int)(sizeof suite_tests / sizeof suite_tests[0])

int main(void)
{
    return ktap_run("lwip_suite", suite_tests, SUITE_COUNT);
}
