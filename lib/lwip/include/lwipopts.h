/**
 * \file lwipopts.h
 * \brief lwIP's configuration for this OS: one stack per application, with
 * its own tcpip thread, on pthreads (lib/posix) and newlib.
 *
 * What is on: IPv4 with ARP, ICMP, UDP and TCP; the netconn and BSD-style
 * socket APIs (lwip_socket(), lwip_recv()... only: the plain POSIX names
 * are left to lib/posix, which will route them here); select and poll;
 * receive/send timeouts, SO_RCVBUF, SO_REUSEADDR, listen backlogs,
 * keepalive, linger; the loopback interface 127.0.0.1 (and looping back
 * packets sent to our own address on any interface).
 *
 * Sizing: an echo or key-value server with 128 TCP connections at once,
 * each with an 8-segment window and send buffer (about 11 KiB each way).
 * Pools of fixed-size objects (PCBs, segments, netbufs, packet pbufs) are
 * static arrays of the numbers below; everything of variable size (PBUF_RAM
 * payloads, mailboxes) comes from newlib's malloc, so a full load of 128
 * busy connections costs at most about 3 MiB of the domain's heap.
 * lib/lwip/README.md has the reasons; lwIP's src/include/lwip/opt.h the
 * meaning of every option.
 */
#ifndef LWIP_LWIPOPTS_H
#define LWIP_LWIPOPTS_H

/* --- The operating system --- */
#define NO_SYS                          0   /* threads, semaphores, mailboxes: sys_arch.c */
#define SYS_LIGHTWEIGHT_PROT            1   /* SYS_ARCH_PROTECT: one recursive mutex */
#define LWIP_TCPIP_CORE_LOCKING         1   /* API calls run in the caller under the core lock */
#define LWIP_TCPIP_CORE_LOCKING_INPUT   1   /* the receive thread runs the stack on a frame under the core lock (no hop through the tcpip thread) */
#define LWIP_NETCONN_SEM_PER_THREAD     0
#define LWIP_NETCONN_FULLDUPLEX         0   /* one thread at a time per socket */
/* Catches calls into the core without the core lock (sys_arch.c). */
void sys_check_core_locking(void);
#define LWIP_ASSERT_CORE_LOCKED()       sys_check_core_locking()

/* Threads: a pthread's stack is always 64 KiB (lib/posix); priorities are
 * not used (the dispatcher schedules round-robin). */
#define TCPIP_THREAD_NAME               "lwip_tcpip"
#define TCPIP_THREAD_STACKSIZE          (64 * 1024)
#define TCPIP_THREAD_PRIO               0
#define DEFAULT_THREAD_STACKSIZE        (64 * 1024)
#define DEFAULT_THREAD_PRIO             0

/* Mailbox depths (slots in a malloc'd ring each). */
#define TCPIP_MBOX_SIZE                 256
#define DEFAULT_RAW_RECVMBOX_SIZE       32
#define DEFAULT_UDP_RECVMBOX_SIZE       64
#define DEFAULT_TCP_RECVMBOX_SIZE       64
#define DEFAULT_ACCEPTMBOX_SIZE         128

/* --- Memory --- */
#define MEM_ALIGNMENT                   8
#define MEM_LIBC_MALLOC                 1   /* PBUF_RAM and friends from malloc */
#define MEMP_MEM_MALLOC                 0   /* pools stay static, with fixed counts */
#define MEMP_NUM_PBUF                   128 /* PBUF_REF/ROM headers (UDP sends) */
#define MEMP_NUM_RAW_PCB                8
#define MEMP_NUM_UDP_PCB                32
#define MEMP_NUM_TCP_PCB                160 /* 128 connections, TIME_WAIT, some slack */
#define MEMP_NUM_TCP_PCB_LISTEN         16
#define MEMP_NUM_TCP_SEG                1024
#define MEMP_NUM_REASSDATA              8   /* datagrams being reassembled */
#define MEMP_NUM_FRAG_PBUF              32
#define MEMP_NUM_ARP_QUEUE              64
#define MEMP_NUM_NETBUF                 128 /* UDP datagrams waiting in recvmboxes */
#define MEMP_NUM_NETCONN                176 /* = sockets: 160 TCP + 16 UDP/raw */
#define MEMP_NUM_TCPIP_MSG_API          128
#define MEMP_NUM_TCPIP_MSG_INPKT        256
#define PBUF_POOL_SIZE                  256 /* received frames (the VNIC netif) */

