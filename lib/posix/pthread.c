/*
 * pthread.c: POSIX threads on libos user threads (pthread.h): create,
 * join, detach, exit, self, attributes, thread-specific keys.
 *
 * Each pthread is a libos thread created with thread_create_on() on the
 * core its attributes name, with `reap` set (libos frees its TCB and
 * stack when it ends) and its own TLS block from the C library's glue
 * (glue_tls_new: __thread variables, errno). The pthread's own record,
 * struct posix_thread, is malloc'd and found through the TCB (tls_tcb
 * ->thread). Joining happens in memory, not on libos wait queues, so a
 * thread on one core can join one on another: the thread sets `done`
 * (release) when it ends and unparks its joiner, which parks on `done`.
 *
 * Lifetime: a record has two references, the thread's and its joiner's
 * (pthread_join or pthread_detach gives that one up). Whoever drops the
 * last one frees the record and the TLS block, except the thread itself,
 * which is still running on them: it puts the record on the graveyard, and
 * the next pthread_create or pthread_join frees it (the thread no longer
 * touches either once it has pushed it there).
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include <libos/libos.h>
#include <libos/sync.h>
#include <libos/thread.h>
#include <libos/tls.h>
#include <posix/libc.h>

/* How long pthread_create waits for a libos thread slot to come free (an
 * ended thread's slot is freed at its dispatcher's next reschedule). */
#define POSIX_SLOT_WAIT_MS 200

struct posix_thread {
    void *(*start)(void *);
    void *arg;
    void *retval;
    struct tls_tcb *tcb;            /* its TLS block (NULL: the initial thread's) */
    uint32_t done;                  /* atomic: set once the thread has ended */
    uint32_t refs;                  /* atomic: the thread's and the joiner's */
    uint32_t joined;                /* atomic: a join or detach claimed it */
    struct posix_thread *grave;     /* link on the graveyard */
    void *specific[PTHREAD_KEYS_MAX];
    char name[16];                  /* pthread_setname_np */
    void *stack;                    /* malloc'd, of the size asked for */
    struct thread *lt;              /* the libos thread running on it, and its id */
    uint32_t lt_id;
    struct posix_thread *yard;      /* link on posix_stackyard */
};

static struct posix_thread posix_initial = { .refs = 2 };
static struct posix_thread *posix_graveyard;     /* atomic stack */
static uint32_t posix_next_core;                 /* PTHREAD_CORE_ANY_NP */

static struct sync_mutex posix_key_lock = SYNC_MUTEX_INITIALIZER;
static bool posix_key_used[PTHREAD_KEYS_MAX];
static void (*posix_key_dtor[PTHREAD_KEYS_MAX])(void *);

/* Threads whose stack may still be in use (their libos thread has not
 * been reaped yet): freed by posix_reap_stackyard once it has. */
static struct sync_mutex posix_stackyard_lock = SYNC_MUTEX_INITIALIZER;
static struct posix_thread *posix_stackyard;

static void posix_free(struct posix_thread *pt)
{
    if (pt == &posix_initial)
        return;
    glue_tls_free(pt->tcb);
    pt->tcb = NULL;
    if (pt->lt && !thread_gone(pt->lt, pt->lt_id)) {
        sync_mutex_lock(&posix_stackyard_lock);
        pt->yard = posix_stackyard;
        posix_stackyard = pt;
        sync_mutex_unlock(&posix_stackyard_lock);
        return;
    }
    free(pt->stack);
    free(pt);
}

static void posix_reap_stackyard(void)
{
    sync_mutex_lock(&posix_stackyard_lock);
    for (struct posix_thread **pp = &posix_stackyard; *pp;) {
        struct posix_thread *pt = *pp;
        if (thread_gone(pt->lt, pt->lt_id)) {
            *pp = pt->yard;
            free(pt->stack);
            free(pt);
        } else {
            pp = &pt->yard;
        }
    }
    sync_mutex_unlock(&posix_stackyard_lock);
}

static void posix_reap_graveyard(void)
{
    struct posix_thread *pt = __atomic_exchange_n(&posix_graveyard, NULL, __ATOMIC_ACQUIRE);
    while (pt) {
        struct posix_thread *next = pt->grave;
        posix_free(pt);
        pt = next;
    }
}

/* Drops one reference; true if it was the last. */
static bool posix_unref(struct posix_thread *pt)
{
    return __atomic_sub_fetch(&pt->refs, 1, __ATOMIC_ACQ_REL) == 0;
}

pthread_t pthread_self(void)
{
    struct tls_tcb *tcb = tls_tcb_self();
    if (!tcb->thread)
        tcb->thread = &posix_initial;   /* the initial thread, or a raw libos one */
    return tcb->thread;
}

