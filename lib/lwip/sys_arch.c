/*
 * sys_arch.c: lwIP's operating-system layer (lwip/sys.h) on pthreads
 * (lib/posix) and newlib's clocks.
 *
 *  mutex      a pthread mutex that records its holder, so that
 *             LWIP_ASSERT_CORE_LOCKED (sys_check_core_locking) can tell
 *             whether the calling thread holds lwIP's core lock.
 *  semaphore  a count under a mutex, a condition variable on
 *             CLOCK_MONOTONIC for the (timed) waits.
 *  mailbox    a malloc'd ring of pointers under a mutex, with "not empty"
 *             and "not full" condition variables; post blocks while full,
 *             trypost fails with ERR_MEM instead.
 *  threads    detached pthreads on the creator's core (the stack size and
 *             priority lwIP asks for are ignored: pthreads have 64 KiB).
 *  protect    SYS_ARCH_PROTECT is one recursive mutex for the domain.
 *  time       sys_now() is CLOCK_MONOTONIC in milliseconds.
 * Timed waits return the milliseconds waited, or SYS_ARCH_TIMEOUT; a
 * timeout of 0 waits for ever, as lwIP defines.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lwip/opt.h"
#include "lwip/sys.h"
#include "lwip/tcpip.h"
#include "lwip_port.h"

/* --- Time --- */

static uint64_t lwip_port_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

u32_t sys_now(void)
{
    return (u32_t)lwip_port_now_ms();
}

