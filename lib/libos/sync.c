/*
 * sync.c: a cross-core mutex and the wait ladder behind it (libos/sync.h).
 *
 * The lock word is taken with a compare-and-swap and released with a store
 * (release order), so the holder's writes are visible to the next holder on
 * any core. `owner` and `depth` are written only by the holder while it
 * holds the word; another thread reading `owner` may see a stale value, but
 * never its own TCB unless it is the holder, which is all that
 * sync_mutex_held() and the recursive path need.
 *
 * Parking (the futex of this library OS): a thread waiting for a word to
 * change queues itself in the bucket of a domain-wide hash table the
 * word's address picks, and blocks in its dispatcher; whoever changes the
 * word unparks it: a user-level switch when both run on one core, else it
 * goes to its core's inbox and that dispatcher is woken if it sleeps
 * (disp_wake_remote: SYS_WAKE, an IPI). Lost wake-ups are ruled out by
 * the order on each side: the parker queues itself, then (fence) looks at
 * the word; the waker changes the word, then takes the bucket lock. A
 * deadline is checked by the parker's dispatcher whenever it schedules or
 * wakes (at the latest on the next timer tick).
 *
 * The mutex word is 0 (free), 1 (held) or 2 (held, and someone may be
 * parked on it): lock spins a little, then sets 2 and parks; an unlock
 * that finds 2 unparks one waiter (Drepper, "Futexes are tricky", mutex 2).
 */
#include "dispatch_internal.h"
#include <libos/debug.h>
#include <libos/dispatch.h>
#include <libos/libos.h>
#include <libos/sync.h>
#include <libos/thread.h>
#include <libos/tsc.h>
#include <stddef.h>

void sync_backoff(struct sync_backoff *b)
{
    if (b->spins < SYNC_SPINS) {
        b->spins++;
        __asm__ volatile("pause");
        return;
    }
    uint64_t now = rdtsc_now();
    if (!b->start)
        b->start = now;
    uint64_t hz = libos_tsc_hz();
    bool sleep = hz && now - b->start > hz / 1000000 * SYNC_SLEEP_AFTER_US;
    thread_relax(sleep);
}

/* --- Parking --- */

#define PARK_BUCKETS 64
#define PARK_DISABLED_SAY (1u << 24)     /* spins in a disabled section before a line */

struct park_bucket {
    volatile int lock;
    struct waitq q;                 /* parked threads of any core */
} __attribute__((aligned(64)));

static struct park_bucket park_table[PARK_BUCKETS];
static struct sync_park_stats park_counts;     /* atomic adds */

#define PARK_COUNT(field) __atomic_add_fetch(&park_counts.field, 1, __ATOMIC_RELAXED)

void sync_park_stats(struct sync_park_stats *out)
{
    out->parks = __atomic_load_n(&park_counts.parks, __ATOMIC_RELAXED);
    out->local_wakes = __atomic_load_n(&park_counts.local_wakes, __ATOMIC_RELAXED);
    out->remote_wakes = __atomic_load_n(&park_counts.remote_wakes, __ATOMIC_RELAXED);
    out->sys_wakes = __atomic_load_n(&park_counts.sys_wakes, __ATOMIC_RELAXED);
    out->timeouts = __atomic_load_n(&park_counts.timeouts, __ATOMIC_RELAXED);
}

static struct park_bucket *park_bucket(const volatile uint32_t *addr)
{
    uintptr_t x = (uintptr_t)addr >> 2;
    return &park_table[(x ^ x >> 6 ^ x >> 12) % PARK_BUCKETS];
}

static void bucket_acquire(struct park_bucket *b)
{
    while (__atomic_exchange_n(&b->lock, 1, __ATOMIC_ACQUIRE))
        __asm__ volatile("pause");
}

static void bucket_release(struct park_bucket *b)
{
    __atomic_store_n(&b->lock, 0, __ATOMIC_RELEASE);
}

bool sync_park(const volatile uint32_t *addr, uint32_t expected, uint64_t deadline)
{
    if (disp_disable()) {
        /* In a critical section the caller spins. That ends only if the
         * word's changer runs on another core: said once, for the log of a
         * wait that never ends (a hang seen once in posix_suite under load). */
        static uint32_t spins;
        if (__atomic_add_fetch(&spins, 1, __ATOMIC_RELAXED) == PARK_DISABLED_SAY)
            debug_printf("libos: %u looks of sync_park with the dispatcher disabled so far "
                         "(the latest on %p): only another core can end such a wait\n",
                         PARK_DISABLED_SAY, (const void *)addr);
        __asm__ volatile("pause");
        return true;
    }
    struct libos_disp *d = disp_self();
    struct thread *me = d->current;
    struct park_bucket *b = park_bucket(addr);
    me->park_addr = addr;
    me->park_deadline = deadline;
    me->park_core = libos_core_id();
    me->park_woken = false;
    bucket_acquire(b);
    if (!waitq_push(&b->q, me))
        debug_panic("sync_park: thread %u is already on a queue", me->id);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* queued, then look (see top) */
    if (__atomic_load_n(addr, __ATOMIC_ACQUIRE) != expected ||
        (deadline && rdtsc_now() >= deadline)) {
        bool changed = __atomic_load_n(addr, __ATOMIC_RELAXED) != expected;
        (void)waitq_remove(&b->q, me);
        bucket_release(b);
        disp_enable();
        return changed;
    }
    me->state = THREAD_BLOCKED;
    PARK_COUNT(parks);
    d->nparked++;
    if (deadline && (d->ntimed++ == 0 || deadline < d->next_deadline))
        d->next_deadline = deadline;
    bucket_release(b);
    disp_reschedule(d, false);          /* returns enabled, woken */
    disp_disable();
    d->nparked--;
    if (deadline)
        d->ntimed--;
    bool woken = me->park_woken;
    disp_enable();
    return woken;
}

