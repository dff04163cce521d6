/**
 * \file lwip_port.h
 * \brief Starting this application's lwIP, and attaching network
 * interfaces to it (lib/lwip/init.c).
 *
 * lwIP is a library linked into each application: one stack per domain,
 * with one tcpip thread (a pthread on the core that calls
 * lwip_port_start()). After lwip_port_start() the loopback interface
 * (127.0.0.1, "lo") is up and the socket API (lwip/sockets.h:
 * lwip_socket(), lwip_bind()...) works.
 *
 * A driver's interface (the VNIC netif, lib/lwip/netif_vnic.c) attaches
 * through lwip_port_netif_add() with its lwIP init function; received
 * frames then go to netif->input (tcpip_input: queued for the tcpip
 * thread), so the driver may call it from any thread. Anything else a
 * driver does to lwIP state (netif_set_link_up...) must hold the core lock
 * (LOCK_TCPIP_CORE()/UNLOCK_TCPIP_CORE(), lwip/tcpip.h) or run in the
 * tcpip thread (tcpip_callback()); lwIP asserts it does.
 */
#ifndef LWIP_PORT_H
#define LWIP_PORT_H

#include "lwip/err.h"
#include "lwip/ip4_addr.h"
#include "lwip/netif.h"

/** Starts lwIP once: lwip_init(), the tcpip thread, the loopback
 *  interface; returns when the thread runs. Later calls return ERR_OK at
 *  once. Safe from several threads. */
err_t lwip_port_start(void);

/** lwip_port_netif_add(): make the interface the default route. */
#define LWIP_PORT_NETIF_DEFAULT 0x1

/**
 * The seam for network interfaces: adds `netif` (the caller's storage, for
 * as long as the interface exists) with the IPv4 address, netmask and
 * gateway given, calls `init(netif)` (which sets its name, MTU, hardware
 * address, flags and output functions, with netif->state = `state`), and
 * sets it up; with LWIP_PORT_NETIF_DEFAULT it also becomes the default
 * interface. Takes the core lock itself. Starts lwIP if needed.
 * Returns ERR_OK, ERR_IF if `init` refused, or lwip_port_start()'s error.
 */
err_t lwip_port_netif_add(struct netif *netif, const ip4_addr_t *addr, const ip4_addr_t *netmask,
                          const ip4_addr_t *gw, void *state, netif_init_fn init, unsigned flags);

/** `fn` runs whenever the core lock is about to be released (still held):
 *  a driver that batches its sends tells the NIC of them there, once for
 *  everything the stack sent while it held the lock. One hook. */
void lwip_port_on_core_unlock(void (*fn)(void));

/** Interface `netif`'s packets are received on `core` (its receive
 *  thread's). Takes the core lock. */
void lwip_port_netif_set_core(struct netif *netif, int core);
/** The core that receives packets to local address `addr` (network
 *  order): that of the interface holding it, or -1 (no such interface,
 *  loopback, INADDR_ANY, or none said). Takes the core lock. For
 *  getsockopt(SO_INCOMING_CPU). */
int lwip_port_addr_core(uint32_t addr);
/** lwIP's LWIP_HOOK_IP4_ROUTE_SRC (lwipopts.h; core lock held): a packet
 *  from one of our addresses leaves by the interface holding it (to one
 *  of our addresses, by that one, which loops it back); NULL lets lwIP
 *  route by destination. */
struct netif *lwip_port_route_src(const ip4_addr_t *src, const ip4_addr_t *dest);

/** Stacks apart (lwip_stacks.h, netif_vnic.h net_start_apart): sockets
 *  made on `core` belong to stack `stack`. Stack 0's copy holds the table. */
void lwip_port_core_stack(int core, int stack);
/** The stack of sockets made on `core` (0 unless said). */
int lwip_port_stack_of_core(int core);
/** How many stacks run (1 + the highest said). */
int lwip_port_stacks(void);

/** Takes the interface down and removes it (under the core lock). */
void lwip_port_netif_remove(struct netif *netif);
#endif
