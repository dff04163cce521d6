/*
 * sock_lwip.c: the lwIP side of the POSIX sockets (sock_priv.h): socket
 * addresses, message vectors and poll sets handed to lwIP in its own
 * layouts, and compile-time checks that sock_priv.h's LW_ constants are
 * lwIP's. Nothing here keeps state; errno is lwIP's (newlib's).
 */
#include <errno.h>
#include <string.h>

#include "lwip/opt.h"
#include "lwip/sockets.h"
#include "lwip_port.h"
#include "sock_priv.h"
#include "sock_stacks.h"

#define SK_CHECK(lw, name) _Static_assert((lw) == (name), #lw " is lwIP's " #name)
SK_CHECK(LW_AF_UNSPEC, AF_UNSPEC);
SK_CHECK(LW_AF_INET, AF_INET);
SK_CHECK(LW_SOCK_STREAM, SOCK_STREAM);
SK_CHECK(LW_SOCK_DGRAM, SOCK_DGRAM);
SK_CHECK(LW_SOCK_RAW, SOCK_RAW);
SK_CHECK(LW_SOL_SOCKET, SOL_SOCKET);
SK_CHECK(LW_SO_ACCEPTCONN, SO_ACCEPTCONN);
SK_CHECK(LW_SO_REUSEADDR, SO_REUSEADDR);
SK_CHECK(LW_SO_KEEPALIVE, SO_KEEPALIVE);
SK_CHECK(LW_SO_BROADCAST, SO_BROADCAST);
SK_CHECK(LW_SO_LINGER, SO_LINGER);
SK_CHECK(LW_SO_RCVBUF, SO_RCVBUF);
SK_CHECK(LW_SO_SNDTIMEO, SO_SNDTIMEO);
SK_CHECK(LW_SO_RCVTIMEO, SO_RCVTIMEO);
SK_CHECK(LW_SO_ERROR, SO_ERROR);
SK_CHECK(LW_SO_TYPE, SO_TYPE);
SK_CHECK(LW_IPPROTO_IP, IPPROTO_IP);
SK_CHECK(LW_IPPROTO_TCP, IPPROTO_TCP);
SK_CHECK(LW_IPPROTO_UDP, IPPROTO_UDP);
SK_CHECK(LW_IP_TOS, IP_TOS);
SK_CHECK(LW_IP_TTL, IP_TTL);
SK_CHECK(LW_TCP_NODELAY, TCP_NODELAY);
SK_CHECK(LW_TCP_KEEPIDLE, TCP_KEEPIDLE);
SK_CHECK(LW_TCP_KEEPINTVL, TCP_KEEPINTVL);
SK_CHECK(LW_TCP_KEEPCNT, TCP_KEEPCNT);
SK_CHECK(LW_MSG_PEEK, MSG_PEEK);
SK_CHECK(LW_MSG_WAITALL, MSG_WAITALL);
SK_CHECK(LW_MSG_OOB, MSG_OOB);
SK_CHECK(LW_MSG_DONTWAIT, MSG_DONTWAIT);
SK_CHECK(LW_MSG_MORE, MSG_MORE);
SK_CHECK(LW_MSG_TRUNC, MSG_TRUNC);
SK_CHECK(LW_MSG_CTRUNC, MSG_CTRUNC);
SK_CHECK(LW_POLLIN, POLLIN);
SK_CHECK(LW_POLLOUT, POLLOUT);
SK_CHECK(LW_POLLERR, POLLERR);
SK_CHECK(LW_POLLNVAL, POLLNVAL);
SK_CHECK(LW_POLLHUP, POLLHUP);
SK_CHECK(LW_FIONREAD, FIONREAD);
SK_CHECK(LW_FIONBIO, FIONBIO);
_Static_assert(sizeof(struct sk_iov) == sizeof(struct iovec) &&
               offsetof(struct sk_iov, base) == offsetof(struct iovec, iov_base) &&
               offsetof(struct sk_iov, len) == offsetof(struct iovec, iov_len), "iovec layout");
_Static_assert(sizeof(struct sk_pollfd) == sizeof(struct pollfd) &&
               offsetof(struct sk_pollfd, events) == offsetof(struct pollfd, events) &&
               offsetof(struct sk_pollfd, revents) == offsetof(struct pollfd, revents),
               "pollfd layout");

