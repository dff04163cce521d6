/**
 * \file sync.h
 * \brief Locks and waits that work between threads on different cores of a
 * spanning domain: words in the domain's shared memory changed with atomic
 * instructions, never the per-dispatcher wait queues of libos/thread.h.
 *
 * A mutex waiter spins a little (the holder is likely running on another
 * core), then parks (sync_park): blocked in its dispatcher until the
 * unlock wakes it, at once, from any core. Waits for a word someone will
 * change should park too (lib/posix's condition variables, rwlocks, once
 * and join do); the ladder (sync_backoff: spin, let the dispatcher's other
 * threads run, and after SYNC_SLEEP_AFTER_US sleep until the next timer
 * tick between looks) is for conditions no one signals. A woken waiter
 * may be overtaken: there is no fairness. A deadline is seen at the
 * dispatcher's next scheduling decision or timer tick (10 ms at most).
 */
#ifndef LIBOS_SYNC_H
#define LIBOS_SYNC_H
#include <stdbool.h>
#include <stdint.h>

struct thread;

#define SYNC_SPINS              64      /* pause loops before yielding */
#define SYNC_SLEEP_AFTER_US     2000    /* then sleep a tick between looks */

/** One wait in progress: where it is in the spin / yield / sleep ladder. */
struct sync_backoff {
    uint64_t start;             /* TSC at the first yield, 0 before */
    unsigned spins;
};
#define SYNC_BACKOFF_INIT { 0, 0 }

/** One step of waiting; call it in the loop that re-checks the condition. */
void sync_backoff(struct sync_backoff *b);

/** Blocks the calling thread while *addr == expected, until sync_unpark on
 *  addr or (deadline != 0) the TSC reaches deadline. True if unparked or
 *  the word had changed already; false on the deadline. May return early
 *  (callers loop on their condition); with the dispatcher disabled it
 *  returns at once. */
bool sync_park(const volatile uint32_t *addr, uint32_t expected, uint64_t deadline);
/** Wakes up to n threads parked on addr (any core); returns how many. */
unsigned sync_unpark(const volatile uint32_t *addr, unsigned n);

/** What parking has done in this domain so far (counted, never reset). */
struct sync_park_stats {
    uint64_t parks;             /* threads that blocked in sync_park */
    uint64_t local_wakes;       /* unparked by a thread of their own core */
    uint64_t remote_wakes;      /* unparked from another core (its inbox) */
    uint64_t sys_wakes;         /* of those, SYS_WAKE calls: the core slept */
    uint64_t timeouts;          /* woken by their deadline */
};
void sync_park_stats(struct sync_park_stats *out);

/** A mutex in shared memory; `recursive` lets its holder lock it again
 *  (it is then free after as many unlocks). All zero is an unlocked,
 *  non-recursive mutex. */
struct sync_mutex {
    uint32_t locked;            /* atomic: 0 free, 1 held, 2 held + parked waiters */
    uint32_t depth;             /* holder only: recursive locks held */
    struct thread *owner;       /* the holder (libos TCBs are domain-wide) */
    bool recursive;
};
#define SYNC_MUTEX_INITIALIZER { 0, 0, 0, false }
#define SYNC_MUTEX_RECURSIVE_INITIALIZER { 0, 0, 0, true }

void sync_mutex_lock(struct sync_mutex *m);
/** sync_mutex_lock, giving up when the TSC reaches `deadline` (0: never);
 *  true if taken. The waiter parks, so an unlock wakes it at once. */
bool sync_mutex_lock_until(struct sync_mutex *m, uint64_t deadline);
/** True if taken (or, recursive, taken again by its holder). */
bool sync_mutex_trylock(struct sync_mutex *m);
/** Releases one level; false (and nothing changed) if the caller does not
 *  hold it. */
bool sync_mutex_unlock(struct sync_mutex *m);
/** Whether the calling thread holds it. */
bool sync_mutex_held(const struct sync_mutex *m);
#endif
