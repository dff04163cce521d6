/*
 * pthread_sync.c: mutexes, condition variables, reader-writer locks and
 * once, for threads that may run on different cores (pthread.h).
 *
 * All of them are words in shared memory changed with atomics, and every
 * waiter parks (libos sync_park: blocked in its dispatcher, woken at once,
 * from any core, by the unlock, signal or end it waits for; a deadline is
 * seen within a timer tick).
 *
 *  mutex    libos's struct sync_mutex (pthread_mutex_t has its layout
 *           first); ERRORCHECK refuses relocking and foreign unlocks,
 *           NORMAL deadlocks on relock as POSIX allows, RECURSIVE counts.
 *  cond     a sequence number: a waiter notes it, releases the mutex and
 *           parks until it changes (or its deadline passes), then relocks.
 *           signal bumps it and unparks one waiter, broadcast all; a waiter
 *           about to park when the number moved returns at once: a
 *           spurious wake-up, which POSIX permits.
 *  rwlock   a count of readers, or -1 for a writer; waiting writers hold
 *           new readers back so writers are not starved. A waiter notes
 *           the sequence number, tries, and parks on it; an unlock that
 *           may let a waiter in (the writer's, the last reader's) bumps it
 *           and unparks them all.
 *  once     0 -> 1 (running) -> 2 (done); others park until 2.
 */
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <time.h>

#include <libos/libos.h>
#include <libos/sync.h>
#include <libos/tsc.h>

_Static_assert(offsetof(pthread_mutex_t, __locked) == offsetof(struct sync_mutex, locked), "layout");
_Static_assert(offsetof(pthread_mutex_t, __depth) == offsetof(struct sync_mutex, depth), "layout");
_Static_assert(offsetof(pthread_mutex_t, __owner) == offsetof(struct sync_mutex, owner), "layout");
_Static_assert(offsetof(pthread_mutex_t, __recursive) == offsetof(struct sync_mutex, recursive),
               "layout");

static struct sync_mutex *posix_sm(pthread_mutex_t *m)
{
    return (struct sync_mutex *)m;
}

/* Whether `abstime` on `clk` has passed. */
static bool posix_past(clockid_t clk, const struct timespec *abstime)
{
    struct timespec now;
    clock_gettime(clk, &now);
    return now.tv_sec > abstime->tv_sec ||
           (now.tv_sec == abstime->tv_sec && now.tv_nsec >= abstime->tv_nsec);
}

/* The TSC value at `abstime` on `clk` (both clocks run on the TSC). */
static uint64_t posix_tsc_deadline(clockid_t clk, const struct timespec *abstime)
{
    struct timespec now;
    clock_gettime(clk, &now);
    uint64_t tsc = rdtsc_now();
    int64_t ns = (int64_t)(abstime->tv_sec - now.tv_sec) * 1000000000LL +
                 (abstime->tv_nsec - now.tv_nsec);
    if (ns <= 0)
        return tsc ? tsc : 1;
    uint64_t hz = libos_tsc_hz();
    uint64_t s = (uint64_t)ns / 1000000000u, rest = (uint64_t)ns % 1000000000u;
    return tsc + s * hz + rest * hz / 1000000000u + 1;
}

/* --- Mutexes --- */

int pthread_mutexattr_init(pthread_mutexattr_t *a)
{
    a->__type = PTHREAD_MUTEX_DEFAULT;
    return 0;
}

int pthread_mutexattr_destroy(pthread_mutexattr_t *a) { return 0; }

int pthread_mutexattr_settype(pthread_mutexattr_t *a, int type)
{
    if (type != PTHREAD_MUTEX_NORMAL && type != PTHREAD_MUTEX_RECURSIVE &&
        type != PTHREAD_MUTEX_ERRORCHECK)
        return EINVAL;
    a->__type = type;
    return 0;
}

int pthread_mutexattr_gettype(const pthread_mutexattr_t *a, int *type)
{
    *type = a->__type;
    return 0;
}

