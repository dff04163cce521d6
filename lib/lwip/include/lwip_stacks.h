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
#include "lwip/sockets.h"
#include "lwip/sys.h"

#define LWIP_STACKS 4

/** One stack's entry points (a subset of lwIP's API; more as needed). */
struct lwip_stack {
    err_t (*port_start)(void);
    int (*socket)(int domain, int type, int protocol);
    int (*bind)(int s, const struct sockaddr *name, socklen_t namelen);
    int (*listen)(int s, int backlog);
    int (*accept)(int s, struct sockaddr *addr, socklen_t *addrlen);
    int (*connect)(int s, const struct sockaddr *name, socklen_t namelen);
    ssize_t (*send)(int s, const void *data, size_t size, int flags);
    ssize_t (*recv)(int s, void *mem, size_t len, int flags);
    int (*getsockname)(int s, struct sockaddr *name, socklen_t *namelen);
    int (*setsockopt)(int s, int level, int optname, const void *optval, socklen_t optlen);
    int (*close)(int s);
    void (*core_lock)(void);        /* LOCK_TCPIP_CORE() of this stack */
    void (*core_unlock)(void);
    sys_mutex_t *core_mutex;        /* that lock itself: one per stack */
};

extern const struct lwip_stack lwip_stacks[LWIP_STACKS];
#endif