unsigned sync_unpark(const volatile uint32_t *addr, unsigned n)
{
    struct park_bucket *b = park_bucket(addr);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* the word changed, then look */
    if (!__atomic_load_n(&b->q.head, __ATOMIC_RELAXED))
        return 0;
    bool was = disp_disable();
    struct waitq woken;
    waitq_init(&woken);
    unsigned k = 0;
    bucket_acquire(b);
    for (struct thread *t = b->q.head, *next; t && k < n; t = next) {
        next = t->next;
        if (t->park_addr != addr)
            continue;
        (void)waitq_remove(&b->q, t);
        t->park_woken = true;
        (void)waitq_push(&woken, t);
        k++;
    }
    bucket_release(b);
    struct thread *t;
    uint32_t here = libos_core_id();
    while ((t = waitq_pop(&woken))) {
        if (t->park_core == here) {
            PARK_COUNT(local_wakes);
        } else {
            PARK_COUNT(remote_wakes);
        }
        if (disp_wake_remote(t->park_core, t))
            PARK_COUNT(sys_wakes);
    }
    if (!was)
        disp_enable();
    return k;
}

void sync_park_expire(struct libos_disp *d, uint64_t now)
{
    uint32_t core = libos_core_id();
    uint64_t next = UINT64_MAX;
    for (int i = 0; i < PARK_BUCKETS; i++) {
        struct park_bucket *b = &park_table[i];
        if (!__atomic_load_n(&b->q.head, __ATOMIC_RELAXED))
            continue;
        bucket_acquire(b);
        for (struct thread *t = b->q.head, *n; t; t = n) {
            n = t->next;
            if (t->park_core != core || !t->park_deadline)
                continue;
            if (t->park_deadline <= now) {
                (void)waitq_remove(&b->q, t);
                disp_make_runnable(t);  /* park_woken stays false: timed out */
                PARK_COUNT(timeouts);
            } else if (t->park_deadline < next) {
                next = t->park_deadline;
            }
        }
        bucket_release(b);
    }
    d->next_deadline = next;
}

/* --- The mutex --- */

static bool sync_try(struct sync_mutex *m)
{
    uint32_t free = 0;
    return __atomic_load_n(&m->locked, __ATOMIC_RELAXED) == 0 &&
           __atomic_compare_exchange_n(&m->locked, &free, 1, false, __ATOMIC_ACQUIRE,
                                       __ATOMIC_RELAXED);
}

bool sync_mutex_held(const struct sync_mutex *m)
{
    return __atomic_load_n(&m->locked, __ATOMIC_RELAXED) &&
           __atomic_load_n(&m->owner, __ATOMIC_RELAXED) == thread_self();
}

bool sync_mutex_trylock(struct sync_mutex *m)
{
    if (m->recursive && sync_mutex_held(m)) {
        m->depth++;
        return true;
    }
    if (!sync_try(m))
        return false;
    __atomic_store_n(&m->owner, thread_self(), __ATOMIC_RELAXED);
    m->depth = 1;
    return true;
}

bool sync_mutex_lock_until(struct sync_mutex *m, uint64_t deadline)
{
    if (sync_mutex_trylock(m))
        return true;
    for (unsigned i = 0; i < SYNC_SPINS; i++) {
        __asm__ volatile("pause");      /* the holder may be about to let go */
        if (sync_try(m))
            goto taken;
    }
    /* Giving up leaves the word at 2: the next unlock then unparks no one,
     * which costs a look at one bucket and nothing else. */
    while (__atomic_exchange_n(&m->locked, 2, __ATOMIC_ACQUIRE) != 0) {
        if (deadline && rdtsc_now() >= deadline)
            return false;
        (void)sync_park(&m->locked, 2, deadline);
    }
taken:
    __atomic_store_n(&m->owner, thread_self(), __ATOMIC_RELAXED);
    m->depth = 1;
    return true;
}

void sync_mutex_lock(struct sync_mutex *m)
{
    (void)sync_mutex_lock_until(m, 0);
}

bool sync_mutex_unlock(struct sync_mutex *m)
{
    if (!sync_mutex_held(m))
        return false;
    if (--m->depth > 0)
        return true;
    __atomic_store_n(&m->owner, NULL, __ATOMIC_RELAXED);
    if (__atomic_exchange_n(&m->locked, 0, __ATOMIC_RELEASE) == 2)
        (void)sync_unpark(&m->locked, 1);
    return true;
}
