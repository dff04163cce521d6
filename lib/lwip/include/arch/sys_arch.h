/**
 * \file arch/sys_arch.h
 * \brief lwIP's operating-system types on pthreads (lib/posix); the calls
 * are in lib/lwip/sys_arch.c.
 *
 * Each object is embedded where lwIP keeps it (in a netconn, on a stack)
 * and carries a `valid` flag for lwIP's sys_*_valid() and sys_*_set_invalid(). They
 * work between threads on any cores of the domain, as pthreads' locks do.
 */
#ifndef LWIP_ARCH_SYS_ARCH_H
#define LWIP_ARCH_SYS_ARCH_H

#include <pthread.h>

/** A mutex that remembers its holder (for LWIP_ASSERT_CORE_LOCKED). */
struct lwip_port_mutex {
    pthread_mutex_t lock;
    pthread_t owner;            /* valid while `held` */
    int held;
    int valid;
};

/** A counting semaphore. */
struct lwip_port_sem {
    pthread_mutex_t lock;
    pthread_cond_t cond;        /* on CLOCK_MONOTONIC */
    unsigned count;
    int valid;
};

/** A mailbox: a ring of `size` pointers, FIFO. */
struct lwip_port_mbox {
    pthread_mutex_t lock;
    pthread_cond_t not_empty;   /* on CLOCK_MONOTONIC */
    pthread_cond_t not_full;
    void **slots;
    int size, head, count;
    int valid;
};

typedef struct lwip_port_mutex sys_mutex_t;
typedef struct lwip_port_sem sys_sem_t;
typedef struct lwip_port_mbox sys_mbox_t;
typedef pthread_t sys_thread_t;
typedef int sys_prot_t;         /* SYS_ARCH_PROTECT: a recursive mutex, no state */

#define sys_mutex_valid(m)          ((m)->valid)
#define sys_mutex_set_invalid(m)    ((m)->valid = 0)
#define sys_sem_valid(s)            ((s)->valid)
#define sys_sem_set_invalid(s)      ((s)->valid = 0)
#define sys_mbox_valid(b)           ((b)->valid)
#define sys_mbox_set_invalid(b)     ((b)->valid = 0)

#endif
