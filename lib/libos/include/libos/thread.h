/**
 * \file thread.h
 * \brief User-level threads, scheduled by the domain's dispatcher
 * (lib/libos/dispatch.c) round-robin on its one core.
 *
 * All threads of a dispatcher run on one core, one at a time; the kernel's
 * timer preempts them (the dispatcher then picks the next one) and
 * thread_yield() switches voluntarily. Scheduler state (run queue, wait
 * queues, thread states) changes only while the dispatcher is disabled
 * (disp_disable(), libos/dispatch.h): that, not an atomic instruction, is
 * what keeps a preemption from seeing it half-changed.
 *
 * A domain that spans cores has one dispatcher per core; a thread stays on
 * the core it was created on (thread_create_on picks it). Wait queues and
 * thread_mutex are per dispatcher: threads on different cores meet through
 * libos/sync.h instead. Each thread has its own FS base (thread_set_tls),
 * switched with its registers.
 *
 * Limits: at most LIBOS_THREADS_MAX threads besides the initial one exist
 * at a time. Their TCBs come from a static pool in .bss (no malloc here);
 * the first LIBOS_THREADS_STATIC slots have 64 KiB stacks there too, and
 * the others run only on a stack their creator gives
 * (thread_create_on_stack: the POSIX layer's pthread stacks, of the size
 * asked for). A slot is reused once its thread has exited and been joined
 * or reaped (thread_gone says when a given stack is free again). Stacks
 * have no guard page: an overflow corrupts the neighbour.
 */
#ifndef LIBOS_THREAD_H
#define LIBOS_THREAD_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <kpi/dispatcher.h>
#include <kpi/errors.h>

#define LIBOS_THREADS_MAX       64
#define LIBOS_THREADS_STATIC    16      /* slots with a stack of their own */
#define LIBOS_MAX_CORES         8
#define LIBOS_THREAD_STACK      (64 * 1024)

typedef int (*thread_func_t)(void *arg);

struct thread;

/** A FIFO of threads (a wait queue, or the run queue), linked through the
 *  threads themselves. A thread is on at most one waitq at a time. */
struct waitq {
    struct thread *head, *tail;
};
#define WAITQ_INITIALIZER { 0, 0 }

enum thread_state {
    THREAD_FREE = 0,        /* pool slot not in use */
    THREAD_RUNNABLE,        /* running, or on the run queue */
    THREAD_BLOCKED,         /* on some other waitq */
    THREAD_EXITED,          /* finished, waiting to be joined */
};

/** A thread control block. The fields are the library's; use the calls. */
struct thread {
    /* Registers while the thread is not running (16-aligned for FXSAVE). */
    struct dispatcher_regs regs;
    /* Changed only while the dispatcher is disabled. */
    struct thread *next;            /* link on `queue` */
    struct waitq *queue;            /* the waitq this thread is on, or NULL */
    enum thread_state state;
    uint32_t id;                    /* 0 for the initial thread */
    /* Life cycle: written by the thread at exit, read by its joiner. */
    int retval;
    bool joining;                   /* a thread_join has claimed this thread */
    bool reap;                      /* no joiner: freed by its dispatcher at exit */
    struct waitq joiners;           /* the joiner, while it waits */
    int slot;                       /* pool slot, -1 for the initial thread */
    uint8_t *stack;                 /* its stack's lowest byte */
    size_t stack_size;
    /* While parked (sync.c): written under the park bucket's lock. */
    const volatile uint32_t *park_addr;
    uint64_t park_deadline;         /* TSC, 0 for none */
    uint32_t park_core;             /* the core of its dispatcher */
    bool park_woken;                /* by sync_unpark, not by its deadline */
};

/** A blocking mutex: waiters queue FIFO, and unlock hands the mutex to the
 *  first of them directly, so no thread can overtake a waiter. */
struct thread_mutex {
    bool locked;
    struct thread *owner;
    struct waitq waiters;
};
#define THREAD_MUTEX_INITIALIZER { false, 0, WAITQ_INITIALIZER }

