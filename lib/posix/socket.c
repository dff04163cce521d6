/*
 * socket.c: the POSIX socket calls (<sys/socket.h>), over this domain's
 * lwIP, and over local stream pairs (socketpair: pipe.c).
 *
 * A socket is an entry of the fd table (posix_sock_ops), so its fd is the
 * lowest free number, as on Linux; the table's file is lwIP's socket
 * number, which every call here looks up first (sock_lw) and passes on.
 * What changes on the way is the constants and layouts: programs see
 * Linux's (AF_INET 2 in a 16-bit family, SOL_SOCKET 1, MSG_DONTWAIT 0x40),
 * lwIP has its own, and sock_lwip.c hands lwIP its structures (sock_priv.h
 * says why there are two files). errno is what lwIP sets: newlib's values,
 * per thread. The first socket() starts lwIP if the program has not (then
 * only loopback exists until net_start()).
 *
 * Not here: AF_INET6 and AF_UNIX sockets other than socketpair
 * (EAFNOSUPPORT), control messages (recvmsg gives none), SO_REUSEPORT
 * (ENOPROTOOPT). getsockopt(SO_INCOMING_CPU) answers the core whose
 * receive thread takes the socket's packets: that of the interface holding
 * its local address (one per core with lib/lwip net_start_cores), -1 for
 * a socket bound to no one address (a listener on INADDR_ANY, say), as
 * Linux answers -1 before a packet came; setting it is refused
 * (ENOPROTOOPT: packets go where the address's interface is). Setting
 * SO_SNDBUF is refused (ENOPROTOOPT, said once):
 * lwIP's send buffer is fixed (TCP_SND_BUF), which getsockopt(SO_SNDBUF)
 * reports.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <libos/reqstage.h>
#include <posix/libc.h>
#include "pipe_priv.h"
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

/* --- The fd table's object --- */

static int sock_of(void *file) { return (int)(intptr_t)file; }

static ssize_t sock_fd_read(void *file, void *buf, size_t n, off_t pos, int flags)
{
    ssize_t got = skx_read(sock_of(file), buf, n);
    if (got > 0)
        reqstage_stamp(REQ_READ);
    return got < 0 ? -errno : got;
}

static ssize_t sock_fd_write(void *file, const void *buf, size_t n, off_t pos, int flags)
{
    ssize_t got = skx_write(sock_of(file), buf, n);
    return got < 0 ? -errno : got;
}

static int sock_fd_close(void *file)
{
    return skx_close(sock_of(file)) < 0 ? -errno : 0;
}

static int sock_fd_setfl(void *file, int flags)
{
    return skx_fcntl(sock_of(file), F_SETFL, flags & O_NONBLOCK) < 0 ? -errno : 0;
}

static int sock_fd_fstat(void *file, struct stat *st)
{
    *st = (struct stat){ .st_mode = S_IFSOCK | 0600, .st_nlink = 1 };
    return 0;
}

const struct vfs_ops posix_sock_ops = {
    .name = "socket", .kind = VFS_STREAM, .read = sock_fd_read, .write = sock_fd_write,
    .fstat = sock_fd_fstat, .close = sock_fd_close, .setfl = sock_fd_setfl,
};

int posix_sock_lw(int fd)
{
    void *file = glue_fd_file(fd, &posix_sock_ops);
    if (file)
        return sock_of(file);
    struct stat st;
    errno = fstat(fd, &st) < 0 ? EBADF : ENOTSOCK;
    return -1;
}

/* lwIP socket `s` into the fd table (closed if there is no room). */
static int sock_install(int s, int type)
{
    if (s < 0)
        return -1;
    int flags = O_RDWR | (type & SOCK_NONBLOCK ? O_NONBLOCK : 0) | (type & SOCK_CLOEXEC ? O_CLOEXEC : 0);
    if ((type & SOCK_NONBLOCK) && skx_fcntl(s, F_SETFL, O_NONBLOCK) < 0) {
        int err = errno;
        skx_close(s);
        return sock_fail(err);
    }
    int fd = glue_fd_install(&posix_sock_ops, (void *)(intptr_t)s, flags);
    if (fd < 0) {
        skx_close(s);
        return sock_fail(-fd);
    }
    return fd;
}

