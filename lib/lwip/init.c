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
 */
#include <pthread.h>

#include "lwip/netif.h"
#include "lwip/sys.h"
#include "lwip/tcpip.h"
#include "lwip_port.h"

static pthread_mutex_t lwip_port_start_lock = PTHREAD_MUTEX_INITIALIZER;
static int lwip_port_started;

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
