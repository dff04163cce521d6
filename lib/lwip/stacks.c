/*
 * stacks.c: the entry points of each lwIP of the domain (lwip_stacks.h).
 *
 * Stack 0's names are lwIP's own; stack K's are the same with the prefix
 * lwipsK_ that lib/lwip/rules.mk gave every symbol of its copy. The
 * prototypes are declared here for each prefix from one list, so a
 * function added to struct lwip_stack is added to every stack at once.
 */
#include "lwip/etharp.h"
#include "lwip/tcpip.h"
#include "netif/ethernet.h"
#include "lwip_port.h"
#include "lwip_stacks.h"

void lwip_select_wake_all(void);      /* lib/lwip/patches/0002 */

#define STACK_CALLS(X, P)                                                                 \
    X(P, err_t, lwip_port_start, (void))                                                  \
    X(P, int, lwip_socket, (int domain, int type, int protocol))                          \
    X(P, int, lwip_bind, (int s, const struct sockaddr *name, socklen_t namelen))         \
    X(P, int, lwip_listen, (int s, int backlog))                                          \
    X(P, int, lwip_accept, (int s, struct sockaddr *addr, socklen_t *addrlen))            \
    X(P, int, lwip_connect, (int s, const struct sockaddr *name, socklen_t namelen))      \
    X(P, ssize_t, lwip_send, (int s, const void *data, size_t size, int flags))           \
    X(P, ssize_t, lwip_recv, (int s, void *mem, size_t len, int flags))                   \
    X(P, int, lwip_getsockname, (int s, struct sockaddr *name, socklen_t *namelen))       \
    X(P, int, lwip_setsockopt, (int s, int level, int optname, const void *optval,        \
                                socklen_t optlen))                                        \
    X(P, int, lwip_close, (int s))                                                        \
    X(P, ssize_t, lwip_read, (int s, void *mem, size_t len))                              \
    X(P, ssize_t, lwip_write, (int s, const void *data, size_t size))                     \
    X(P, ssize_t, lwip_sendto, (int s, const void *data, size_t size, int flags,          \
                                const struct sockaddr *to, socklen_t tolen))              \
    X(P, ssize_t, lwip_recvfrom, (int s, void *mem, size_t len, int flags,                \
                                  struct sockaddr *from, socklen_t *fromlen))             \
    X(P, ssize_t, lwip_sendmsg, (int s, const struct msghdr *message, int flags))         \
    X(P, ssize_t, lwip_recvmsg, (int s, struct msghdr *message, int flags))               \
    X(P, int, lwip_getpeername, (int s, struct sockaddr *name, socklen_t *namelen))       \
    X(P, int, lwip_getsockopt, (int s, int level, int optname, void *optval,              \
                                socklen_t *optlen))                                       \
    X(P, int, lwip_shutdown, (int s, int how))                                            \
    X(P, int, lwip_fcntl, (int s, int cmd, int val))                                      \
    X(P, int, lwip_ioctl, (int s, long cmd, void *argp))                                  \
    X(P, void, lwip_select_wake_all, (void))                                              \
    X(P, int, lwip_port_addr_core, (uint32_t addr))                                       \
    X(P, int, lwip_poll, (struct pollfd *fds, nfds_t nfds, int timeout))                  \
    X(P, void, sys_mutex_lock, (sys_mutex_t *mutex))                                      \
    X(P, void, sys_mutex_unlock, (sys_mutex_t *mutex))                                    \
    X(P, err_t, lwip_port_netif_add, (struct netif *netif, const ip4_addr_t *addr,        \
                                      const ip4_addr_t *netmask, const ip4_addr_t *gw,    \
                                      void *state, netif_init_fn init, unsigned flags))   \
    X(P, void, lwip_port_netif_set_core, (struct netif *netif, int core))                 \
    X(P, void, lwip_port_on_core_unlock, (void (*fn)(void)))                              \
    X(P, struct pbuf *, pbuf_alloc, (pbuf_layer l, u16_t length, pbuf_type type))         \
    X(P, err_t, pbuf_take, (struct pbuf *buf, const void *dataptr, u16_t len))            \
    X(P, u8_t, pbuf_free, (struct pbuf *p))                                               \
    X(P, err_t, tcpip_callback, (tcpip_callback_fn function, void *ctx))                  \
    X(P, void, netif_set_link_up, (struct netif *netif))                                  \
    X(P, err_t, etharp_output, (struct netif *netif, struct pbuf *q, const ip4_addr_t *ipaddr)) \
    X(P, err_t, tcpip_inpkt, (struct pbuf *p, struct netif *inp, netif_input_fn input_fn)) \
    X(P, err_t, ethernet_input, (struct pbuf *p, struct netif *netif))