static void sk_to_lwip(const struct sk_in *a, struct sockaddr_in *sin)
{
    memset(sin, 0, sizeof *sin);
    sin->sin_len = sizeof *sin;
    sin->sin_family = (sa_family_t)a->family;
    sin->sin_port = a->port;
    sin->sin_addr.s_addr = a->addr;
}

static void sk_from_lwip(const struct sockaddr_in *sin, struct sk_in *a)
{
    a->family = sin->sin_family;
    a->addr = sin->sin_addr.s_addr;
    a->port = sin->sin_port;
}

int sk_start(void)
{
    if (lwip_port_start() == ERR_OK)
        return 0;
    errno = ENOMEM;
    return -1;
}

int sk_bind(int s, const struct sk_in *a)
{
    struct sockaddr_in sin;
    sk_to_lwip(a, &sin);
    return skx_bind(s, (struct sockaddr *)&sin, sizeof sin);
}

int sk_connect(int s, const struct sk_in *a)
{
    struct sockaddr_in sin;
    sk_to_lwip(a, &sin);
    return skx_connect(s, (struct sockaddr *)&sin, sizeof sin);
}

int sk_accept(int s, struct sk_in *peer)
{
    struct sockaddr_in sin;
    socklen_t len = sizeof sin;
    int fd = skx_accept(s, peer ? (struct sockaddr *)&sin : NULL, peer ? &len : NULL);
    if (fd >= 0 && peer)
        sk_from_lwip(&sin, peer);
    return fd;
}

int sk_name(int s, int peer, struct sk_in *a)
{
    struct sockaddr_in sin;
    socklen_t len = sizeof sin;
    int r = peer ? skx_getpeername(s, (struct sockaddr *)&sin, &len)
                 : skx_getsockname(s, (struct sockaddr *)&sin, &len);
    if (r == 0)
        sk_from_lwip(&sin, a);
    return r;
}

ssize_t sk_sendto(int s, const void *buf, size_t n, int flags, const struct sk_in *to)
{
    if (!to)
        return skx_send(s, buf, n, flags);
    struct sockaddr_in sin;
    sk_to_lwip(to, &sin);
    return skx_sendto(s, buf, n, flags, (struct sockaddr *)&sin, sizeof sin);
}

ssize_t sk_recvfrom(int s, void *buf, size_t n, int flags, struct sk_in *from)
{
    if (!from)
        return skx_recv(s, buf, n, flags);
    struct sockaddr_in sin;
    socklen_t len = sizeof sin;
    memset(&sin, 0, sizeof sin);
    ssize_t got = skx_recvfrom(s, buf, n, flags, (struct sockaddr *)&sin, &len);
    if (got >= 0)
        sk_from_lwip(&sin, from);
    return got;
}

ssize_t sk_sendmsg(int s, const struct sk_iov *iov, int n, const struct sk_in *to, int flags)
{
    struct sockaddr_in sin;
    struct msghdr m = { .msg_iov = (struct iovec *)iov, .msg_iovlen = n };
    if (to) {
        sk_to_lwip(to, &sin);
        m.msg_name = &sin;
        m.msg_namelen = sizeof sin;
    }
    return skx_sendmsg(s, &m, flags);
}

ssize_t sk_recvmsg(int s, const struct sk_iov *iov, int n, struct sk_in *from, int flags,
                   int *out_flags)
{
    struct sockaddr_in sin;
    memset(&sin, 0, sizeof sin);
    struct msghdr m = { .msg_iov = (struct iovec *)iov, .msg_iovlen = n };
    if (from) {
        m.msg_name = &sin;
        m.msg_namelen = sizeof sin;
    }
    ssize_t got = skx_recvmsg(s, &m, flags);
    if (got >= 0) {
        if (from)
            sk_from_lwip(&sin, from);
        *out_flags = m.msg_flags;
    }
    return got;
}

int sk_poll(struct sk_pollfd *fds, unsigned n, int timeout_ms)
{
    return skx_poll((struct pollfd *)fds, n, timeout_ms);
}

void sk_wake_pollers(void)
{
    skx_wake_all();
}

int sk_sndbuf(void)
{
    return TCP_SND_BUF;
}
