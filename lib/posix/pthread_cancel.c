/*
 * pthread_cancel.c: the cancellation interface of a library OS without
 * cancellation.
 *
 * pthread_cancel is refused (ENOSYS, said once on the console): a thread
 * here ends only by returning or pthread_exit. The cancel state and type
 * are per-thread values that pthread_setcancelstate/setcanceltype check
 * and report, as libevent and Redis's bio threads set them; testcancel has
 * nothing to act on. Cleanup handlers are a per-thread stack of the
 * frames pthread_cleanup_push puts on the caller's stack; pop(1) runs the
 * top one, and pthread_exit runs them all, newest first (POSIX).
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

static __thread int cancel_state = PTHREAD_CANCEL_ENABLE;
static __thread int cancel_type = PTHREAD_CANCEL_DEFERRED;
static __thread struct __pthread_cleanup *cleanup_top;

int pthread_setcancelstate(int state, int *oldstate)
{
    if (state != PTHREAD_CANCEL_ENABLE && state != PTHREAD_CANCEL_DISABLE)
        return EINVAL;
    if (oldstate)
        *oldstate = cancel_state;
    cancel_state = state;
    return 0;
}

int pthread_setcanceltype(int type, int *oldtype)
{
    if (type != PTHREAD_CANCEL_DEFERRED && type != PTHREAD_CANCEL_ASYNCHRONOUS)
        return EINVAL;
    if (oldtype)
        *oldtype = cancel_type;
    cancel_type = type;
    return 0;
}

void pthread_testcancel(void)
{
}

int pthread_cancel(pthread_t thread)
{
    static bool said;
    if (!said)
        printf("pthread_cancel: refused (ENOSYS): threads are not cancellable on this OS\n");
    said = true;
    return ENOSYS;
}

void __pthread_cleanup_push(struct __pthread_cleanup *c)
{
    c->prev = cleanup_top;
    cleanup_top = c;
}

void __pthread_cleanup_pop(struct __pthread_cleanup *c, int execute)
{
    cleanup_top = c->prev;
    if (execute)
        c->fn(c->arg);
}

void __pthread_cleanup_run_all(void)
{
    while (cleanup_top)
        __pthread_cleanup_pop(cleanup_top, 1);
}
