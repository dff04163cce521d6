/*
 * thread.c: user-level threads, wait queues and mutexes on top of the
 * dispatcher (see libos/thread.h for the interface and its limits).
 *
 * TCBs come from a static pool, and so do the stacks of the first
 * LIBOS_THREADS_STATIC slots (the rest run on their creator's); a slot is THREAD_FREE until
 * thread_create takes it and becomes free again when thread_join has
 * collected its exit value (the initial thread has no slot). A new
 * thread's registers are built so that disp_resume() enters
 * thread_start(fn, arg) as if it had been called: rsp = stack top - 8,
 * IF set, default FPU/SSE control words.
 *
 * Every change of a state, a queue or a mutex happens with the dispatcher
 * disabled; a call that may sleep (join, mutex lock, lmp_recv) must be
 * made enabled and panics otherwise, because it would return enabled.
 */
#include "dispatch_internal.h"
#include <libos/debug.h>
#include <libos/dispatch.h>
#include <libos/libos.h>
#include <libos/syscall.h>
#include <libos/thread.h>
#include <stddef.h>
#include <string.h>

/* rflags of a new thread: IF, and bit 1, which is always set. */
#define THREAD_RFLAGS_INIT  0x202
/* FXSAVE image defaults (Intel SDM vol. 1, 10.5.1): x87 control word with
 * all exceptions masked and 64-bit precision; MXCSR with all masked. */
#define FXSAVE_FCW_OFFSET   0
#define FXSAVE_MXCSR_OFFSET 24
#define FCW_INIT            0x037f
#define MXCSR_INIT          0x1f80

static struct thread thread_pool[LIBOS_THREADS_MAX];
static uint8_t thread_stacks[LIBOS_THREADS_STATIC][LIBOS_THREAD_STACK] __attribute__((aligned(16)));
static uint32_t thread_next_id = 1;        /* under pool_lock */
/* The pool is shared by the domain's dispatchers on all cores. */
static volatile int pool_lock;

static void pool_acquire(void)
{
    while (__atomic_exchange_n(&pool_lock, 1, __ATOMIC_ACQUIRE))
        __asm__ volatile("pause");
}

static void pool_release(void)
{
    __atomic_store_n(&pool_lock, 0, __ATOMIC_RELEASE);
}

/* Where a new thread begins, enabled, on its own stack. */
static _Noreturn void thread_start(thread_func_t fn, void *arg)
{
    thread_exit(fn(arg));
}

static void thread_init_regs(struct thread *t, thread_func_t fn, void *arg)
{
    struct dispatcher_regs *r = &t->regs;
    memset(r, 0, sizeof *r);
    uint64_t top = (uint64_t)(t->stack + t->stack_size);
    top -= 8;
    *(uint64_t *)top = 0;               /* thread_start's (null) return address */
    r->rsp = top;
    r->rip = (uint64_t)thread_start;
    r->rdi = (uint64_t)fn;
    r->rsi = (uint64_t)arg;
    r->rflags = THREAD_RFLAGS_INIT;
    uint16_t fcw = FCW_INIT;
    uint32_t mxcsr = MXCSR_INIT;
    memcpy(&r->fxsave[FXSAVE_FCW_OFFSET], &fcw, sizeof fcw);
    memcpy(&r->fxsave[FXSAVE_MXCSR_OFFSET], &mxcsr, sizeof mxcsr);
}

/* A free slot: one with a stack of its own when `stack` is NULL, else
 * preferably one without (those are kept for callers with no stack). */
