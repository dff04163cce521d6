/*
 * socket.c: the POSIX socket calls (<sys/socket.h>), over this domain's
 * lwIP.
 *
 * A socket's fd is its lwIP socket number (64 and up, above the fd
 * table's files: posix/libc.h), so a call passes the number straight on;
 * what changes on the way is the constants and layouts: programs see
 * Linux's (AF_INET 2 in a 16-bit family, SOL_SOCKET 1, MSG_DONTWAIT 0x40),
 * lwIP has its own, and sock_lwip.c hands lwIP its structures (sock_priv.h
 * says why there are two files). errno is what lwIP sets: newlib's values,
 * per thread. The first socket() registers the read/write/close/fcntl
 * hooks with the fd table (glue_sockets), so close(), read(), write(),
 * fcntl(O_NONBLOCK) and fstat() work on a socket, and it starts lwIP if
 * the program has not (then only loopback exists until net_start()).
 *
 * Not here: AF_INET6, AF_UNIX and socketpair (EAFNOSUPPORT), control
 * messages (recvmsg gives none), SO_REUSEPORT (ENOPROTOOPT). Setting
 * SO_SNDBUF is refused (ENOPROTOOPT, said once): lwIP's send buffer is
 * fixed (TCP_SND_BUF), which getsockopt(SO_SNDBUF) reports.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <posix/libc.h>
#include "sock_priv.h"
#include "socket_priv.h"

_Static_assert(sizeof(struct sk_iov) == sizeof(struct iovec) &&
               offsetof(struct sk_iov, base) == offsetof(struct iovec, iov_base) &&
               offsetof(struct sk_iov, len) == offsetof(struct iovec, iov_len), "iovec layout");

static int sock_fail(int err)
{
    errno = err;
    return -1;
}

bool posix_is_socket_fd(int fd)
{
    return fd >= GLUE_SOCKET_FD_MIN && fd < GLUE_SOCKET_FD_END;
}

/* --- The fd table's hooks --- */

void (*posix_socket_close_hook)(int fd);

static ssize_t sock_fd_read(int fd, void *buf, size_t n) { return lwip_read(fd, buf, n); }
static ssize_t sock_fd_write(int fd, const void *buf, size_t n) { return lwip_write(fd, buf, n); }

static int sock_fd_close(int fd)
{
    void (*hook)(int) = __atomic_load_n(&posix_socket_close_hook, __ATOMIC_ACQUIRE);
    if (hook)
        hook(fd);               /* epoll: out of every interest list */
    return lwip_close(fd);
}

static int sock_fd_fcntl(int fd, int cmd, int arg)
{
    switch (cmd) {
    case F_GETFL:
        return lwip_fcntl(fd, F_GETFL, 0);
    case F_SETFL:
        return lwip_fcntl(fd, F_SETFL, arg & O_NONBLOCK);   /* other status flags: ignored */
    case F_GETFD:
    case F_SETFD:
        return lwip_fcntl(fd, F_GETFL, 0) < 0 ? -1 : 0;     /* no exec: nothing to close */
    default:
        return sock_fail(EINVAL);
    }
}

static const struct glue_socket_ops sock_fd_ops = {
    .read = sock_fd_read, .write = sock_fd_write, .close = sock_fd_close,
    .fcntl = sock_fd_fcntl,
};

/* --- Addresses, flags, options: Linux's to lwIP's --- */

/* A caller's address into lwIP's terms: 0, or -1 with errno. */
static int sock_addr_in(const struct sockaddr *sa, socklen_t len, struct sk_in *a, bool unspec_ok)
{
    if (!sa)
        return sock_fail(EFAULT);
    if (len < sizeof(sa_family_t))
        return sock_fail(EINVAL);
    if (sa->sa_family == AF_UNSPEC && unspec_ok) {
        *a = (struct sk_in){ .family = LW_AF_UNSPEC };
        return 0;
    }
    if (sa->sa_family != AF_INET)
        return sock_fail(EAFNOSUPPORT);
    if (len < sizeof(struct sockaddr_in))
        return sock_fail(EINVAL);
    const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;
    *a = (struct sk_in){ .family = LW_AF_INET, .addr = sin->sin_addr.s_addr, .port = sin->sin_port };
    return 0;
}

