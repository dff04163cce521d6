/*
 * threads.c: what makes newlib safe for threads on libos.
 *
 *  - Per-thread C library state. newlib is built with __DYNAMIC_REENT__,
 *    so _REENT (errno, strtok's and rand's state, ...) is __getreent(),
 *    answered here from the calling thread's TLS block: its TCB
 *    (libos/tls.h) points at the thread's struct _reent. The initial thread
 *    uses newlib's global one; every other thread made by glue_tls_new()
 *    gets its own. stdin/stdout/stderr are global (newlib is configured
 *    with --enable-newlib-global-stdio-streams), so output of all threads
 *    goes through one buffer, under stdio's own lock. A raw libos thread
 *    inherits its creator's TLS block, hence also its errno.
 *  - newlib's locks (malloc, stdio, atexit, env, ...) are its retargetable
 *    hooks __retarget_lock_*, here on libos's cross-core mutexes
 *    (libos/sync.h): threads may run on several cores at once. The static
 *    locks newlib names are defined here too, so that newlib's default
 *    (no-op) lock.o is never linked.
 *
 * Start-up: glue_threads_init() (from libos_libc_init, before any
 * constructor) gives the initial thread its TLS block. Until then
 * __getreent() answers the global state.
 */
#include <reent.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/lock.h>

#include <libos/debug.h>
#include <libos/sync.h>
#include <libos/thread.h>
#include <libos/tls.h>
#include <posix/libc.h>

static bool glue_tls_ready;

struct _reent *__getreent(void)
{
    if (!glue_tls_ready)
        return _global_impure_ptr;
    return tls_tcb_self()->libc;
}

/* A TLS block with its TCB; `r` is the thread's C library state. */
static struct tls_tcb *glue_tls_alloc(struct _reent *r)
{
    void *mem = malloc(tls_block_bytes());
    if (!mem)
        return NULL;
    struct tls_tcb *tcb = tls_block_init(mem);
    tcb->libc = r;
    return tcb;
}

struct tls_tcb *glue_tls_new(void)
{
    struct _reent *r = malloc(sizeof *r);
    if (!r)
        return NULL;
    _REENT_INIT_PTR(r);
    struct tls_tcb *tcb = glue_tls_alloc(r);
    if (!tcb)
        free(r);
    return tcb;
}

void glue_tls_free(struct tls_tcb *tcb)
{
    if (!tcb)
        return;
    struct _reent *r = tcb->libc;
    if (r && r != _global_impure_ptr) {
        _reclaim_reent(r);
        free(r);
    }
    free(tcb->block);
}

void glue_threads_init(void)
{
    struct tls_tcb *tcb = glue_tls_alloc(_global_impure_ptr);
    if (!tcb)
        debug_panic("newlib: no memory for the initial thread's TLS block");
    thread_set_tls(tcb);
    glue_tls_ready = true;
}

/* --- newlib's locks --- */

struct __lock {
    struct sync_mutex m;
};

#define GLUE_LOCK(name) struct __lock __lock_##name = { SYNC_MUTEX_INITIALIZER }
#define GLUE_RLOCK(name) struct __lock __lock_##name = { SYNC_MUTEX_RECURSIVE_INITIALIZER }
GLUE_RLOCK(__sinit_recursive_mutex);
GLUE_RLOCK(__sfp_recursive_mutex);
GLUE_RLOCK(__atexit_recursive_mutex);
GLUE_LOCK(__at_quick_exit_mutex);
GLUE_RLOCK(__malloc_recursive_mutex);
GLUE_RLOCK(__env_recursive_mutex);
GLUE_LOCK(__tz_mutex);
GLUE_LOCK(__dd_hash_mutex);
GLUE_LOCK(__arc4random_mutex);

static void glue_lock_new(_LOCK_T *lock, bool recursive)
{
    struct __lock *l = malloc(sizeof *l);
    if (!l)
        debug_panic("newlib: no memory for a lock");
    l->m = (struct sync_mutex)SYNC_MUTEX_INITIALIZER;
    l->m.recursive = recursive;
    *lock = l;
}

void __retarget_lock_init(_LOCK_T *lock) { glue_lock_new(lock, false); }
void __retarget_lock_init_recursive(_LOCK_T *lock) { glue_lock_new(lock, true); }
void __retarget_lock_close(_LOCK_T lock) { free(lock); }
void __retarget_lock_close_recursive(_LOCK_T lock) { free(lock); }
void __retarget_lock_acquire(_LOCK_T lock) { sync_mutex_lock(&lock->m); }
void __retarget_lock_acquire_recursive(_LOCK_T lock) { sync_mutex_lock(&lock->m); }
int __retarget_lock_try_acquire(_LOCK_T lock) { return sync_mutex_trylock(&lock->m); }
int __retarget_lock_try_acquire_recursive(_LOCK_T lock) { return sync_mutex_trylock(&lock->m); }
void __retarget_lock_release(_LOCK_T lock) { (void)sync_mutex_unlock(&lock->m); }
void __retarget_lock_release_recursive(_LOCK_T lock) { (void)sync_mutex_unlock(&lock->m); }
