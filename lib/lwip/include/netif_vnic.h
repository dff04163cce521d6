/**
 * \file netif_vnic.h
 * \brief An lwIP network interface over this domain's VNIC (one SR-IOV VF,
 * lib/arrakis vf.h), and net_start(), which brings up lwIP and the
 * interface from an application's spawn arguments (lib/lwip/netif_vnic.c).
 *
 * The POSIX path of the Arrakis data plane: frames are copied between the
 * VF's packet buffers and lwIP's pbufs, lwIP runs in the application's
 * domain, the application uses sockets (lib/posix: socket(), epoll...).
 *
 * Spawn arguments (in argv, or in the environment: the shell's leading
 * NAME=value words become the environment of a newlib program, so
 * `spawn udpecho ip=10.11.0.2/24 port=7` puts both there; the others are
 * the application's):
 *   ip=A.B.C.D/N   the interface's IPv4 address and prefix length (required)
 *   gw=A.B.C.D     default gateway (optional; without it only the subnet
 *                  is reachable)
 *   net=poll       poll the receive ring once per timer tick instead of
 *                  sleeping on the VF's doorbell (the default)
 *   net=csum=sw    lwIP computes and checks every checksum itself instead
 *                  of leaving IPv4, TCP and UDP checksums to the NIC (the
 *                  default where the NIC offers it: vf_csum_offload)
 * e.g. `spawn udpecho core 2 ip=10.11.0.2/24 port=7`.
 *
 * One lwIP per application, one interface by default; net_start_cores
 * gives each of N cores an interface of its own (its own VF, MAC, address
 * and receive thread). A VNIC's Filter admits untagged frames to the VF's
 * MAC and broadcasts (ARP); interface i's sits in capability slot
 * NET_FILTER_SLOT + 2i, its Doorbell in NET_DOORBELL_SLOT + 2i.
 */
#ifndef NETIF_VNIC_H
#define NETIF_VNIC_H
#include <stdbool.h>
#include <stdint.h>

#include "lwip/netif.h"

#define NET_FILTER_SLOT    16   /* CAP_SLOT(n): the Filter */
#define NET_DOORBELL_SLOT  17   /* CAP_SLOT(n): the Doorbell */

/** What net_start() found in the arguments. */
struct net_config {
    ip4_addr_t addr, netmask, gw;
    bool doorbell;              /* sleep on the VF's doorbell (else poll per tick) */
    bool csum_sw;               /* net=csum=sw: lwIP computes and checks every checksum,
                                   even where the NIC could */
};

/** Parse ip=, gw=, net= out of the environment and argv (ignoring other
 *  words); false,
 *  with a message on stdout, if ip= is missing or one of them is bad. */
bool net_parse_args(int argc, char *argv[], struct net_config *cfg);
/** An application's own NAME=value number (port=7): from argv, or from
 *  the environment when it led the spawn command. Leaves *v alone if the
 *  option is absent; false if it is not a number up to `max`. */
bool net_option(int argc, char *argv[], const char *name, unsigned long max, unsigned long *v);

/**
 * Start lwIP, open a VF, give it a Filter (its MAC + broadcast, untagged)
 * and, unless net=poll, a Doorbell; add it as lwIP's default interface
 * with the address of the arguments, and start its receive thread.
 * Returns 0, or -1 after printing why ("net: ..."). Call once.
 */
int net_start(int argc, char *argv[]);
/**
 * net_start with `ncores` interfaces (1 to 4; the monitor grants a domain
 * 4 VNICs): interface i has its own VF, address ip= + i (10.11.0.2,
 * .3, ...: each a whole host address on the same subnet) and a receive
 * thread on core C + i, C being the calling thread's core; the domain
 * must span those cores' range (pthread_attr_setcore_np places the
 * threads). Interface 0 is the default route; a packet leaves by the
 * interface of its source address. getsockopt(SO_INCOMING_CPU) on a
 * connected socket (lib/posix) says the core that receives its packets.
 */
int net_start_cores(int argc, char *argv[], unsigned ncores);
/**
 * net_start_cores with each interface in a stack of its own: interface i
 * is the only interface of lwIP stack i (lwip_stacks.h; stack 0 is lwIP
 * itself), so core C+i's receive thread takes only stack i's core lock.
 * The program must link lwip_stacks and lwip_stack1..3 and use stack i's
 * sockets (lwip_stacks[i]) for address i; lib/posix's sockets are stack
 * 0's only (lib/lwip/README.md, "Stacks apart").
 */
int net_start_apart(int argc, char *argv[], unsigned ncores);

/** Interface 0 (NULL before net_start); the next four calls, of it too. */
struct netif *net_netif(void);
/** "02:00:00:00:01:03" (18 bytes) and "10.11.0.2" (16 bytes). */
void net_mac_string(char mac[18]);
void net_ip_string(char ip[16]);
/** The VF number. */
unsigned net_vf_index(void);

/** One line of driver counters per interface and lines of lwIP's drop counters (bad
 *  checksums, lengths, protocols...), prefixed with `who`. */
void net_stats_print(const char *who);
/** One line per interface of what the traffic cost the device: frames
 *  received and sent, the data path's register writes (receive tail,
 *  transmit tail, interrupt arming: each an exit into the device model
 *  under emulation) and the doorbell rings (interrupts) taken. Also part
 *  of net_stats_print. */
void net_cost_print(const char *who);

/* --- Per-packet stamps for the pktstat breakdown (arrakis/pktstat.h) ---
 * The receive thread can note, for each UDP datagram to one port, when the
 * driver took its frame off the ring; a server asks for the stamp of the
 * datagram recvfrom() gave it (matched by source address, source port and
 * length; older unmatched stamps are dropped). The transmit side adds up
 * the cycles spent copying frames into the VF's buffers; a server takes
 * the sum after each send to split "copy out" from "stack out". */

/** Start noting receive stamps for UDP datagrams to `port` (host order). */
void net_rx_stamps(uint16_t port);
/** The TSC when the driver received that datagram (addresses in network
 *  order), or 0 if none was noted. */
uint64_t net_rx_stamp_take(uint32_t src_ip, uint16_t src_port, uint16_t len);
/** Cycles spent copying frames into transmit buffers since the last call
 *  (by this domain's senders). */
uint64_t net_tx_copy_take(void);
#endif