#define SOCK_LW(fd, s)                  \
    int s = posix_sock_lw(fd);          \
    if (s < 0)                          \
        return -1

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
    return sock_install(skx_socket(LW_AF_INET, kind, protocol), type);  /* SOCK_ values are the same */
}

int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
    SOCK_LW(fd, s);
    struct sk_in a;
    if (sock_addr_in(addr, len, &a, false))
        return -1;
    /* With stacks apart, an address belongs to one core's stack: the
     * socket moves there first (sock_stacks.c). */
    int home = skx_stack_of_addr(a.addr);
    if (home >= 0 && home != skx_stack(s)) {
        struct glue_ofile *of = glue_fd_get(fd);
        int m = of ? skx_move(s, home) : -1;
        if (m >= 0)
            of->file = (void *)(intptr_t)m;
        if (of)
            glue_fd_put(of);
        if (m < 0)
            return -1;
        s = m;
    }
    return sk_bind(s, &a);
}

int listen(int fd, int backlog)
{
    SOCK_LW(fd, s);
    return skx_listen(s, backlog);
}

int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags)
{
    if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
        return sock_fail(EINVAL);
    SOCK_LW(fd, s);
    struct sk_in peer;
    int c = sk_accept(s, &peer);
    if (c < 0)
        return -1;
    sock_addr_out(&peer, addr, len);
    return sock_install(c, flags);
}

int accept(int fd, struct sockaddr *addr, socklen_t *len)
{
    return accept4(fd, addr, len, 0);
}

int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
    SOCK_LW(fd, s);
    struct sk_in a;
    return sock_addr_in(addr, len, &a, true) ? -1 : sk_connect(s, &a);
}

ssize_t send(int fd, const void *buf, size_t n, int flags)
{
    int lw = sock_flags(flags);
    if (posix_pipe_is_pair(fd))
        return posix_pair_send(fd, buf, n, flags);
    SOCK_LW(fd, s);
    return lw < 0 ? sock_fail(EOPNOTSUPP) : skx_send(s, buf, n, lw);
}

ssize_t recv(int fd, void *buf, size_t n, int flags)
{
    int lw = sock_flags(flags);
    if (posix_pipe_is_pair(fd))
        return posix_pair_recv(fd, buf, n, flags);
    SOCK_LW(fd, s);
    return lw < 0 ? sock_fail(EOPNOTSUPP) : skx_recv(s, buf, n, lw);
}

ssize_t sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *to,
               socklen_t tolen)
{
    int lw = sock_flags(flags);
    if (lw < 0)
        return sock_fail(EOPNOTSUPP);
    if (!to && posix_pipe_is_pair(fd))
        return posix_pair_send(fd, buf, n, flags);
    SOCK_LW(fd, s);
    struct sk_in a;
    if (to && sock_addr_in(to, tolen, &a, false))
        return -1;
    return sk_sendto(s, buf, n, lw, to ? &a : NULL);
}