#define DECLARE(P, ret, name, args) ret P##name args;
STACK_CALLS(DECLARE, lwips1_)
STACK_CALLS(DECLARE, lwips2_)
STACK_CALLS(DECLARE, lwips3_)
extern sys_mutex_t lwips1_lock_tcpip_core, lwips2_lock_tcpip_core, lwips3_lock_tcpip_core;
extern struct stats_ lwips1_lwip_stats, lwips2_lwip_stats, lwips3_lwip_stats;

#define LOCKS(P)                                                                          \
    static void P##core_lock(void) { P##sys_mutex_lock(&P##lock_tcpip_core); }           \
    static void P##core_unlock(void) { P##sys_mutex_unlock(&P##lock_tcpip_core); }
static void lwips0_core_lock(void) { LOCK_TCPIP_CORE(); }        /* stack 0: lwIP's own names */
static void lwips0_core_unlock(void) { UNLOCK_TCPIP_CORE(); }
LOCKS(lwips1_)
LOCKS(lwips2_)
LOCKS(lwips3_)

#define STACK(P, Q)                                                                       \
    { .port_start = P##lwip_port_start, .socket = P##lwip_socket, .bind = P##lwip_bind,   \
      .listen = P##lwip_listen, .accept = P##lwip_accept, .connect = P##lwip_connect,     \
      .send = P##lwip_send, .recv = P##lwip_recv, .getsockname = P##lwip_getsockname,     \
      .setsockopt = P##lwip_setsockopt, .close = P##lwip_close, .poll = P##lwip_poll,     \
      .read = P##lwip_read, .write = P##lwip_write, .sendto = P##lwip_sendto,             \
      .recvfrom = P##lwip_recvfrom, .sendmsg = P##lwip_sendmsg, .recvmsg = P##lwip_recvmsg, \
      .getpeername = P##lwip_getpeername, .getsockopt = P##lwip_getsockopt,               \
      .shutdown = P##lwip_shutdown, .fcntl = P##lwip_fcntl, .ioctl = P##lwip_ioctl,       \
      .select_wake_all = P##lwip_select_wake_all, .addr_core = P##lwip_port_addr_core,    \
      .core_lock = Q##core_lock, .core_unlock = Q##core_unlock,                           \
      .core_mutex = &P##lock_tcpip_core }

const struct lwip_stack lwip_stacks[LWIP_STACKS] = {
    STACK(, lwips0_), STACK(lwips1_, lwips1_), STACK(lwips2_, lwips2_), STACK(lwips3_, lwips3_),
};

#define STACK_NET(P)                                                                      \
    { .port_start = P##lwip_port_start, .netif_add = P##lwip_port_netif_add,              \
      .netif_set_core = P##lwip_port_netif_set_core,                                      \
      .on_core_unlock = P##lwip_port_on_core_unlock, .pbuf_alloc = P##pbuf_alloc,         \
      .pbuf_take = P##pbuf_take, .pbuf_free = P##pbuf_free,                               \
      .tcpip_callback = P##tcpip_callback, .netif_set_link_up = P##netif_set_link_up,     \
      .etharp_output = P##etharp_output, .tcpip_inpkt = P##tcpip_inpkt,                   \
      .ethernet_input = P##ethernet_input, .stats = &P##lwip_stats }

const struct lwip_stack_net lwip_stacks_net[LWIP_STACKS] = {
    STACK_NET(), STACK_NET(lwips1_), STACK_NET(lwips2_), STACK_NET(lwips3_),
};

/* netif_vnic.c and lib/posix refer to the stacks weakly, which links
 * nothing: a program that wants them refers to this (memcached's main.c). */
const char lwip_stacks_anchor = 1;