/* The absolute CLOCK_MONOTONIC time `ms` from now, for a timed wait. */
static struct timespec lwip_port_deadline(u32_t ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += ms / 1000u;
    ts.tv_nsec += (long)(ms % 1000u) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

static void lwip_port_cond_init(pthread_cond_t *c)
{
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(c, &attr);
    pthread_condattr_destroy(&attr);
}

/* Waits on `c` (holding `m`) until signalled or `deadline` (NULL: never);
 * false when the deadline passed. */
static bool lwip_port_cond_wait(pthread_cond_t *c, pthread_mutex_t *m,
                                const struct timespec *deadline)
{
    if (!deadline)
        return pthread_cond_wait(c, m) == 0;
    return pthread_cond_timedwait(c, m, deadline) != ETIMEDOUT;
}

/* --- Start, random numbers, assertions --- */

void sys_init(void)
{
}

uint32_t lwip_port_rand(void)
{
    static uint64_t state;
    uint64_t s = __atomic_load_n(&state, __ATOMIC_RELAXED), next;
    do {
        next = s ? s : (uint64_t)lwip_port_now_ms() * 0x9e3779b97f4a7c15ull | 1;
        next ^= next << 13;
        next ^= next >> 7;
        next ^= next << 17;
    } while (!__atomic_compare_exchange_n(&state, &s, next, false, __ATOMIC_RELAXED,
                                          __ATOMIC_RELAXED));
    return (uint32_t)(next >> 32);
}

void lwip_port_assert(const char *msg, const char *file, int line)
{
    fprintf(stderr, "lwip: assertion \"%s\" failed at %s:%d\n", msg, file, line);
    fflush(NULL);
    _exit(134);
}

/* --- Mutexes and the core lock --- */

err_t sys_mutex_new(sys_mutex_t *m)
{
    pthread_mutex_init(&m->lock, NULL);
    m->held = 0;
    m->valid = 1;
    return ERR_OK;
}

void sys_mutex_lock(sys_mutex_t *m)
{
    pthread_mutex_lock(&m->lock);
    m->owner = pthread_self();
    __atomic_store_n(&m->held, 1, __ATOMIC_RELEASE);
}

static void (*core_unlock_hook)(void);

void lwip_port_on_core_unlock(void (*fn)(void))
{
    core_unlock_hook = fn;
}

void sys_mutex_unlock(sys_mutex_t *m)
{
    if (m == &lock_tcpip_core && core_unlock_hook)
        core_unlock_hook();             /* batched sends go out before others may send */
    __atomic_store_n(&m->held, 0, __ATOMIC_RELAXED);
    pthread_mutex_unlock(&m->lock);
}

void sys_mutex_free(sys_mutex_t *m)
{
    pthread_mutex_destroy(&m->lock);
    m->valid = 0;
}

void sys_check_core_locking(void)
{
    /* lwip_init() runs before tcpip_init() makes the lock: nothing to hold. */
    if (!__atomic_load_n(&lock_tcpip_core.valid, __ATOMIC_ACQUIRE))
        return;
    LWIP_ASSERT("lwIP core called without the core lock (LOCK_TCPIP_CORE)",
                __atomic_load_n(&lock_tcpip_core.held, __ATOMIC_ACQUIRE) &&
                pthread_equal(lock_tcpip_core.owner, pthread_self()));
}

/* --- Semaphores --- */

err_t sys_sem_new(sys_sem_t *s, u8_t count)
{
    pthread_mutex_init(&s->lock, NULL);
    lwip_port_cond_init(&s->cond);
    s->count = count;
    s->valid = 1;
    return ERR_OK;
}

void sys_sem_signal(sys_sem_t *s)
{
    pthread_mutex_lock(&s->lock);
    s->count++;
    pthread_cond_signal(&s->cond);
    pthread_mutex_unlock(&s->lock);
}

u32_t sys_arch_sem_wait(sys_sem_t *s, u32_t timeout)
{
    uint64_t start = lwip_port_now_ms();
    struct timespec deadline = lwip_port_deadline(timeout);
    pthread_mutex_lock(&s->lock);
    while (s->count == 0) {
        if (!lwip_port_cond_wait(&s->cond, &s->lock, timeout ? &deadline : NULL) &&
            s->count == 0) {
            pthread_mutex_unlock(&s->lock);
            return SYS_ARCH_TIMEOUT;
        }
    }
    s->count--;
    pthread_mutex_unlock(&s->lock);
    return (u32_t)(lwip_port_now_ms() - start);
}

void sys_sem_free(sys_sem_t *s)
{
    pthread_cond_destroy(&s->cond);
    pthread_mutex_destroy(&s->lock);
    s->valid = 0;
}

/* --- Mailboxes --- */

err_t sys_mbox_new(sys_mbox_t *b, int size)
{
    if (size <= 0)
        size = 64;
    b->slots = malloc((size_t)size * sizeof b->slots[0]);
    if (!b->slots)
        return ERR_MEM;
    pthread_mutex_init(&b->lock, NULL);
    lwip_port_cond_init(&b->not_empty);
    lwip_port_cond_init(&b->not_full);
    b->size = size;
    b->head = b->count = 0;
    b->valid = 1;
    return ERR_OK;
}

/* Appends `msg`; the caller holds the lock and has checked there is room. */
static void lwip_port_mbox_put(sys_mbox_t *b, void *msg)
{
    b->slots[(b->head + b->count) % b->size] = msg;
    b->count++;
    pthread_cond_signal(&b->not_empty);
}

void sys_mbox_post(sys_mbox_t *b, void *msg)
{
    pthread_mutex_lock(&b->lock);
    while (b->count == b->size)
        lwip_port_cond_wait(&b->not_full, &b->lock, NULL);
    lwip_port_mbox_put(b, msg);
    pthread_mutex_unlock(&b->lock);
}

err_t sys_mbox_trypost(sys_mbox_t *b, void *msg)
{
    pthread_mutex_lock(&b->lock);
    bool full = b->count == b->size;
    if (!full)
        lwip_port_mbox_put(b, msg);
    pthread_mutex_unlock(&b->lock);
    return full ? ERR_MEM : ERR_OK;
}

err_t sys_mbox_trypost_fromisr(sys_mbox_t *b, void *msg)
{
    return sys_mbox_trypost(b, msg);
}

/* Takes the first message; the caller holds the lock and count > 0. */
static void *lwip_port_mbox_get(sys_mbox_t *b)
{
    void *msg = b->slots[b->head];
    b->head = (b->head + 1) % b->size;
    b->count--;
    pthread_cond_signal(&b->not_full);
    return msg;
}

u32_t sys_arch_mbox_fetch(sys_mbox_t *b, void **msg, u32_t timeout)
{
    uint64_t start = lwip_port_now_ms();
    struct timespec deadline = lwip_port_deadline(timeout);
    pthread_mutex_lock(&b->lock);
    while (b->count == 0) {
        if (!lwip_port_cond_wait(&b->not_empty, &b->lock, timeout ? &deadline : NULL) &&
            b->count == 0) {
            pthread_mutex_unlock(&b->lock);
            if (msg)
                *msg = NULL;
            return SYS_ARCH_TIMEOUT;
        }
    }
    void *m = lwip_port_mbox_get(b);
    pthread_mutex_unlock(&b->lock);
    if (msg)
        *msg = m;
    return (u32_t)(lwip_port_now_ms() - start);
}

u32_t sys_arch_mbox_tryfetch(sys_mbox_t *b, void **msg)
{
    pthread_mutex_lock(&b->lock);
    bool empty = b->count == 0;
    void *m = empty ? NULL : lwip_port_mbox_get(b);
    pthread_mutex_unlock(&b->lock);
    if (msg)
        *msg = m;
    return empty ? SYS_MBOX_EMPTY : 0;
}

void sys_mbox_free(sys_mbox_t *b)
{
    pthread_cond_destroy(&b->not_full);
    pthread_cond_destroy(&b->not_empty);
    pthread_mutex_destroy(&b->lock);
    free(b->slots);
    b->slots = NULL;
    b->valid = 0;
}

/* --- Threads --- */

struct lwip_port_thread {
    lwip_thread_fn fn;
    void *arg;
};

static void *lwip_port_thread_start(void *p)
{
    struct lwip_port_thread t = *(struct lwip_port_thread *)p;
    free(p);
    t.fn(t.arg);
    return NULL;
}

sys_thread_t sys_thread_new(const char *name, lwip_thread_fn fn, void *arg, int stacksize, int prio)
{
    struct lwip_port_thread *t = malloc(sizeof *t);
    LWIP_ASSERT("sys_thread_new: out of memory", t != NULL);
    *t = (struct lwip_port_thread){ fn, arg };
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t id;
    int err = pthread_create(&id, &attr, lwip_port_thread_start, t);
    pthread_attr_destroy(&attr);
    if (err) {
        fprintf(stderr, "lwip: cannot start thread %s (error %d)\n", name, err);
        LWIP_ASSERT("sys_thread_new: pthread_create failed", 0);
    }
    return id;
}

/* --- SYS_ARCH_PROTECT --- */

static pthread_mutex_t lwip_port_protect_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;

sys_prot_t sys_arch_protect(void)
{
    pthread_mutex_lock(&lwip_port_protect_lock);
    return 0;
}

void sys_arch_unprotect(sys_prot_t pval)
{
    pthread_mutex_unlock(&lwip_port_protect_lock);
}