ssize_t recvfrom(int fd, void *buf, size_t n, int flags, struct sockaddr *from,
                 socklen_t *fromlen)
{
    int lw = sock_flags(flags);
    if (lw < 0)
        return sock_fail(EOPNOTSUPP);
    if (!from && posix_pipe_is_pair(fd))
        return posix_pair_recv(fd, buf, n, flags);
    SOCK_LW(fd, s);
    struct sk_in a;
    ssize_t got = sk_recvfrom(s, buf, n, lw, from && fromlen ? &a : NULL);
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
    SOCK_LW(fd, s);
    struct sk_in a;
    if (msg->msg_name && sock_addr_in(msg->msg_name, msg->msg_namelen, &a, false))
        return -1;
    return sk_sendmsg(s, (const struct sk_iov *)msg->msg_iov, (int)msg->msg_iovlen,
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
    SOCK_LW(fd, s);
    struct sk_in a;
    int out = 0;
    ssize_t got = sk_recvmsg(s, (const struct sk_iov *)msg->msg_iov, (int)msg->msg_iovlen,
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
    SOCK_LW(fd, s);
    const struct sock_opt *o = sock_opt_find(level, name);
    if (!o)
        return sock_fail(ENOPROTOOPT);
    if (!o->lw_name) {          /* SO_SNDBUF: fixed in lwIP, so not settable */
        static bool said;
        if (!said)
            printf("socket: setsockopt(SO_SNDBUF) refused (ENOPROTOOPT): lwIP's send buffer "
                   "is fixed at %d bytes\n", sk_sndbuf());
        said = true;
        return sock_fail(ENOPROTOOPT);
    }
    return skx_setsockopt(s, o->lw_level, o->lw_name, val, len);
}

/* SO_INCOMING_CPU: the core receiving packets to the socket's address. */
static int sock_incoming_cpu(int s, void *val, socklen_t *len)
{
    if (!val || !len)
        return sock_fail(EFAULT);
    if (*len < sizeof(int))
        return sock_fail(EINVAL);
    struct sk_in a;
    if (sk_name(s, 0, &a))
        return -1;
    *(int *)val = a.family == LW_AF_INET ? skx_addr_core(s, a.addr) : -1;
    *len = sizeof(int);
    return 0;
}

int getsockopt(int fd, int level, int name, void *val, socklen_t *len)
{
    SOCK_LW(fd, s);
    if (level == SOL_SOCKET && name == SO_INCOMING_CPU)
        return sock_incoming_cpu(s, val, len);
    const struct sock_opt *o = sock_opt_find(level, name);
    if (!o)
        return sock_fail(ENOPROTOOPT);
    if (!o->lw_name) {
        if (!val || !len)
            return sock_fail(EFAULT);
        if (*len < sizeof(int))
            return sock_fail(EINVAL);
        *(int *)val = sk_sndbuf();
        *len = sizeof(int);
        return 0;
    }
    return skx_getsockopt(s, o->lw_level, o->lw_name, val, len);
}

static int sock_name(int fd, int peer, struct sockaddr *addr, socklen_t *len)
{
    SOCK_LW(fd, s);
    if (!addr || !len)
        return sock_fail(EFAULT);
    struct sk_in a;
    if (sk_name(s, peer, &a))
        return -1;
    sock_addr_out(&a, addr, len);
    return 0;
}

int getsockname(int fd, struct sockaddr *addr, socklen_t *len) { return sock_name(fd, 0, addr, len); }
int getpeername(int fd, struct sockaddr *addr, socklen_t *len) { return sock_name(fd, 1, addr, len); }

int shutdown(int fd, int how)
{
    if (posix_pipe_is_pair(fd))
        return posix_pair_shutdown(fd, how);
    SOCK_LW(fd, s);
    return skx_shutdown(s, how);           /* SHUT_ values are the same */
}

int ioctl(int fd, unsigned long request, ...)
{
    va_list ap;
    va_start(ap, request);
    int *arg = va_arg(ap, int *);
    va_end(ap);
    if (request == FIONBIO) {       /* any fd: its O_NONBLOCK */
        if (!arg)
            return sock_fail(EFAULT);
        int fl = fcntl(fd, F_GETFL);
        return fl < 0 ? -1 : fcntl(fd, F_SETFL, *arg ? fl | O_NONBLOCK : fl & ~O_NONBLOCK);
    }
    if (request == FIONREAD && posix_pipe_nread(fd, arg) == 0)
        return 0;
    if (request == TIOCGWINSZ) {    /* the serial console has no size: 0 x 0, as Linux's ttyS */
        if (!isatty(fd))
            return sock_fail(fcntl(fd, F_GETFD) < 0 ? EBADF : ENOTTY);
        if (!arg)
            return sock_fail(EFAULT);
        memset(arg, 0, sizeof(struct winsize));
        return 0;
    }
    int s = glue_fd_file(fd, &posix_sock_ops) ? posix_sock_lw(fd) : -1;
    if (s < 0)
        return sock_fail(fcntl(fd, F_GETFD) < 0 ? EBADF : ENOTTY);
    switch (request) {
    case FIONREAD: return skx_ioctl(s, LW_FIONREAD, arg);
    default: return sock_fail(ENOTTY);
    }
}

ssize_t writev(int fd, const struct iovec *iov, int n)
{
    if (n < 0 || n > IOV_MAX)
        return sock_fail(EINVAL);
    int s = glue_fd_file(fd, &posix_sock_ops) ? posix_sock_lw(fd) : -1;
    if (s >= 0)
        return sk_sendmsg(s, (const struct sk_iov *)iov, n, NULL, 0);
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
    int s = glue_fd_file(fd, &posix_sock_ops) ? posix_sock_lw(fd) : -1;
    if (s >= 0) {
        int out;
        return sk_recvmsg(s, (const struct sk_iov *)iov, n, NULL, 0, &out);
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
