/**
 * \file lwip_port_hooks.h
 * \brief What lwIP's hook sites see (lwipopts.h LWIP_HOOK_FILENAME): the
 * declarations of this port's hooks, in lwIP's own types only (lwip_port.h
 * documents them; lib/lwip/init.c has them).
 */
#ifndef LWIP_PORT_HOOKS_H
#define LWIP_PORT_HOOKS_H
struct netif;
struct ip4_addr;
struct netif *lwip_port_route_src(const struct ip4_addr *src, const struct ip4_addr *dest);
#endif