int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *a)
{
    int type = a ? a->__type : PTHREAD_MUTEX_DEFAULT;
    *m = (pthread_mutex_t){ .__type = type, .__recursive = type == PTHREAD_MUTEX_RECURSIVE };
    return 0;
}

int pthread_mutex_destroy(pthread_mutex_t *m)
{
    return m->__locked ? EBUSY : 0;
}

int pthread_mutex_lock(pthread_mutex_t *m)
{
    if (m->__type == PTHREAD_MUTEX_ERRORCHECK && sync_mutex_held(posix_sm(m)))
        return EDEADLK;
    sync_mutex_lock(posix_sm(m));
    return 0;
}

int pthread_mutex_trylock(pthread_mutex_t *m)
{
    return sync_mutex_trylock(posix_sm(m)) ? 0 : EBUSY;
}

int pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *abstime)
{
    if (m->__type == PTHREAD_MUTEX_ERRORCHECK && sync_mutex_held(posix_sm(m)))
        return EDEADLK;
    if (sync_mutex_trylock(posix_sm(m)))
        return 0;
    if (abstime->tv_nsec < 0 || abstime->tv_nsec >= 1000000000L)
        return EINVAL;
    if (posix_past(CLOCK_REALTIME, abstime))
        return ETIMEDOUT;
    return sync_mutex_lock_until(posix_sm(m), posix_tsc_deadline(CLOCK_REALTIME, abstime))
               ? 0 : ETIMEDOUT;
}

int pthread_mutex_unlock(pthread_mutex_t *m)
{
    return sync_mutex_unlock(posix_sm(m)) ? 0 : EPERM;
}

/* --- Condition variables --- */

int pthread_condattr_init(pthread_condattr_t *a)
{
    a->__clock = CLOCK_REALTIME;
    return 0;
}

int pthread_condattr_destroy(pthread_condattr_t *a) { return 0; }

int pthread_condattr_setclock(pthread_condattr_t *a, clockid_t clk)
{
    if (clk != CLOCK_REALTIME && clk != CLOCK_MONOTONIC)
        return EINVAL;
    a->__clock = clk;
    return 0;
}

int pthread_condattr_getclock(const pthread_condattr_t *a, clockid_t *clk)
{
    *clk = a->__clock;
    return 0;
}

int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *a)
{
    *c = (pthread_cond_t){ .__seq = 0, .__clock = a ? a->__clock : (int)CLOCK_REALTIME };
    return 0;
}

int pthread_cond_destroy(pthread_cond_t *c) { return 0; }

static int posix_cond_wait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abstime)
{
    struct sync_mutex *sm = posix_sm(m);
    if (!sync_mutex_held(sm))
        return EPERM;
    if (abstime && (abstime->tv_nsec < 0 || abstime->tv_nsec >= 1000000000L))
        return EINVAL;
    unsigned seq = __atomic_load_n(&c->__seq, __ATOMIC_ACQUIRE);
    uint32_t depth = sm->depth;         /* a recursive mutex is released entirely */
    sm->depth = 1;
    (void)sync_mutex_unlock(sm);
    int ret = 0;
    while (__atomic_load_n(&c->__seq, __ATOMIC_ACQUIRE) == seq) {
        if (abstime && posix_past(c->__clock, abstime)) {
            ret = ETIMEDOUT;
            break;
        }
        (void)sync_park(&c->__seq, seq, abstime ? posix_tsc_deadline(c->__clock, abstime) : 0);
    }
    sync_mutex_lock(sm);
    sm->depth = depth;
    return ret;
}

int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
    return posix_cond_wait(c, m, NULL);
}

int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abstime)
{
    return abstime ? posix_cond_wait(c, m, abstime) : EINVAL;
}

int pthread_cond_signal(pthread_cond_t *c)
{
    __atomic_add_fetch(&c->__seq, 1, __ATOMIC_RELEASE);
    (void)sync_unpark(&c->__seq, 1);
    return 0;
}

int pthread_cond_broadcast(pthread_cond_t *c)
{
    __atomic_add_fetch(&c->__seq, 1, __ATOMIC_RELEASE);
    (void)sync_unpark(&c->__seq, UINT32_MAX);
    return 0;
}