int pthread_equal(pthread_t a, pthread_t b)
{
    return a == b;
}

/* Runs the key destructors of the calling thread (POSIX: repeatedly, while
 * values remain, at most PTHREAD_DESTRUCTOR_ITERATIONS rounds). */
static void posix_run_destructors(struct posix_thread *pt)
{
    for (int round = 0; round < PTHREAD_DESTRUCTOR_ITERATIONS; round++) {
        bool any = false;
        for (int k = 0; k < PTHREAD_KEYS_MAX; k++) {
            void *v = pt->specific[k];
            void (*dtor)(void *) = posix_key_dtor[k];
            if (!v || !dtor || !posix_key_used[k])
                continue;
            pt->specific[k] = NULL;
            dtor(v);
            any = true;
        }
        if (!any)
            return;
    }
}

static _Noreturn void posix_finish(struct posix_thread *pt, void *retval)
{
    pt->retval = retval;
    posix_run_destructors(pt);
    __atomic_store_n(&pt->done, 1, __ATOMIC_RELEASE);
    (void)sync_unpark(&pt->done, UINT32_MAX);   /* its joiner, parked on done */
    if (posix_unref(pt) && pt != &posix_initial) {
        /* Detached: still on its TLS block, so others free it. */
        struct posix_thread *head = __atomic_load_n(&posix_graveyard, __ATOMIC_RELAXED);
        do
            pt->grave = head;
        while (!__atomic_compare_exchange_n(&posix_graveyard, &head, pt, true,
                                            __ATOMIC_RELEASE, __ATOMIC_RELAXED));
    }
    thread_exit(0);
}

void pthread_exit(void *retval)
{
    __pthread_cleanup_run_all();
    posix_finish(pthread_self(), retval);
}

static int posix_start(void *arg)
{
    struct posix_thread *pt = arg;
    posix_finish(pt, pt->start(pt->arg));
}

/* The core a new thread goes to, or -1 if the attribute is out of range. */
static int posix_pick_core(const pthread_attr_t *attr)
{
    int core = attr ? attr->__core : -1;
    int ncores = (int)libos_ncores();
    if (ncores > LIBOS_MAX_CORES)
        ncores = LIBOS_MAX_CORES;
    if (core == -1)
        return (int)libos_core_id();
    if (core == PTHREAD_CORE_ANY_NP) {
        uint32_t n = __atomic_fetch_add(&posix_next_core, 1, __ATOMIC_RELAXED);
        return (int)((libos_core_id() + n) % (uint32_t)ncores);
    }
    return core >= 0 && core < ncores ? core : -1;
}

int pthread_create(pthread_t *out, const pthread_attr_t *attr, void *(*start)(void *), void *arg)
{
    if (!out || !start)
        return EINVAL;
    int core = posix_pick_core(attr);
    if (core < 0)
        return EINVAL;
    posix_reap_graveyard();
    posix_reap_stackyard();
    size_t stack_size = ((attr ? attr->__stacksize : LIBOS_THREAD_STACK) + 15) & ~(size_t)15;
    struct posix_thread *pt = calloc(1, sizeof *pt);
    struct tls_tcb *tcb = pt ? glue_tls_new() : NULL;
    void *stack = tcb ? memalign(16, stack_size) : NULL;
    if (!stack) {
        if (tcb)
            glue_tls_free(tcb);
        free(pt);
        return EAGAIN;
    }
    pt->start = start;
    pt->arg = arg;
    pt->tcb = tcb;
    pt->stack = stack;
    /* The thread's, the joiner's, and ours until pt->lt is set (the
     * thread may end and be joined before thread_create_on_stack returns). */
    pt->refs = 3;
    tcb->thread = pt;
    bool detached = attr && attr->__detach == PTHREAD_CREATE_DETACHED;
    if (detached) {
        pt->joined = 1;
        pt->refs = 2;
    }
    *out = pt;      /* before it runs: it may look itself up through *out */
    uint64_t hz = libos_tsc_hz(), t0 = 0;
    struct sync_backoff b = SYNC_BACKOFF_INIT;
    for (;;) {
        struct thread *t;
        errval_t err = thread_create_on_stack((uint32_t)core, posix_start, pt, (uint64_t)tcb, true,
                                              stack, stack_size, &t);
        if (err_is_ok(err)) {
            pt->lt_id = thread_id(t);   /* a later thread's id at worst: its end frees the stack */
            __atomic_store_n(&pt->lt, t, __ATOMIC_RELEASE);
            if (posix_unref(pt))
                posix_free(pt);
            return 0;
        }
        if (err_no(err) == LIBOS_ERR_THREAD_NO_SLOT) {
            uint64_t now = __builtin_ia32_rdtsc();
            if (!t0)
                t0 = now;
            if (now - t0 < hz / 1000 * POSIX_SLOT_WAIT_MS) {
                sync_backoff(&b);
                continue;
            }
        }
        posix_free(pt);
        return EAGAIN;
    }
}

