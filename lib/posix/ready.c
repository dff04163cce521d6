/*
 * ready.c: the wake-up of waiters on pipes and socket pairs (ready.h).
 *
 * One generation counter and one condition variable for the domain: a
 * change to any native object wakes every waiter, which then looks at its
 * own objects again. Few threads wait at once in the programs this serves
 * (an event loop per thread), so a precise wait list per object would buy
 * little; correctness needs only that the generation is read before the
 * look and moved after the change.
 *
 * A wait on sockets and native objects at once sleeps in lwIP (lwip_poll),
 * which this condition variable cannot reach: while such waits are in
 * (posix_ready_mixed_enter/leave), a notify also ends every lwIP wait
 * (sk_wake_pollers, lwIP patch 0002), and each waiter looks again.
 */
#include <pthread.h>
#include <time.h>

#include "ready.h"

static pthread_once_t ready_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t ready_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready_cond;
static uint64_t ready_generation;
static unsigned ready_mixed;            /* waits in lwIP that look at native objects */
static void (*ready_wake_pollers)(void); /* set by the first of them */

void posix_ready_mixed_enter(void (*wake_pollers)(void))
{
    __atomic_store_n(&ready_wake_pollers, wake_pollers, __ATOMIC_SEQ_CST);
    __atomic_add_fetch(&ready_mixed, 1, __ATOMIC_SEQ_CST);
}

void posix_ready_mixed_leave(void)
{
    __atomic_sub_fetch(&ready_mixed, 1, __ATOMIC_SEQ_CST);
}

static void ready_init(void)
{
    pthread_condattr_t a;
    pthread_condattr_init(&a);
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    pthread_cond_init(&ready_cond, &a);
    pthread_condattr_destroy(&a);
}

uint64_t posix_ready_gen(void)
{
    return __atomic_load_n(&ready_generation, __ATOMIC_ACQUIRE);
}

void posix_ready_notify(void)
{
    pthread_once(&ready_once, ready_init);
    pthread_mutex_lock(&ready_lock);
    __atomic_add_fetch(&ready_generation, 1, __ATOMIC_RELEASE);
    pthread_cond_broadcast(&ready_cond);
    pthread_mutex_unlock(&ready_lock);
    if (__atomic_load_n(&ready_mixed, __ATOMIC_SEQ_CST))
        __atomic_load_n(&ready_wake_pollers, __ATOMIC_SEQ_CST)();
}

void posix_ready_wait(uint64_t seen, const struct timespec *deadline)
{
    pthread_once(&ready_once, ready_init);
    pthread_mutex_lock(&ready_lock);
    while (ready_generation == seen) {
        int err = deadline ? pthread_cond_timedwait(&ready_cond, &ready_lock, deadline)
                           : pthread_cond_wait(&ready_cond, &ready_lock);
        if (err)                /* ETIMEDOUT: the caller looks once more */
            break;
    }
    pthread_mutex_unlock(&ready_lock);
}

const struct timespec *posix_deadline(int ms, struct timespec *deadline)
{
    if (ms < 0)
        return NULL;
    clock_gettime(CLOCK_MONOTONIC, deadline);
    deadline->tv_sec += ms / 1000;
    deadline->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (deadline->tv_nsec >= 1000000000L) {
        deadline->tv_sec++;
        deadline->tv_nsec -= 1000000000L;
    }
    return deadline;
}

int posix_ms_left(const struct timespec *deadline)
{
    if (!deadline)
        return -1;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long long ms = (deadline->tv_sec - now.tv_sec) * 1000LL +
                   (deadline->tv_nsec - now.tv_nsec) / 1000000L;
    if (ms <= 0 && (deadline->tv_sec > now.tv_sec ||
                    (deadline->tv_sec == now.tv_sec && deadline->tv_nsec > now.tv_nsec)))
        ms = 1;                 /* less than a millisecond left: still not past */
    return ms < 0 ? 0 : ms > 0x7fffffff ? 0x7fffffff : (int)ms;
}
