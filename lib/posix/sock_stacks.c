/*
 * sock_stacks.c: which lwIP a socket belongs to (sock_priv.h skx_*).
 *
 * A domain runs one lwIP, or one per core with stacks apart (lib/lwip
 * lwip_stacks.h, netif_vnic.h net_start_apart): then a socket number says
 * its stack in its high bits, SKX_SHIFT up (stack 0's numbers are lwIP's
 * own, so a domain with one stack sees no change), and every call goes to
 * that stack. Stacks 1..3 are reached through lwip_stacks[], referred to
 * weakly: a program that does not link lwip_stacks has stack 0 only.
 *
 *   socket()   made in the stack of the calling thread's core
 *              (lwip_port_stack_of_core; 0 unless net_start_apart said);
 *   bind()     to an address another stack holds moves the socket there
 *              first (socket.c: skx_move, with its type, O_NONBLOCK and
 *              options SO_REUSEADDR, SO_KEEPALIVE, SO_LINGER, TCP_NODELAY),
 *              so a listener made by one thread for each core's address
 *              listens in that core's stack;
 *   accept()   gives a socket of the listener's stack;
 *   poll       a set within one stack waits in that stack's lwip_poll; a
 *              set over several looks at each in turn and waits in slices
 *              of SKX_SLICE_MS in the first (a socket of another stack is
 *              seen within a slice: only a listener over every core's
 *              address waits so, once per new connection);
 *   wake       sk_wake_pollers wakes the waiters of every stack.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lwip/sockets.h"
#include "lwip_port.h"
#include "lwip_stacks.h"
#include "sock_priv.h"
#include "sock_stacks.h"

#define SKX_SHIFT    10         /* lwIP's numbers are below 1024 (LWIP_SOCKET_OFFSET + 176) */
#define SKX_MASK     ((1 << SKX_SHIFT) - 1)
#define SKX_SLICE_MS 5

_Static_assert(LWIP_SOCKET_OFFSET + MEMP_NUM_NETCONN <= SKX_MASK, "socket numbers fit SKX_SHIFT");

void lwip_select_wake_all(void);      /* lib/lwip/patches/0002 */
extern const struct lwip_stack lwip_stacks[LWIP_STACKS] __attribute__((weak));

int skx_stack(int s) { return s < 0 ? 0 : s >> SKX_SHIFT; }

/* Stack k's table, or NULL for stack 0 (lwIP's own names). */
static const struct lwip_stack *skx_st(int s)
{
    int k = skx_stack(s);
    return k && lwip_stacks ? &lwip_stacks[k] : NULL;
}

static int skx_n(int s) { return s < 0 ? s : s & SKX_MASK; }
static int skx_join(int k, int n) { return n < 0 ? n : n | k << SKX_SHIFT; }

/* Calls with one socket: stack k's function, or lwIP's own for stack 0. */
#define SKX(s, call, args) (skx_st(s) ? skx_st(s)->call args : lwip_##call args)

int skx_socket(int domain, int type, int protocol)
{
    int k = lwip_stacks ? lwip_port_stack_of_core(pthread_getcore_np()) : 0;
    if (k <= 0 || k >= LWIP_STACKS)
        return lwip_socket(domain, type, protocol);
    return skx_join(k, lwip_stacks[k].socket(domain, type, protocol));
}

int skx_listen(int s, int backlog) { return SKX(s, listen, (skx_n(s), backlog)); }
int skx_shutdown(int s, int how) { return SKX(s, shutdown, (skx_n(s), how)); }
int skx_close(int s) { return SKX(s, close, (skx_n(s))); }
ssize_t skx_read(int s, void *mem, size_t len) { return SKX(s, read, (skx_n(s), mem, len)); }
ssize_t skx_write(int s, const void *p, size_t n) { return SKX(s, write, (skx_n(s), p, n)); }
ssize_t skx_send(int s, const void *p, size_t n, int f) { return SKX(s, send, (skx_n(s), p, n, f)); }
ssize_t skx_recv(int s, void *p, size_t n, int f) { return SKX(s, recv, (skx_n(s), p, n, f)); }
int skx_fcntl(int s, int cmd, int val) { return SKX(s, fcntl, (skx_n(s), cmd, val)); }
int skx_ioctl(int s, long cmd, void *argp) { return SKX(s, ioctl, (skx_n(s), cmd, argp)); }

int skx_setsockopt(int s, int level, int name, const void *val, uint32_t len)
{
    return SKX(s, setsockopt, (skx_n(s), level, name, val, len));
}

int skx_getsockopt(int s, int level, int name, void *val, uint32_t *len)
{
    return SKX(s, getsockopt, (skx_n(s), level, name, val, len));
}

int skx_bind(int s, const struct sockaddr *a, socklen_t len) { return SKX(s, bind, (skx_n(s), a, len)); }
int skx_connect(int s, const struct sockaddr *a, socklen_t len) { return SKX(s, connect, (skx_n(s), a, len)); }

int skx_accept(int s, struct sockaddr *a, socklen_t *len)
{
    return skx_join(skx_stack(s), SKX(s, accept, (skx_n(s), a, len)));
}

int skx_getsockname(int s, struct sockaddr *a, socklen_t *len) { return SKX(s, getsockname, (skx_n(s), a, len)); }
int skx_getpeername(int s, struct sockaddr *a, socklen_t *len) { return SKX(s, getpeername, (skx_n(s), a, len)); }

ssize_t skx_sendto(int s, const void *p, size_t n, int f, const struct sockaddr *to, socklen_t tolen)
{
    return SKX(s, sendto, (skx_n(s), p, n, f, to, tolen));
}