/* Wait queues (waitq.c): pure bookkeeping, no scheduling. */
void waitq_init(struct waitq *q);
bool waitq_empty(const struct waitq *q);
/** Takes `t` off `q` wherever it is; false if it is not on `q`. */
bool waitq_remove(struct waitq *q, struct thread *t);
/** Appends `t`; false (and nothing changed) if `t` is already on a waitq. */
bool waitq_push(struct waitq *q, struct thread *t);
/** Removes and returns the first thread, or NULL. */
struct thread *waitq_pop(struct waitq *q);

/** Starts fn(arg) in a new thread (runnable, not yet running); *out names it. */
errval_t thread_create(thread_func_t fn, void *arg, struct thread **out);
/** Run fn(arg) as the first thread of a new dispatcher of this domain on
 *  `core` (same address space; Dispatcher.span). Only the domain's first
 *  dispatcher may call it. Threads stay on the core they start on; join
 *  works only between threads of one core (use memory to meet across). */
errval_t disp_span(uint32_t core, thread_func_t fn, void *arg);
/** Starts fn(arg) in a new thread on `core`, which may be another core of
 *  this domain: the first thread placed on a core without a dispatcher
 *  starts one there (Dispatcher.span, made by the first dispatcher for any
 *  other: sys_invoke forwards it), later
 *  ones go through that core's inbox. `tls` is its FS base (0: the
 *  caller's). With `reap` the thread cannot be joined: its slot is freed
 *  when it exits; meet it through memory (libos/sync.h). */
errval_t thread_create_on(uint32_t core, thread_func_t fn, void *arg, uint64_t tls, bool reap,
                          struct thread **out);
/** thread_create_on, on a stack of the caller's: `size` bytes at `stack`
 *  (16-aligned, at least 4 KiB), which must stay untouched until
 *  thread_gone(t, id) says the thread is gone. */
errval_t thread_create_on_stack(uint32_t core, thread_func_t fn, void *arg, uint64_t tls, bool reap,
                                void *stack, size_t size, struct thread **out);
/** True once the thread `t` created with id `id` has ended and its slot is
 *  free (or taken by another thread): its stack is no longer in use. */
bool thread_gone(const struct thread *t, uint32_t id);
/** Lets the other runnable threads run first; returns at once if there are
 *  none, or if called with the dispatcher disabled. */
void thread_yield(void);
/** For a thread waiting on memory another thread (maybe on another core)
 *  will change: lets this dispatcher's other runnable threads run; if
 *  there are none, gives the core away (`sleep`: until the next timer tick
 *  or message, else for the rest of the slice). */
void thread_relax(bool sleep);
/** Sets the calling thread's FS base (its TLS pointer, x86-64 ELF TLS). */
void thread_set_tls(void *tcb);
/** The calling thread's FS base. */
void *thread_get_tls(void);
/** Ends the calling thread; retval goes to its joiner. The last thread of
 *  the domain to exit ends the domain with status 0. */
_Noreturn void thread_exit(int retval);
/** Waits for `t` to exit, stores its return value in *retval (if not NULL)
 *  and frees it. One joiner per thread. */
errval_t thread_join(struct thread *t, int *retval);
/** The calling thread. */
struct thread *thread_self(void);
/** The calling thread's id (0 for the initial thread). */
uint32_t thread_id(const struct thread *t);

/** Sleeps on `q` until woken. MUST be entered with the dispatcher disabled
 *  (so the caller's check of its condition and its sleep are one step);
 *  returns with it enabled. */
void thread_block(struct waitq *q);
/** Makes the first sleeper on `q` runnable; returns it, or NULL. Works
 *  enabled or disabled and leaves that state as it was. */
struct thread *thread_wake_one(struct waitq *q);
/** Makes every sleeper on `q` runnable; returns how many there were. */
unsigned thread_wake_all(struct waitq *q);

void thread_mutex_init(struct thread_mutex *m);
/** Takes `m`, sleeping FIFO while another thread holds it. Locking a mutex
 *  the caller already holds is a bug and panics. */
void thread_mutex_lock(struct thread_mutex *m);
/** Takes `m` only if it is free; true if taken. */
bool thread_mutex_trylock(struct thread_mutex *m);
/** Releases `m` (held by the caller: anything else panics). */
void thread_mutex_unlock(struct thread_mutex *m);
#endif