int pthread_join(pthread_t pt, void **retval)
{
    if (!pt)
        return ESRCH;
    if (pt == pthread_self())
        return EDEADLK;
    if (__atomic_exchange_n(&pt->joined, 1, __ATOMIC_ACQ_REL))
        return EINVAL;              /* detached, or another join */
    while (!__atomic_load_n(&pt->done, __ATOMIC_ACQUIRE))
        (void)sync_park(&pt->done, 0, 0);
    if (retval)
        *retval = pt->retval;
    if (posix_unref(pt))
        posix_free(pt);
    posix_reap_graveyard();
    return 0;
}

int pthread_detach(pthread_t pt)
{
    if (!pt)
        return ESRCH;
    if (__atomic_exchange_n(&pt->joined, 1, __ATOMIC_ACQ_REL))
        return EINVAL;
    if (posix_unref(pt))
        posix_free(pt);             /* it had ended already */
    return 0;
}

int sched_yield(void)
{
    thread_relax(false);
    return 0;
}

int pthread_getcore_np(void)
{
    return (int)libos_core_id();
}

/* --- Attributes --- */

int pthread_attr_init(pthread_attr_t *a)
{
    *a = (pthread_attr_t){ .__detach = PTHREAD_CREATE_JOINABLE, .__core = -1,
                           .__stacksize = LIBOS_THREAD_STACK };
    return 0;
}

int pthread_attr_destroy(pthread_attr_t *a) { return 0; }

int pthread_attr_setdetachstate(pthread_attr_t *a, int state)
{
    if (state != PTHREAD_CREATE_JOINABLE && state != PTHREAD_CREATE_DETACHED)
        return EINVAL;
    a->__detach = state;
    return 0;
}

int pthread_attr_getdetachstate(const pthread_attr_t *a, int *state)
{
    *state = a->__detach;
    return 0;
}

int pthread_attr_setstacksize(pthread_attr_t *a, size_t size)
{
    if (size < PTHREAD_STACK_MIN)
        return EINVAL;
    a->__stacksize = size;          /* pthread_create allocates it (EAGAIN if it cannot) */
    return 0;
}

int pthread_attr_getstacksize(const pthread_attr_t *a, size_t *size)
{
    *size = a->__stacksize;
    return 0;
}

int pthread_attr_setcore_np(pthread_attr_t *a, int core)
{
    if (core != -1 && core != PTHREAD_CORE_ANY_NP && (core < 0 || core >= (int)libos_ncores()))
        return EINVAL;
    a->__core = core;
    return 0;
}

int pthread_attr_getcore_np(const pthread_attr_t *a, int *core)
{
    *core = a->__core;
    return 0;
}

/* --- Thread-specific data --- */

int pthread_key_create(pthread_key_t *key, void (*dtor)(void *))
{
    sync_mutex_lock(&posix_key_lock);
    int k = 0;
    while (k < PTHREAD_KEYS_MAX && posix_key_used[k])
        k++;
    if (k < PTHREAD_KEYS_MAX) {
        posix_key_used[k] = true;
        posix_key_dtor[k] = dtor;
        *key = (pthread_key_t)k;
    }
    sync_mutex_unlock(&posix_key_lock);
    return k < PTHREAD_KEYS_MAX ? 0 : EAGAIN;
}

int pthread_key_delete(pthread_key_t key)
{
    if (key >= PTHREAD_KEYS_MAX)
        return EINVAL;
    sync_mutex_lock(&posix_key_lock);
    bool used = posix_key_used[key];
    posix_key_used[key] = false;
    posix_key_dtor[key] = NULL;
    sync_mutex_unlock(&posix_key_lock);
    return used ? 0 : EINVAL;
}

void *pthread_getspecific(pthread_key_t key)
{
    return key < PTHREAD_KEYS_MAX ? pthread_self()->specific[key] : NULL;
}

int pthread_setspecific(pthread_key_t key, const void *value)
{
    if (key >= PTHREAD_KEYS_MAX || !posix_key_used[key])
        return EINVAL;
    pthread_self()->specific[key] = (void *)value;
    return 0;
}

int pthread_setname_np(pthread_t thread, const char *name)
{
    if (!name)
        return EFAULT;
    size_t n = strlen(name);
    if (n >= sizeof thread->name)
        return ERANGE;
    memcpy(thread->name, name, n + 1);
    return 0;
}

int pthread_getname_np(pthread_t thread, char *name, size_t len)
{
    size_t n = strlen(thread->name);
    if (!name || len <= n)
        return ERANGE;
    memcpy(name, thread->name, n + 1);
    return 0;
}
