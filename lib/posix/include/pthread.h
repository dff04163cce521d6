/**
 * \file pthread.h
 * \brief POSIX threads on libos (lib/posix), replacing newlib's header.
 *
 * A pthread is a libos user thread with its own TLS block (__thread
 * variables, errno). Threads run on the creator's core unless
 * pthread_attr_setcore_np() places them on another core of the domain: the
 * first thread placed on a core starts a dispatcher there (the domain
 * then spans that core), later ones join it. Mutexes, condition variables,
 * reader-writer locks, once and join work between cores (atomics in
 * shared memory; a waiter parks and is woken at once, from any core). No cancellation (its state, type
 * and cleanup handlers are kept), no scheduling policies. Each thread's
 * stack is malloc'd at the size its attribute asks (64 KiB by default, at
 * least PTHREAD_STACK_MIN), with no guard page.
 */
#ifndef POSIX_PTHREAD_H
#define POSIX_PTHREAD_H
#include <sys/types.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PTHREAD_CREATE_JOINABLE 0
#define PTHREAD_CREATE_DETACHED 1

#define PTHREAD_MUTEX_NORMAL     0
#define PTHREAD_MUTEX_RECURSIVE  1
#define PTHREAD_MUTEX_ERRORCHECK 2
#define PTHREAD_MUTEX_DEFAULT    PTHREAD_MUTEX_NORMAL

#define PTHREAD_MUTEX_INITIALIZER { 0, 0, 0, 0, PTHREAD_MUTEX_NORMAL }
#define PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP { 0, 0, 0, 1, PTHREAD_MUTEX_RECURSIVE }
#define PTHREAD_COND_INITIALIZER { 0, (int)CLOCK_REALTIME }
#define PTHREAD_RWLOCK_INITIALIZER { 0, 0, 0 }
#define PTHREAD_ONCE_INIT { 0 }

#define PTHREAD_KEYS_MAX 64
#define PTHREAD_DESTRUCTOR_ITERATIONS 4
#define PTHREAD_THREADS_MAX 63          /* LIBOS_THREADS_MAX - 1 */
#define PTHREAD_STACK_MIN   16384

/* pthread_attr_setcore_np: any core, chosen round-robin over the domain's
 * cores (the creator's first). */
#define PTHREAD_CORE_ANY_NP (-2)

int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *),
                   void *arg);
int pthread_join(pthread_t thread, void **retval);
int pthread_detach(pthread_t thread);
pthread_t pthread_self(void);
int pthread_equal(pthread_t a, pthread_t b);
void pthread_exit(void *retval) __attribute__((__noreturn__));
int sched_yield(void);

int pthread_attr_init(pthread_attr_t *attr);
int pthread_attr_destroy(pthread_attr_t *attr);
int pthread_attr_setdetachstate(pthread_attr_t *attr, int state);
int pthread_attr_getdetachstate(const pthread_attr_t *attr, int *state);
int pthread_attr_setstacksize(pthread_attr_t *attr, size_t size);
int pthread_attr_getstacksize(const pthread_attr_t *attr, size_t *size);
/** Non-portable: run the thread on `core` (0..ncores-1), -1 for the
 *  creator's core (the default), or PTHREAD_CORE_ANY_NP. */
int pthread_attr_setcore_np(pthread_attr_t *attr, int core);
int pthread_attr_getcore_np(const pthread_attr_t *attr, int *core);
/** Non-portable: the core the calling thread runs on. */
int pthread_getcore_np(void);

int pthread_mutexattr_init(pthread_mutexattr_t *attr);
int pthread_mutexattr_destroy(pthread_mutexattr_t *attr);
int pthread_mutexattr_settype(pthread_mutexattr_t *attr, int type);
int pthread_mutexattr_gettype(const pthread_mutexattr_t *attr, int *type);
int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr);
int pthread_mutex_destroy(pthread_mutex_t *m);
int pthread_mutex_lock(pthread_mutex_t *m);
int pthread_mutex_trylock(pthread_mutex_t *m);
int pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *abstime);
int pthread_mutex_unlock(pthread_mutex_t *m);