ssize_t skx_recvfrom(int s, void *p, size_t n, int f, struct sockaddr *from, socklen_t *fromlen)
{
    return SKX(s, recvfrom, (skx_n(s), p, n, f, from, fromlen));
}

ssize_t skx_sendmsg(int s, const struct msghdr *m, int f) { return SKX(s, sendmsg, (skx_n(s), m, f)); }
ssize_t skx_recvmsg(int s, struct msghdr *m, int f) { return SKX(s, recvmsg, (skx_n(s), m, f)); }

int skx_addr_core(int s, uint32_t addr)
{
    const struct lwip_stack *st = skx_st(s);
    return st ? st->addr_core(addr) : lwip_port_addr_core(addr);
}

int skx_stack_of_addr(uint32_t addr)
{
    if (!lwip_stacks || !addr)
        return -1;
    int n = lwip_port_stacks();
    for (int k = 0; k < n && k < LWIP_STACKS; k++)
        if ((k ? lwip_stacks[k].addr_core(addr) : lwip_port_addr_core(addr)) >= 0)
            return k;
    return -1;
}

int skx_move(int s, int k)
{
    int type = 0, nb, val, n;
    socklen_t len = sizeof type;
    if (skx_getsockopt(s, SOL_SOCKET, SO_TYPE, &type, &len) < 0 ||
        (nb = skx_fcntl(s, F_GETFL, 0)) < 0)
        return -1;
    const struct lwip_stack *st = k ? &lwip_stacks[k] : NULL;
    n = st ? st->socket(AF_INET, type, 0) : lwip_socket(AF_INET, type, 0);
    if (n < 0)
        return -1;
    int m = skx_join(k, n);
    static const struct { int level, name; } opts[] = {
        { SOL_SOCKET, SO_REUSEADDR }, { SOL_SOCKET, SO_KEEPALIVE }, { IPPROTO_TCP, TCP_NODELAY },
    };
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
        len = sizeof val;
        if (type == SOCK_STREAM || opts[i].level == SOL_SOCKET)
            if (skx_getsockopt(s, opts[i].level, opts[i].name, &val, &len) == 0 && val)
                skx_setsockopt(m, opts[i].level, opts[i].name, &val, len);
    }
    struct linger lg;
    len = sizeof lg;
    if (skx_getsockopt(s, SOL_SOCKET, SO_LINGER, &lg, &len) == 0 && lg.l_onoff)
        skx_setsockopt(m, SOL_SOCKET, SO_LINGER, &lg, len);
    if ((nb & O_NONBLOCK) && skx_fcntl(m, F_SETFL, O_NONBLOCK) < 0) {
        skx_close(m);
        return -1;
    }
    skx_close(s);
    return m;
}

/* One stack's part of a poll set: its entries' numbers made lwIP's, polled,
 * made ours again. */
static int skx_poll_stack(int k, struct pollfd *fds, nfds_t n, int timeout)
{
    for (nfds_t i = 0; i < n; i++)
        fds[i].fd = skx_n(fds[i].fd);
    int r = k && lwip_stacks ? lwip_stacks[k].poll(fds, n, timeout) : lwip_poll(fds, n, timeout);
    for (nfds_t i = 0; i < n; i++)
        fds[i].fd = skx_join(k, fds[i].fd);
    return r;
}

int skx_poll(struct pollfd *fds, nfds_t n, int timeout)
{
    int k0 = n ? skx_stack(fds[0].fd) : 0;
    bool one = true;
    for (nfds_t i = 1; i < n && one; i++)
        one = skx_stack(fds[i].fd) == k0;
    if (one)
        return skx_poll_stack(k0, fds, n, timeout);
    /* Several stacks: sort the set by stack (a copy), look at each. */
    struct pollfd *byst = malloc(n * sizeof *byst);
    nfds_t *where = malloc(n * sizeof *where);
    if (!byst || !where) {
        free(byst);
        free(where);
        errno = ENOMEM;
        return -1;
    }
    nfds_t m = 0, first[LWIP_STACKS + 1];
    for (int k = 0; k < LWIP_STACKS; k++) {
        first[k] = m;
        for (nfds_t i = 0; i < n; i++)
            if (skx_stack(fds[i].fd) == k) {
                where[m] = i;
                byst[m++] = fds[i];
            }
    }
    first[LWIP_STACKS] = m;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int r = 0;
    for (;;) {
        int waited = 0;
        for (int k = 0; k < LWIP_STACKS && r == 0; k++)
            if (first[k + 1] > first[k]) {
                int got = skx_poll_stack(k, byst + first[k], first[k + 1] - first[k], 0);
                if (got < 0) {
                    r = -1;
                    break;
                }
                r += got;
            }
        if (r || timeout == 0)
            break;
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        waited = (int)((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000);
        if (timeout > 0 && waited >= timeout)
            break;
        int slice = timeout < 0 || timeout - waited > SKX_SLICE_MS ? SKX_SLICE_MS : timeout - waited;
        int k = skx_stack(byst[0].fd);
        int got = skx_poll_stack(k, byst, first[k + 1] - first[k], slice);
        if (got < 0) {
            r = -1;
            break;
        }
        r = got;
        if (r)
            break;
    }
    for (nfds_t j = 0; j < m; j++)
        fds[where[j]].revents = byst[j].revents;
    free(byst);
    free(where);
    return r;
}

void skx_wake_all(void)
{
    lwip_select_wake_all();
    if (!lwip_stacks)
        return;
    int n = lwip_port_stacks();
    for (int k = 1; k < n && k < LWIP_STACKS; k++)
        lwip_stacks[k].select_wake_all();
}