static errval_t thread_alloc_stack(thread_func_t fn, void *arg, uint8_t *stack, size_t size,
                                   struct thread **out)
{
    if (!fn || !out || (stack && (size < 4096 || ((uintptr_t)stack | size) % 16)))
        return LIBOS_ERR_BAD_ARG;
    bool was = disp_disable();
    pool_acquire();
    struct thread *t = NULL;
    for (int k = 0; k < LIBOS_THREADS_MAX && !t; k++) {
        int i = stack ? LIBOS_THREADS_MAX - 1 - k : k;
        if (!stack && i >= LIBOS_THREADS_STATIC)
            break;
        if (thread_pool[i].state == THREAD_FREE)
            t = &thread_pool[i];
    }
    if (t) {
        int slot = (int)(t - thread_pool);
        memset(t, 0, sizeof *t);
        t->slot = slot;
        t->id = thread_next_id++;
        t->state = THREAD_BLOCKED;      /* taken; not runnable yet */
        t->stack = stack ? stack : thread_stacks[slot];
        t->stack_size = stack ? size : LIBOS_THREAD_STACK;
    }
    pool_release();
    if (!was)
        disp_enable();
    if (!t)
        return LIBOS_ERR_THREAD_NO_SLOT;
    waitq_init(&t->joiners);
    thread_init_regs(t, fn, arg);
    t->regs.fs_base = (uint64_t)thread_get_tls();   /* the creator's TLS, by default */
    *out = t;
    return ERR_OK;
}

errval_t thread_alloc(thread_func_t fn, void *arg, struct thread **out)
{
    return thread_alloc_stack(fn, arg, NULL, 0, out);
}

bool thread_gone(const struct thread *t, uint32_t id)
{
    pool_acquire();
    bool gone = t->state == THREAD_FREE || t->id != id;
    pool_release();
    return gone;
}

void thread_free(struct thread *t)
{
    pool_acquire();
    t->state = THREAD_FREE;
    pool_release();
}

errval_t thread_create(thread_func_t fn, void *arg, struct thread **out)
{
    struct thread *t;
    errval_t err = thread_alloc(fn, arg, &t);
    if (err_is_fail(err))
        return err;
    bool was = disp_disable();
    disp_self()->nlive++;
    disp_make_runnable(t);
    *out = t;
    if (!was)
        disp_enable();
    return ERR_OK;
}

errval_t thread_create_on(uint32_t core, thread_func_t fn, void *arg, uint64_t tls, bool reap,
                          struct thread **out)
{
    return thread_create_on_stack(core, fn, arg, tls, reap, NULL, 0, out);
}

errval_t thread_create_on_stack(uint32_t core, thread_func_t fn, void *arg, uint64_t tls, bool reap,
                                void *stack, size_t size, struct thread **out)
{
    if (!out)
        return LIBOS_ERR_BAD_ARG;
    struct thread *t;
    errval_t err = thread_alloc_stack(fn, arg, stack, size, &t);
    if (err_is_fail(err))
        return err;
    if (tls)
        t->regs.fs_base = tls;
    t->reap = reap;
    *out = t;
    bool was = disp_disable();
    if (core == libos_core_id()) {
        disp_self()->nlive++;
        disp_make_runnable(t);
        if (!was)
            disp_enable();
        return ERR_OK;
    }
    if (!was)
        disp_enable();
    err = disp_place(core, t);
    if (err_is_fail(err))
        thread_free(t);
    return err;
}

void thread_set_tls(void *tcb)
{
    bool was = disp_disable();
    struct libos_disp *d = disp_self();
    d->current->regs.fs_base = (uint64_t)tcb;
    if (d->shared->features & DISP_FEATURE_FSGSBASE)
        __asm__ volatile("wrfsbase %0" ::"r"((uint64_t)tcb) : "memory");
    else
        (void)sys_set_fs_base((uint64_t)tcb);
    if (!was)
        disp_enable();
}

void *thread_get_tls(void)
{
    struct libos_disp *d = disp_self();
    if (!(d->shared->features & DISP_FEATURE_FSGSBASE))
        return d->current ? (void *)d->current->regs.fs_base : NULL;
    uint64_t base;
    __asm__ volatile("rdfsbase %0" : "=r"(base));
    return (void *)base;
}

void thread_relax(bool sleep)
{
    if (disp_disable())
        return;
    struct libos_disp *d = disp_self();
    disp_poll_lmp(d);
    disp_poll_inbox(d);                 /* woken threads, the origin's calls */
    if (!waitq_empty(&d->runq)) {
        disp_reschedule(d, true);
        return;
    }
    disp_enable();
    (void)(sleep ? disp_idle(d) : sys_yield(SYS_YIELD_SLICE));
}

struct thread *thread_self(void)
{
    return disp_self()->current;
}

uint32_t thread_id(const struct thread *t)
{
    return t->id;
}