int pthread_condattr_init(pthread_condattr_t *attr);
int pthread_condattr_destroy(pthread_condattr_t *attr);
int pthread_condattr_setclock(pthread_condattr_t *attr, clockid_t clock);
int pthread_condattr_getclock(const pthread_condattr_t *attr, clockid_t *clock);
int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *attr);
int pthread_cond_destroy(pthread_cond_t *c);
int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m);
int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abstime);
int pthread_cond_signal(pthread_cond_t *c);
int pthread_cond_broadcast(pthread_cond_t *c);

int pthread_rwlockattr_init(pthread_rwlockattr_t *attr);
int pthread_rwlockattr_destroy(pthread_rwlockattr_t *attr);
int pthread_rwlock_init(pthread_rwlock_t *rw, const pthread_rwlockattr_t *attr);
int pthread_rwlock_destroy(pthread_rwlock_t *rw);
int pthread_rwlock_rdlock(pthread_rwlock_t *rw);
int pthread_rwlock_tryrdlock(pthread_rwlock_t *rw);
int pthread_rwlock_wrlock(pthread_rwlock_t *rw);
int pthread_rwlock_trywrlock(pthread_rwlock_t *rw);
int pthread_rwlock_unlock(pthread_rwlock_t *rw);

int pthread_once(pthread_once_t *once, void (*fn)(void));
int pthread_key_create(pthread_key_t *key, void (*destructor)(void *));
int pthread_key_delete(pthread_key_t key);
void *pthread_getspecific(pthread_key_t key);
int pthread_setspecific(pthread_key_t key, const void *value);

/* Cancellation: there is none (pthread_cancel is refused with ENOSYS), so
 * the state and type are kept and reported, and change nothing else.
 * Cleanup handlers run at pthread_exit and at pthread_cleanup_pop(1)
 * (lib/posix/pthread_cancel.c). */
#define PTHREAD_CANCEL_ENABLE       0
#define PTHREAD_CANCEL_DISABLE      1
#define PTHREAD_CANCEL_DEFERRED     0
#define PTHREAD_CANCEL_ASYNCHRONOUS 1
#define PTHREAD_CANCELED            ((void *)-1)

int pthread_setcancelstate(int state, int *oldstate);
int pthread_setcanceltype(int type, int *oldtype);
void pthread_testcancel(void);
int pthread_cancel(pthread_t thread);

struct __pthread_cleanup {
    void (*fn)(void *);
    void *arg;
    struct __pthread_cleanup *prev;
};
void __pthread_cleanup_push(struct __pthread_cleanup *c);
void __pthread_cleanup_pop(struct __pthread_cleanup *c, int execute);
/* A nested push names its frame as the outer one does (pop finds it by
 * that name), so -Wshadow is quiet between the two. */
#define pthread_cleanup_push(fn, arg)                                       \
    do {                                                                    \
        _Pragma("GCC diagnostic push")                                      \
        _Pragma("GCC diagnostic ignored \"-Wshadow\"")                      \
        struct __pthread_cleanup __pthread_cu = { (fn), (arg), 0 };         \
        __pthread_cleanup_push(&__pthread_cu);
#define pthread_cleanup_pop(execute)                                        \
        __pthread_cleanup_pop(&__pthread_cu, (execute));                    \
        _Pragma("GCC diagnostic pop")                                       \
    } while (0)
/** Runs and pops every handler of the calling thread (pthread_exit). */
void __pthread_cleanup_run_all(void);

/** A thread's name: at most 15 bytes and the NUL (ERANGE otherwise). */
int pthread_setname_np(pthread_t thread, const char *name);
int pthread_getname_np(pthread_t thread, char *name, size_t len);

#ifdef __cplusplus
}
#endif
#endif
