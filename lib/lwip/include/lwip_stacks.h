/**
 * \file lwip_stacks.h
 * \brief Several lwIPs in one domain (lib/lwip/stacks.c, module
 * lwip_stacks): stack 0 is the library `lwip` itself, stacks 1..3 the
 * same objects with every symbol they define renamed lwipsK_<name>
 * (lib/lwip/rules.mk, libraries lwip_stack1..3). Each stack has its own
 * PCB lists, pools, sockets (numbered from LWIP_SOCKET_OFFSET in each),
 * tcpip thread, loopback interface and core lock: nothing of one is
 * reached from another, so threads of different cores using different
 * stacks take no lock in common.
 *
 * A program links `lwip_stacks lwip_stack1 lwip_stack2 lwip_stack3 lwip
 * posix libos` and calls a stack's functions through lwip_stacks[k].
 * (Step 3 of issue 15; the VNIC interfaces and lib/posix's sockets do not
 * use it yet: lib/lwip/README.md, "Stacks apart", says what is left.)
 */
#ifndef LWIP_STACKS_H
#define LWIP_STACKS_H
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/sockets.h"
#include "lwip/stats.h"
#include "lwip/sys.h"
#include "lwip/tcpip.h"

#define LWIP_STACKS 4

/** One stack's entry points (lwIP's API that lib/posix's sockets and
 *  the tests use). */
struct lwip_stack {
    err_t (*port_start)(void);
    int (*socket)(int domain, int type, int protocol);
    int (*bind)(int s, const struct sockaddr *name, socklen_t namelen);
    int (*listen)(int s, int backlog);
    int (*accept)(int s, struct sockaddr *addr, socklen_t *addrlen);
    int (*connect)(int s, const struct sockaddr *name, socklen_t namelen);
    ssize_t (*send)(int s, const void *data, size_t size, int flags);
    ssize_t (*recv)(int s, void *mem, size_t len, int flags);
    ssize_t (*read)(int s, void *mem, size_t len);
    ssize_t (*write)(int s, const void *data, size_t size);
    ssize_t (*sendto)(int s, const void *data, size_t size, int flags, const struct sockaddr *to,
                      socklen_t tolen);
    ssize_t (*recvfrom)(int s, void *mem, size_t len, int flags, struct sockaddr *from,
                        socklen_t *fromlen);
    ssize_t (*sendmsg)(int s, const struct msghdr *message, int flags);
    ssize_t (*recvmsg)(int s, struct msghdr *message, int flags);
    int (*getsockname)(int s, struct sockaddr *name, socklen_t *namelen);
    int (*getpeername)(int s, struct sockaddr *name, socklen_t *namelen);
    int (*setsockopt)(int s, int level, int optname, const void *optval, socklen_t optlen);
    int (*getsockopt)(int s, int level, int optname, void *optval, socklen_t *optlen);
    int (*shutdown)(int s, int how);
    int (*fcntl)(int s, int cmd, int val);
    int (*ioctl)(int s, long cmd, void *argp);
    int (*close)(int s);
    int (*poll)(struct pollfd *fds, nfds_t nfds, int timeout);
    void (*select_wake_all)(void);
    int (*addr_core)(uint32_t addr);
    void (*core_lock)(void);        /* LOCK_TCPIP_CORE() of this stack */
    void (*core_unlock)(void);
    sys_mutex_t *core_mutex;        /* that lock itself: one per stack */
};

extern const struct lwip_stack lwip_stacks[LWIP_STACKS];
/** Refer to it (as `extern const char lwip_stacks_anchor;`: this header's
 *  lwIP types clash with <sys/socket.h>) to link the stacks into a program
 *  that otherwise names them only weakly (netif_vnic.c, lib/posix). */
extern const char lwip_stacks_anchor;

/** What the VNIC interfaces (netif_vnic.c) call of a stack: a frame
 *  received for stack k is a pbuf of stack k's pool, handed to an
 *  interface stack k added. */
struct lwip_stack_net {
    err_t (*port_start)(void);
    err_t (*netif_add)(struct netif *netif, const ip4_addr_t *addr, const ip4_addr_t *netmask,
                       const ip4_addr_t *gw, void *state, netif_init_fn init, unsigned flags);
    void (*netif_set_core)(struct netif *netif, int core);
    void (*on_core_unlock)(void (*fn)(void));
    struct pbuf *(*pbuf_alloc)(pbuf_layer l, u16_t length, pbuf_type type);
    err_t (*pbuf_take)(struct pbuf *buf, const void *dataptr, u16_t len);
    u8_t (*pbuf_free)(struct pbuf *p);
    err_t (*tcpip_callback)(tcpip_callback_fn function, void *ctx);
    void (*netif_set_link_up)(struct netif *netif);
    err_t (*etharp_output)(struct netif *netif, struct pbuf *q, const ip4_addr_t *ipaddr);
    err_t (*tcpip_inpkt)(struct pbuf *p, struct netif *inp, netif_input_fn input_fn);
    err_t (*ethernet_input)(struct pbuf *p, struct netif *netif);
    struct stats_ *stats;
};

/** Stacks 0..3's (lib/lwip/stacks.c). netif_vnic.c refers to it weakly:
 *  a program that does not link lwip_stacks has stack 0 only. */
extern const struct lwip_stack_net lwip_stacks_net[LWIP_STACKS];
#endif
