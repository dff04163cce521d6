/*
 * init.c: starting this application's lwIP and attaching interfaces to it
 * (lwip_port.h).
 *
 * lwip_port_start() runs tcpip_init() once per domain and waits on a
 * semaphore until the tcpip thread has called back, so the stack is usable
 * when it returns: lwip_init() has set up the pools and the loopback
 * interface, and the thread is taking messages and running the timers.
 * A mutex makes concurrent first calls wait for the one that starts it.
 * lwip_port_netif_add() is the seam for drivers: the interface is added
 * and brought up under the core lock, with tcpip_input as its input
 * function, so frames a driver hands to netif->input are processed by the
 * tcpip thread.
 *
 * With several interfaces (one per core: netif_vnic.c net_start_cores)
 * two more things live here: which core receives each interface's
 * packets (lwip_port_netif_set_core, asked by lib/posix's
 * getsockopt(SO_INCOMING_CPU) through lwip_port_addr_core), and routing
 * by source address (lwip_port_route_src, lwIP's LWIP_HOOK_IP4_ROUTE_SRC),
 * so that a connection's packets leave by the interface that owns its
 * local address, not by the first interface on the subnet.
 */
#include <pthread.h>

#include "lwip/netif.h"
#include "lwip/sys.h"
#include "lwip/tcpip.h"
#include "lwip_port.h"

static pthread_mutex_t lwip_port_start_lock = PTHREAD_MUTEX_INITIALIZER;
static int lwip_port_started;

/* The core that receives each interface's packets, by netif index (1..);
 * -1: none said. Written under the core lock. */
#define PORT_NETIFS 8
static int port_netif_core[PORT_NETIFS + 1] = { -1, -1, -1, -1, -1, -1, -1, -1, -1 };

/* In the tcpip thread, before it takes its first message. */
static void lwip_port_tcpip_ready(void *arg)
{
    sys_sem_signal((sys_sem_t *)arg);
}

err_t lwip_port_start(void)
{
    if (__atomic_load_n(&lwip_port_started, __ATOMIC_ACQUIRE))
        return ERR_OK;
    pthread_mutex_lock(&lwip_port_start_lock);
    err_t err = ERR_OK;
    if (!lwip_port_started) {
        sys_sem_t ready;
        err = sys_sem_new(&ready, 0);
        if (err == ERR_OK) {
            tcpip_init(lwip_port_tcpip_ready, &ready);
            sys_sem_wait(&ready);
            sys_sem_free(&ready);
            __atomic_store_n(&lwip_port_started, 1, __ATOMIC_RELEASE);
        }
    }
    pthread_mutex_unlock(&lwip_port_start_lock);
    return err;
}

err_t lwip_port_netif_add(struct netif *netif, const ip4_addr_t *addr, const ip4_addr_t *netmask,
                          const ip4_addr_t *gw, void *state, netif_init_fn init, unsigned flags)
{
    err_t err = lwip_port_start();
    if (err != ERR_OK)
        return err;
    LOCK_TCPIP_CORE();
    if (!netif_add(netif, addr, netmask, gw, state, init, tcpip_input)) {
        UNLOCK_TCPIP_CORE();
        return ERR_IF;
    }
    if (flags & LWIP_PORT_NETIF_DEFAULT)
        netif_set_default(netif);
    netif_set_up(netif);
    UNLOCK_TCPIP_CORE();
    return ERR_OK;
}

void lwip_port_netif_remove(struct netif *netif)
{
    LOCK_TCPIP_CORE();
    netif_set_down(netif);
    netif_remove(netif);
    UNLOCK_TCPIP_CORE();
}

void lwip_port_netif_set_core(struct netif *netif, int core)
{
    LOCK_TCPIP_CORE();
    u8_t i = netif_get_index(netif);
    if (i <= PORT_NETIFS)
        port_netif_core[i] = core;
    UNLOCK_TCPIP_CORE();
}

/* Core lock held: the interface whose address is `a` (not loopback's). */
static struct netif *port_netif_of(const ip4_addr_t *a)
{
    struct netif *netif;
    if (ip4_addr_isany(a) || ip4_addr_isloopback(a))
        return NULL;
    NETIF_FOREACH(netif)
        if (netif_is_up(netif) && ip4_addr_cmp(netif_ip4_addr(netif), a))
            return netif;
    return NULL;
}

int lwip_port_addr_core(uint32_t addr)
{
    ip4_addr_t a;
    ip4_addr_set_u32(&a, addr);
    int core = -1;
    LOCK_TCPIP_CORE();
    struct netif *netif = port_netif_of(&a);
    if (netif && netif_get_index(netif) <= PORT_NETIFS)
        core = port_netif_core[netif_get_index(netif)];
    UNLOCK_TCPIP_CORE();
    return core;
}

struct netif *lwip_port_route_src(const ip4_addr_t *src, const ip4_addr_t *dest)
{
    if (!src || !dest)
        return NULL;                /* lwIP's own routing by destination */
    struct netif *own = port_netif_of(dest);
    if (own)
        return own;                 /* to one of our addresses: it loops back there */
    struct netif *netif = port_netif_of(src);
    return netif && netif_is_link_up(netif) ? netif : NULL;
}

/* Which stack each core's sockets belong to (net_start_apart), and how
 * many stacks run. Only stack 0's copy of this file is used for it. */
#define PORT_CORES 64
static int8_t port_core_stack[PORT_CORES];
static int port_stacks = 1;

void lwip_port_core_stack(int core, int stack)
{
    if (core >= 0 && core < PORT_CORES)
        __atomic_store_n(&port_core_stack[core], (int8_t)stack, __ATOMIC_RELEASE);
    if (stack + 1 > __atomic_load_n(&port_stacks, __ATOMIC_ACQUIRE))
        __atomic_store_n(&port_stacks, stack + 1, __ATOMIC_RELEASE);
}

int lwip_port_stack_of_core(int core)
{
    return core >= 0 && core < PORT_CORES ? __atomic_load_n(&port_core_stack[core], __ATOMIC_ACQUIRE) : 0;
}

int lwip_port_stacks(void)
{
    return __atomic_load_n(&port_stacks, __ATOMIC_ACQUIRE);
}