void thread_yield(void)
{
    if (disp_disable())
        return;                         /* inside a critical section: keep it */
    struct libos_disp *d = disp_self();
    disp_poll_lmp(d);
    disp_poll_inbox(d);
    if (waitq_empty(&d->runq)) {
        disp_enable();
        return;
    }
    disp_reschedule(d, true);
}

void thread_block(struct waitq *q)
{
    struct libos_disp *d = disp_self();
    struct thread *me = d->current;
    if (!disp_is_disabled())
        debug_panic("thread_block: thread %u called it with the dispatcher enabled", me->id);
    me->state = THREAD_BLOCKED;
    if (!waitq_push(q, me))
        debug_panic("thread_block: thread %u is already on a queue", me->id);
    disp_reschedule(d, false);
}

struct thread *thread_wake_one(struct waitq *q)
{
    bool was = disp_disable();
    struct thread *t = waitq_pop(q);
    if (t)
        disp_make_runnable(t);
    if (!was)
        disp_enable();
    return t;
}

unsigned thread_wake_all(struct waitq *q)
{
    bool was = disp_disable();
    unsigned n = 0;
    struct thread *t;
    while ((t = waitq_pop(q))) {
        disp_make_runnable(t);
        n++;
    }
    if (!was)
        disp_enable();
    return n;
}

_Noreturn void thread_exit(int retval)
{
    disp_disable();
    struct libos_disp *d = disp_self();
    struct thread *me = d->current;
    me->retval = retval;
    me->state = THREAD_EXITED;
    d->nlive--;
    (void)thread_wake_all(&me->joiners);    /* stays disabled: it was */
    disp_reschedule(d, false);              /* does not return: we exited */
    debug_panic("thread_exit: exited thread %u was resumed", me->id);
}

errval_t thread_join(struct thread *t, int *retval)
{
    if (!t)
        return LIBOS_ERR_BAD_ARG;
    if (t == thread_self())
        return LIBOS_ERR_THREAD_JOIN_SELF;
    disp_disable_to_block("thread_join");
    if (t->state == THREAD_FREE) {
        disp_enable();
        return LIBOS_ERR_BAD_ARG;       /* already joined and freed */
    }
    if (t->joining) {
        disp_enable();
        return LIBOS_ERR_THREAD_JOINED;
    }
    t->joining = true;
    while (t->state != THREAD_EXITED) {
        thread_block(&t->joiners);
        disp_disable();
    }
    if (retval)
        *retval = t->retval;
    if (t->slot >= 0)
        t->state = THREAD_FREE;         /* its stack is no longer in use */
    disp_enable();
    return ERR_OK;
}

void thread_mutex_init(struct thread_mutex *m)
{
    m->locked = false;
    m->owner = NULL;
    waitq_init(&m->waiters);
}

void thread_mutex_lock(struct thread_mutex *m)
{
    disp_disable_to_block("thread_mutex_lock");
    struct thread *me = thread_self();
    if (!m->locked) {
        m->locked = true;
        m->owner = me;
        disp_enable();
        return;
    }
    if (m->owner == me)
        debug_panic("thread_mutex_lock: thread %u already holds mutex %p", me->id, (void *)m);
    thread_block(&m->waiters);          /* unlock hands us the mutex */
    if (m->owner != me)
        debug_panic("thread_mutex_lock: thread %u woken without the mutex %p", me->id,
                    (void *)m);
}

bool thread_mutex_trylock(struct thread_mutex *m)
{
    bool was = disp_disable();
    bool taken = !m->locked;
    if (taken) {
        m->locked = true;
        m->owner = thread_self();
    }
    if (!was)
        disp_enable();
    return taken;
}

void thread_mutex_unlock(struct thread_mutex *m)
{
    bool was = disp_disable();
    struct thread *me = thread_self();
    if (!m->locked || m->owner != me)
        debug_panic("thread_mutex_unlock: thread %u does not hold mutex %p", me->id, (void *)m);
    struct thread *next = waitq_pop(&m->waiters);
    if (next) {
        m->owner = next;                /* handed over: stays locked */
        disp_make_runnable(next);
    } else {
        m->locked = false;
        m->owner = NULL;
    }
    if (!was)
        disp_enable();
}