/* An address out to the caller, truncated to *len as POSIX says; *len
 * becomes the full size. */
static void sock_addr_out(const struct sk_in *a, struct sockaddr *sa, socklen_t *len)
{
    if (!sa || !len)
        return;
    struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = a->port,
                               .sin_addr.s_addr = a->addr };
    memcpy(sa, &sin, *len < sizeof sin ? *len : sizeof sin);
    *len = sizeof sin;
}

/* Linux's MSG_ flags into lwIP's; -1 for one lwIP does not have. */
static int sock_flags(int flags)
{
    int lw = 0;
    if (flags & MSG_PEEK) lw |= LW_MSG_PEEK;
    if (flags & MSG_WAITALL) lw |= LW_MSG_WAITALL;
    if (flags & MSG_DONTWAIT) lw |= LW_MSG_DONTWAIT;
    if (flags & MSG_MORE) lw |= LW_MSG_MORE;
    if (flags & MSG_OOB)
        return -1;
    return lw;                  /* MSG_NOSIGNAL, MSG_EOR: nothing to do (no signals) */
}

struct sock_opt {
    int level, name;            /* Linux's */
    int lw_level, lw_name;      /* lwIP's; lw_name 0: handled here */
};

static const struct sock_opt sock_opts[] = {
    { SOL_SOCKET, SO_REUSEADDR, LW_SOL_SOCKET, LW_SO_REUSEADDR },
    { SOL_SOCKET, SO_KEEPALIVE, LW_SOL_SOCKET, LW_SO_KEEPALIVE },
    { SOL_SOCKET, SO_BROADCAST, LW_SOL_SOCKET, LW_SO_BROADCAST },
    { SOL_SOCKET, SO_LINGER, LW_SOL_SOCKET, LW_SO_LINGER },
    { SOL_SOCKET, SO_RCVBUF, LW_SOL_SOCKET, LW_SO_RCVBUF },
    { SOL_SOCKET, SO_SNDBUF, LW_SOL_SOCKET, 0 },
    { SOL_SOCKET, SO_RCVTIMEO, LW_SOL_SOCKET, LW_SO_RCVTIMEO },
    { SOL_SOCKET, SO_SNDTIMEO, LW_SOL_SOCKET, LW_SO_SNDTIMEO },
    { SOL_SOCKET, SO_ERROR, LW_SOL_SOCKET, LW_SO_ERROR },
    { SOL_SOCKET, SO_TYPE, LW_SOL_SOCKET, LW_SO_TYPE },
    { SOL_SOCKET, SO_ACCEPTCONN, LW_SOL_SOCKET, LW_SO_ACCEPTCONN },
    { IPPROTO_IP, IP_TOS, LW_IPPROTO_IP, LW_IP_TOS },
    { IPPROTO_IP, IP_TTL, LW_IPPROTO_IP, LW_IP_TTL },
    { IPPROTO_TCP, TCP_NODELAY, LW_IPPROTO_TCP, LW_TCP_NODELAY },
    { IPPROTO_TCP, TCP_KEEPIDLE, LW_IPPROTO_TCP, LW_TCP_KEEPIDLE },
    { IPPROTO_TCP, TCP_KEEPINTVL, LW_IPPROTO_TCP, LW_TCP_KEEPINTVL },
    { IPPROTO_TCP, TCP_KEEPCNT, LW_IPPROTO_TCP, LW_TCP_KEEPCNT },
};

static const struct sock_opt *sock_opt_find(int level, int name)
{
    for (size_t i = 0; i < sizeof sock_opts / sizeof sock_opts[0]; i++)
        if (sock_opts[i].level == level && sock_opts[i].name == name)
            return &sock_opts[i];
    return NULL;
}

/* --- The calls --- */