/* --- Reader-writer locks --- */

int pthread_rwlockattr_init(pthread_rwlockattr_t *a) { return 0; }
int pthread_rwlockattr_destroy(pthread_rwlockattr_t *a) { return 0; }

int pthread_rwlock_init(pthread_rwlock_t *rw, const pthread_rwlockattr_t *a)
{
    *rw = (pthread_rwlock_t)PTHREAD_RWLOCK_INITIALIZER;
    return 0;
}

int pthread_rwlock_destroy(pthread_rwlock_t *rw)
{
    return rw->__state ? EBUSY : 0;
}

int pthread_rwlock_tryrdlock(pthread_rwlock_t *rw)
{
    int s = __atomic_load_n(&rw->__state, __ATOMIC_RELAXED);
    while (s >= 0 && __atomic_load_n(&rw->__writers, __ATOMIC_RELAXED) == 0) {
        if (__atomic_compare_exchange_n(&rw->__state, &s, s + 1, false, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED))
            return 0;
    }
    return EBUSY;
}

/* Until try(rw) succeeds: the sequence number is read before each try, so
 * an unlock after the try changes it and the park returns at once. */
static void posix_rw_wait(pthread_rwlock_t *rw, int (*try)(pthread_rwlock_t *))
{
    for (;;) {
        unsigned seq = __atomic_load_n(&rw->__seq, __ATOMIC_SEQ_CST);
        if (!try(rw))
            return;
        (void)sync_park(&rw->__seq, seq, 0);
    }
}

/* After a change of the lock that may let waiters in. */
static void posix_rw_wake(pthread_rwlock_t *rw)
{
    __atomic_add_fetch(&rw->__seq, 1, __ATOMIC_SEQ_CST);
    (void)sync_unpark(&rw->__seq, UINT32_MAX);
}

int pthread_rwlock_rdlock(pthread_rwlock_t *rw)
{
    posix_rw_wait(rw, pthread_rwlock_tryrdlock);
    return 0;
}

int pthread_rwlock_trywrlock(pthread_rwlock_t *rw)
{
    int free = 0;
    return __atomic_compare_exchange_n(&rw->__state, &free, -1, false, __ATOMIC_ACQUIRE,
                                       __ATOMIC_RELAXED) ? 0 : EBUSY;
}

int pthread_rwlock_wrlock(pthread_rwlock_t *rw)
{
    __atomic_add_fetch(&rw->__writers, 1, __ATOMIC_RELAXED);
    posix_rw_wait(rw, pthread_rwlock_trywrlock);
    __atomic_sub_fetch(&rw->__writers, 1, __ATOMIC_RELAXED);
    return 0;
}

int pthread_rwlock_unlock(pthread_rwlock_t *rw)
{
    int s = __atomic_load_n(&rw->__state, __ATOMIC_RELAXED);
    if (s == 0)
        return EPERM;
    if (s < 0) {
        __atomic_store_n(&rw->__state, 0, __ATOMIC_RELEASE);
        posix_rw_wake(rw);              /* readers and writers may go */
    } else if (__atomic_sub_fetch(&rw->__state, 1, __ATOMIC_RELEASE) == 0) {
        posix_rw_wake(rw);              /* the last reader: a writer may go */
    }
    return 0;
}

/* --- Once --- */

int pthread_once(pthread_once_t *once, void (*fn)(void))
{
    int state = 0;
    if (__atomic_compare_exchange_n(&once->__state, &state, 1, false, __ATOMIC_ACQUIRE,
                                    __ATOMIC_ACQUIRE)) {
        fn();
        __atomic_store_n(&once->__state, 2, __ATOMIC_RELEASE);
        (void)sync_unpark((const volatile uint32_t *)&once->__state, UINT32_MAX);
        return 0;
    }
    while (__atomic_load_n(&once->__state, __ATOMIC_ACQUIRE) == 1)
        (void)sync_park((const volatile uint32_t *)&once->__state, 1, 0);
    return 0;
}
