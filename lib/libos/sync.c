/*
 * sync.c: a cross-core mutex and the wait ladder behind it (libos/sync.h).
 *
 * The lock word is taken with a compare-and-swap and released with a store
 * (release order), so the holder's writes are visible to the next holder on
 * any core. `owner` and `depth` are written only by the holder while it
 * holds the word; another thread reading `owner` may see a stale value, but
 * never its own TCB unless it is the holder, which is all that
 * sync_mutex_held() and the recursive path need.
 */
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

void sync_mutex_lock(struct sync_mutex *m)
{
    if (sync_mutex_trylock(m))
        return;
    struct sync_backoff b = SYNC_BACKOFF_INIT;
    while (!sync_try(m))
        sync_backoff(&b);
    __atomic_store_n(&m->owner, thread_self(), __ATOMIC_RELAXED);
    m->depth = 1;
}

bool sync_mutex_unlock(struct sync_mutex *m)
{
    if (!sync_mutex_held(m))
        return false;
    if (--m->depth > 0)
        return true;
    __atomic_store_n(&m->owner, NULL, __ATOMIC_RELAXED);
    __atomic_store_n(&m->locked, 0, __ATOMIC_RELEASE);
    return true;
}
