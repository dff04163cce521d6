/*
 * sock_priv.h: between the POSIX socket calls (socket.c, select.c,
 * epoll.c: Linux's constants and layouts, <sys/socket.h>) and lwIP
 * (sock_lwip.c: lwIP's, "lwip/sockets.h"). The two sets of headers name
 * the same things differently and cannot meet in one file; this one uses
 * neither. The LW_ constants are lwIP 2.1.3's values; sock_lwip.c checks
 * each against lwIP's headers at compile time. The skx_* prototypes with
 * plain types are lwIP's own, through the socket's stack (sock_stacks.c).
 */
#ifndef POSIX_SOCK_PRIV_H
#define POSIX_SOCK_PRIV_H
#include <stddef.h>
#include <stdint.h>
#include <sys/select.h>
#include <sys/time.h>
#include <sys/types.h>

#define LW_AF_UNSPEC        0
#define LW_AF_INET          2
#define LW_SOCK_STREAM      1
#define LW_SOCK_DGRAM       2
#define LW_SOCK_RAW         3
#define LW_SOL_SOCKET       0xfff
#define LW_SO_ACCEPTCONN    0x0002
#define LW_SO_REUSEADDR     0x0004
#define LW_SO_KEEPALIVE     0x0008
#define LW_SO_BROADCAST     0x0020
#define LW_SO_LINGER        0x0080
#define LW_SO_RCVBUF        0x1002
#define LW_SO_SNDTIMEO      0x1005
#define LW_SO_RCVTIMEO      0x1006
#define LW_SO_ERROR         0x1007
#define LW_SO_TYPE          0x1008
#define LW_IPPROTO_IP       0
#define LW_IPPROTO_TCP      6
#define LW_IPPROTO_UDP      17
#define LW_IP_TOS           1
#define LW_IP_TTL           2
#define LW_TCP_NODELAY      0x01
#define LW_TCP_KEEPIDLE     0x03
#define LW_TCP_KEEPINTVL    0x04
#define LW_TCP_KEEPCNT      0x05
#define LW_MSG_PEEK         0x01
#define LW_MSG_WAITALL      0x02
#define LW_MSG_OOB          0x04
#define LW_MSG_DONTWAIT     0x08
#define LW_MSG_MORE         0x10
#define LW_MSG_TRUNC        0x04    /* in recvmsg's msg_flags */
#define LW_MSG_CTRUNC       0x08
#define LW_POLLIN           0x1
#define LW_POLLOUT          0x2
#define LW_POLLERR          0x4
#define LW_POLLNVAL         0x8
#define LW_POLLHUP          0x200
#define LW_FIONREAD         0x4008667fL
#define LW_FIONBIO          0x8008667eL

/** An IPv4 socket address; both in network order. family LW_AF_UNSPEC
 *  for connect()'s "dissolve the association". */
struct sk_in {
    int family;
    uint32_t addr;
    uint16_t port;
};

/** struct iovec, struct pollfd: the same layout on both sides (checked). */
struct sk_iov {
    void *base;
    size_t len;
};
struct sk_pollfd {
    int fd;
    short events;
    short revents;
};

/* lwIP's calls with plain types, through the socket's own stack
 * (sock_stacks.c: stack 0 is lwIP's own names, so these are lwIP's
 * prototypes with skx_ for lwip_; sock_lwip.c sees both). */
int skx_socket(int domain, int type, int protocol);
int skx_listen(int s, int backlog);
int skx_shutdown(int s, int how);
int skx_close(int s);
ssize_t skx_read(int s, void *mem, size_t len);
ssize_t skx_write(int s, const void *dataptr, size_t size);
ssize_t skx_send(int s, const void *dataptr, size_t size, int flags);
ssize_t skx_recv(int s, void *mem, size_t len, int flags);
int skx_fcntl(int s, int cmd, int val);
int skx_ioctl(int s, long cmd, void *argp);
int skx_setsockopt(int s, int level, int optname, const void *optval, uint32_t optlen);
int skx_getsockopt(int s, int level, int optname, void *optval, uint32_t *optlen);
/** The core receiving packets to local address `addr` in socket s's stack, or -1. */
int skx_addr_core(int s, uint32_t addr);
/** The stack socket `s` belongs to; the stack holding local address `addr`
 *  (network order), or -1 (one stack, INADDR_ANY, or none holds it). */
int skx_stack(int s);
int skx_stack_of_addr(uint32_t addr);
/** A socket like `s` (type, O_NONBLOCK, SO_REUSEADDR, SO_KEEPALIVE,
 *  SO_LINGER, TCP_NODELAY) in stack k, `s` closed; or -1 (s kept). */
int skx_move(int s, int k);
int lwip_select(int maxfdp1, fd_set *readset, fd_set *writeset, fd_set *exceptset,
                struct timeval *timeout);

/* The rest, through sock_lwip.c. */
/** lwip_port_start(): 0, or -1 (ENOMEM) if lwIP could not start. */
int sk_start(void);
int sk_bind(int s, const struct sk_in *a);
int sk_connect(int s, const struct sk_in *a);
/** accept; *peer filled when not NULL. */
int sk_accept(int s, struct sk_in *peer);
int sk_name(int s, int peer, struct sk_in *a);
ssize_t sk_sendto(int s, const void *buf, size_t n, int flags, const struct sk_in *to);
/** *from filled (from->family set) when not NULL and the call succeeds. */
ssize_t sk_recvfrom(int s, void *buf, size_t n, int flags, struct sk_in *from);
ssize_t sk_sendmsg(int s, const struct sk_iov *iov, int n, const struct sk_in *to, int flags);
ssize_t sk_recvmsg(int s, const struct sk_iov *iov, int n, struct sk_in *from, int flags,
                   int *out_flags);
int sk_poll(struct sk_pollfd *fds, unsigned n, int timeout_ms);
/** lwIP's TCP_SND_BUF: what SO_SNDBUF reports. */
int sk_sndbuf(void);
/** Ends every thread's wait in sk_poll now (it returns as on a timeout). */
void sk_wake_pollers(void);
#endif