int socket(int domain, int type, int protocol)
{
    int kind = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (domain != AF_INET)
        return sock_fail(EAFNOSUPPORT);
    if (kind != SOCK_STREAM && kind != SOCK_DGRAM && kind != SOCK_RAW)
        return sock_fail(EINVAL);
    if (sk_start())
        return -1;
    __atomic_store_n(&glue_sockets, &sock_fd_ops, __ATOMIC_RELEASE);
    int fd = lwip_socket(LW_AF_INET, kind, protocol);   /* SOCK_ values are the same */
    if (fd >= 0 && (type & SOCK_NONBLOCK))
        lwip_fcntl(fd, F_SETFL, O_NONBLOCK);
    return fd;
}

int socketpair(int domain, int type, int protocol, int sv[2])
{
    return sock_fail(EAFNOSUPPORT);
}

int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
    struct sk_in a;
    return sock_addr_in(addr, len, &a, false) ? -1 : sk_bind(fd, &a);
}

int listen(int fd, int backlog)
{
    return lwip_listen(fd, backlog);
}

int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags)
{
    if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
        return sock_fail(EINVAL);
    struct sk_in peer;
    int s = sk_accept(fd, &peer);
    if (s < 0)
        return -1;
    sock_addr_out(&peer, addr, len);
    if (flags & SOCK_NONBLOCK)
        lwip_fcntl(s, F_SETFL, O_NONBLOCK);
    return s;
}

int accept(int fd, struct sockaddr *addr, socklen_t *len)
{
    return accept4(fd, addr, len, 0);
}

int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
    struct sk_in a;
    return sock_addr_in(addr, len, &a, true) ? -1 : sk_connect(fd, &a);
}

ssize_t send(int fd, const void *buf, size_t n, int flags)
{
    int lw = sock_flags(flags);
    return lw < 0 ? sock_fail(EOPNOTSUPP) : lwip_send(fd, buf, n, lw);
}

ssize_t recv(int fd, void *buf, size_t n, int flags)
{
    int lw = sock_flags(flags);
    return lw < 0 ? sock_fail(EOPNOTSUPP) : lwip_recv(fd, buf, n, lw);
}

ssize_t sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *to,
               socklen_t tolen)
{
    int lw = sock_flags(flags);
    if (lw < 0)
        return sock_fail(EOPNOTSUPP);
    struct sk_in a;
    if (to && sock_addr_in(to, tolen, &a, false))
        return -1;
    return sk_sendto(fd, buf, n, lw, to ? &a : NULL);
}

ssize_t recvfrom(int fd, void *buf, size_t n, int flags, struct sockaddr *from,
                 socklen_t *fromlen)
{
    int lw = sock_flags(flags);
    if (lw < 0)
        return sock_fail(EOPNOTSUPP);
    struct sk_in a;
    ssize_t got = sk_recvfrom(fd, buf, n, lw, from && fromlen ? &a : NULL);
    if (got >= 0 && from && fromlen)
        sock_addr_out(&a, from, fromlen);
    return got;
}

ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
    int lw = sock_flags(flags);
    if (lw < 0)
        return sock_fail(EOPNOTSUPP);
    if (!msg || (msg->msg_iovlen && !msg->msg_iov))
        return sock_fail(EFAULT);
    if (msg->msg_iovlen > IOV_MAX)
        return sock_fail(EMSGSIZE);
    struct sk_in a;
    if (msg->msg_name && sock_addr_in(msg->msg_name, msg->msg_namelen, &a, false))
        return -1;
    return sk_sendmsg(fd, (const struct sk_iov *)msg->msg_iov, (int)msg->msg_iovlen,
                      msg->msg_name ? &a : NULL, lw);
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
    int lw = sock_flags(flags);
    if (lw < 0)
        return sock_fail(EOPNOTSUPP);
    if (!msg || (msg->msg_iovlen && !msg->msg_iov))
        return sock_fail(EFAULT);
    if (msg->msg_iovlen > IOV_MAX)
        return sock_fail(EMSGSIZE);
    struct sk_in a;
    int out = 0;
    ssize_t got = sk_recvmsg(fd, (const struct sk_iov *)msg->msg_iov, (int)msg->msg_iovlen,
                             msg->msg_name ? &a : NULL, lw, &out);
    if (got < 0)
        return -1;
    if (msg->msg_name)
        sock_addr_out(&a, msg->msg_name, &msg->msg_namelen);
    msg->msg_controllen = 0;
    msg->msg_flags = (out & LW_MSG_TRUNC ? MSG_TRUNC : 0) | (out & LW_MSG_CTRUNC ? MSG_CTRUNC : 0);
    return got;
}

int setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
    const struct sock_opt *o = sock_opt_find(level, name);
    if (!o)
        return sock_fail(ENOPROTOOPT);
    if (!o->lw_name) {          /* SO_SNDBUF: fixed in lwIP, so not settable */
        static bool said;
        if (lwip_fcntl(fd, F_GETFL, 0) < 0)
            return -1;
        if (!said)
            printf("socket: setsockopt(SO_SNDBUF) refused (ENOPROTOOPT): lwIP's send buffer "
                   "is fixed at %d bytes\n", sk_sndbuf());
        said = true;
        return sock_fail(ENOPROTOOPT);
    }
    return lwip_setsockopt(fd, o->lw_level, o->lw_name, val, len);
}

int getsockopt(int fd, int level, int name, void *val, socklen_t *len)
{
    const struct sock_opt *o = sock_opt_find(level, name);
    if (!o)
        return sock_fail(ENOPROTOOPT);
    if (!o->lw_name) {
        if (!val || !len)
            return sock_fail(EFAULT);
        if (*len < sizeof(int))
            return sock_fail(EINVAL);
        if (lwip_fcntl(fd, F_GETFL, 0) < 0)
            return -1;
        *(int *)val = sk_sndbuf();
        *len = sizeof(int);
        return 0;
    }
    return lwip_getsockopt(fd, o->lw_level, o->lw_name, val, len);
}

static int sock_name(int fd, int peer, struct sockaddr *addr, socklen_t *len)
{
    if (!addr || !len)
        return sock_fail(EFAULT);
    struct sk_in a;
    if (sk_name(fd, peer, &a))
        return -1;
    sock_addr_out(&a, addr, len);
    return 0;
}

int getsockname(int fd, struct sockaddr *addr, socklen_t *len) { return sock_name(fd, 0, addr, len); }
int getpeername(int fd, struct sockaddr *addr, socklen_t *len) { return sock_name(fd, 1, addr, len); }

int shutdown(int fd, int how)
{
    return lwip_shutdown(fd, how);          /* SHUT_ values are the same */
}

int ioctl(int fd, unsigned long request, ...)
{
    va_list ap;
    va_start(ap, request);
    int *arg = va_arg(ap, int *);
    va_end(ap);
    if (!posix_is_socket_fd(fd))
        return sock_fail(fcntl(fd, F_GETFD) < 0 ? EBADF : ENOTTY);
    switch (request) {
    case FIONREAD: return lwip_ioctl(fd, LW_FIONREAD, arg);
    case FIONBIO: return lwip_ioctl(fd, LW_FIONBIO, arg);
    default: return sock_fail(ENOTTY);
    }
}

ssize_t writev(int fd, const struct iovec *iov, int n)
{
    if (n < 0 || n > IOV_MAX)
        return sock_fail(EINVAL);
    if (posix_is_socket_fd(fd))
        return sk_sendmsg(fd, (const struct sk_iov *)iov, n, NULL, 0);
    ssize_t done = 0;
    for (int i = 0; i < n; i++) {
        ssize_t k = write(fd, iov[i].iov_base, iov[i].iov_len);
        if (k < 0)
            return done ? done : -1;
        done += k;
        if ((size_t)k < iov[i].iov_len)
            break;
    }
    return done;
}

ssize_t readv(int fd, const struct iovec *iov, int n)
{
    if (n < 0 || n > IOV_MAX)
        return sock_fail(EINVAL);
    if (posix_is_socket_fd(fd)) {
        int out;
        return sk_recvmsg(fd, (const struct sk_iov *)iov, n, NULL, 0, &out);
    }
    ssize_t done = 0;
    for (int i = 0; i < n; i++) {
        ssize_t k = read(fd, iov[i].iov_base, iov[i].iov_len);
        if (k < 0)
            return done ? done : -1;
        done += k;
        if ((size_t)k < iov[i].iov_len)
            break;
    }
    return done;
}