/* --- Protocols --- */
#define LWIP_IPV4                       1
#define LWIP_IPV6                       0
#define LWIP_ARP                        1
#define LWIP_ETHERNET                   1
#define ETHARP_SUPPORT_STATIC_ENTRIES   1
#define ARP_QUEUEING                    1   /* keep every packet waiting for an ARP reply (MEMP_NUM_ARP_QUEUE), not just the last */
#define LWIP_ICMP                       1
#define LWIP_RAW                        1
#define LWIP_UDP                        1
#define LWIP_TCP                        1
#define LWIP_DHCP                       0
#define LWIP_AUTOIP                     0
#define LWIP_IGMP                       0
#define LWIP_DNS                        0
#define IP_REASSEMBLY                   1
#define IP_REASS_MAX_PBUFS              32  /* fragments held, all datagrams */
#define IP_FRAG                         1

/* TCP: full-size segments for a 1500-byte MTU, windows of 8 of them (no
 * window scaling needed), queues sized from those. */
#define TCP_MSS                         1460
#define TCP_WND                         (8 * TCP_MSS)
#define TCP_SND_BUF                     (8 * TCP_MSS)
#define TCP_SND_QUEUELEN                ((4 * (TCP_SND_BUF) + (TCP_MSS - 1)) / (TCP_MSS))
#define TCP_QUEUE_OOSEQ                 1
#define TCP_LISTEN_BACKLOG              1   /* listen(fd, n) limits pending connections to n */
#define TCP_DEFAULT_LISTEN_BACKLOG      128
#define LWIP_TCP_KEEPALIVE              1

/* --- Interfaces --- */
#define LWIP_NETIF_LOOPBACK             1   /* packets to our own addresses loop back */
#define LWIP_HAVE_LOOPIF                1   /* the lo interface, 127.0.0.1 */
#define LWIP_LOOPBACK_MAX_PBUFS         0   /* unbounded: TCP's windows bound it */
#define LWIP_NETIF_STATUS_CALLBACK      1
#define LWIP_NETIF_LINK_CALLBACK        1
#define LWIP_NETIF_API                  1   /* netifapi_*: for threads without the core lock */
#define LWIP_SINGLE_NETIF               0
/* Which checksums lwIP computes and checks is the interface's choice:
 * the VNIC's leaves IPv4, TCP and UDP checksums to its NIC (netif_vnic.c). */
#define LWIP_CHECKSUM_CTRL_PER_NETIF    1
/* One interface per core (netif_vnic.h net_start_cores), each with its own
 * address: a packet leaves by the interface that owns its source address
 * (lib/lwip/init.c lwip_port_route_src), not by the first on the subnet. */
#define LWIP_HOOK_FILENAME              "lwip_port_hooks.h"
#define LWIP_HOOK_IP4_ROUTE_SRC(src, dest) lwip_port_route_src(src, dest)

/* --- The sequential APIs --- */
#define LWIP_NETCONN                    1
#define LWIP_SOCKET                     1
#define LWIP_COMPAT_SOCKETS             0   /* no socket()/bind()... macros: lib/posix wraps */
#define LWIP_POSIX_SOCKETS_IO_NAMES     0   /* no read()/write()/close() macros either */
/* Socket numbers start above newlib's file descriptors (FD_MAX 32 in
 * lib/newlib/fd.c), so the two never collide and a POSIX layer can tell
 * them apart by value. FD_SETSIZE (hake/lwip.mk: 256) covers all of them. */
#define LWIP_SOCKET_OFFSET              64
#define LWIP_SOCKET_SELECT              1
#define LWIP_SOCKET_POLL                1
#define LWIP_SO_RCVTIMEO                1
#define LWIP_SO_SNDTIMEO                1
#define LWIP_SO_SNDRCVTIMEO_NONSTANDARD 0   /* the timeouts are struct timeval, as in POSIX */
#define LWIP_SO_RCVBUF                  1
#define LWIP_SO_LINGER                  1
#define SO_REUSE                        1
#define LWIP_FIONREAD_LINUXMODE         1   /* FIONREAD on UDP: the next datagram's size */
#define LWIP_TIMEVAL_PRIVATE            0   /* struct timeval is newlib's (<sys/time.h>) */

/* --- Debugging --- */
#define LWIP_STATS                      1   /* drop counters (net_stats_print) */
#define LWIP_STATS_DISPLAY              0
#define LINK_STATS                      1
#define ETHARP_STATS                    1
#define IP_STATS                        1
#define IPFRAG_STATS                    1
#define ICMP_STATS                      1
#define UDP_STATS                       1
#define TCP_STATS                       1
#define MEM_STATS                       0
#define MEMP_STATS                      0
#define SYS_STATS                       0
#define LWIP_DEBUG_TIMERNAMES           0

#endif
