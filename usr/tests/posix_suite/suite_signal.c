/*
 * suite_signal.c: signals as this OS has them (synchronous: raise and
 * kill of oneself) with Linux's numbers and layouts, per sigaction(2),
 * sigprocmask(2), pthread_sigmask(3), raise(3); and the pthread calls
 * around cancellation (pthread_setcancelstate(3), pthread_cleanup_push(3))
 * and pthread_setname_np(3).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "suite.h"

static volatile int suite_hits, suite_last_sig, suite_code, suite_nested_blocked;
static volatile pid_t suite_pid;

static void suite_handler(int sig)
{
    suite_hits++;
    suite_last_sig = sig;
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    suite_nested_blocked = sigismember(&now, sig);
}

static void suite_info_handler(int sig, siginfo_t *info, void *ctx)
{
    suite_hits++;
    suite_last_sig = info->si_signo;
    suite_code = info->si_code;
    suite_pid = info->si_pid;
}

/* Linux's numbers; sigaction stores, raise runs; SA_SIGINFO, SA_RESETHAND. */
void test_sigaction_raise(void)
{
    ktap_check(SIGUSR1 == 10 && SIGPIPE == 13 && SIGTERM == 15 && SIGCHLD == 17 && SA_SIGINFO == 4 &&
               SIG_BLOCK == 0 && SIG_SETMASK == 2, "Linux's numbers");
    struct sigaction act = { .sa_handler = suite_handler }, old;
    sigemptyset(&act.sa_mask);
    ktap_check(sigaction(SIGTERM, &act, &old) == 0 && old.sa_handler == SIG_DFL, "install a SIGTERM handler");
    suite_hits = 0;
    ktap_check(raise(SIGTERM) == 0 && suite_hits == 1 && suite_last_sig == SIGTERM, "raise runs it (%d)",
               suite_hits);
    ktap_check(suite_nested_blocked == 1, "the signal is blocked while its handler runs");
    ktap_check(sigaction(SIGTERM, NULL, &old) == 0 && old.sa_handler == suite_handler, "read back");
    act = (struct sigaction){ .sa_sigaction = suite_info_handler, .sa_flags = SA_SIGINFO | SA_RESETHAND };
    ktap_check(sigaction(SIGUSR1, &act, NULL) == 0, "an SA_SIGINFO handler");
    suite_hits = 0;
    ktap_check(kill(getpid(), SIGUSR1) == 0 && suite_hits == 1 && suite_last_sig == SIGUSR1 &&
               suite_code == SI_TKILL && suite_pid == getpid(), "kill(getpid()) runs it with its siginfo");
    ktap_check(sigaction(SIGUSR1, NULL, &old) == 0 && old.sa_handler == SIG_DFL, "SA_RESETHAND reset it");
    ktap_check(signal(SIGPIPE, SIG_IGN) == SIG_DFL && raise(SIGPIPE) == 0, "SIG_IGN: raise does nothing");
    ktap_check(signal(SIGPIPE, SIG_DFL) == SIG_IGN, "signal returns the old handler");
    ktap_check(raise(SIGCHLD) == 0, "SIGCHLD's default is to ignore it");
    errno = 0;
    ktap_check(sigaction(SIGKILL, &act, NULL) == -1 && errno == EINVAL, "SIGKILL: errno %d", errno);
    errno = 0;
    ktap_check(sigaction(0, &act, NULL) == -1 && errno == EINVAL, "signal 0: errno %d", errno);
    errno = 0;
    ktap_check(raise(99) == -1 && errno == EINVAL, "raise(99): errno %d", errno);
    ktap_check(kill(getpid(), 0) == 0, "kill(self, 0) checks only");
    errno = 0;
    ktap_check(kill(12345, SIGTERM) == -1 && errno == ENOSYS, "another domain: refused, errno %d", errno);
    signal(SIGTERM, SIG_DFL);
}

/* A blocked signal waits, and runs when unblocked. */
void test_sigprocmask_pending(void)
{
    signal(SIGUSR2, suite_handler);
    sigset_t set, old, pend;
    ktap_check(sigemptyset(&set) == 0 && sigaddset(&set, SIGUSR2) == 0 && sigismember(&set, SIGUSR2) == 1,
               "a set with SIGUSR2");
    errno = 0;
    ktap_check(sigaddset(&set, 65) == -1 && errno == EINVAL, "sigaddset(65): errno %d", errno);
    ktap_check(sigprocmask(SIG_BLOCK, &set, &old) == 0 && !sigismember(&old, SIGUSR2), "block it");
    suite_hits = 0;
    ktap_check(raise(SIGUSR2) == 0 && suite_hits == 0, "raised while blocked: not run");
    ktap_check(sigpending(&pend) == 0 && sigismember(&pend, SIGUSR2) == 1, "pending");
    ktap_check(pthread_sigmask(SIG_UNBLOCK, &set, NULL) == 0 && suite_hits == 1, "unblocking runs it");
    ktap_check(sigpending(&pend) == 0 && !sigismember(&pend, SIGUSR2), "no longer pending");
    sigfillset(&set);
    ktap_check(sigprocmask(SIG_SETMASK, &set, NULL) == 0 && sigprocmask(SIG_SETMASK, &old, &pend) == 0 &&
               !sigismember(&pend, SIGKILL) && !sigismember(&pend, SIGSTOP), "SIGKILL and SIGSTOP stay unblocked");
    errno = 0;
    ktap_check(sigprocmask(7, &set, NULL) == -1 && errno == EINVAL, "a bad how: errno %d", errno);
    ktap_check(pthread_sigmask(7, &set, NULL) == EINVAL, "pthread_sigmask returns the error");
    signal(SIGUSR2, SIG_DFL);
}

static volatile int suite_cleaned;

static void suite_cleanup(void *arg)
{
    suite_cleaned = suite_cleaned * 10 + (int)(long)arg;
}

static void *suite_exiting_thread(void *arg)
{
    pthread_cleanup_push(suite_cleanup, (void *)1L);
    pthread_cleanup_push(suite_cleanup, (void *)2L);
    pthread_exit(NULL);
    pthread_cleanup_pop(0);
    pthread_cleanup_pop(0);
    return NULL;
}

/* Cancel state and type, cleanup handlers, thread names. */
void test_pthread_cancel_cleanup_name(void)
{
    int old = -1;
    ktap_check(pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old) == 0 && old == PTHREAD_CANCEL_ENABLE,
               "setcancelstate: old %d", old);
    ktap_check(pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, &old) == 0 && old == PTHREAD_CANCEL_DISABLE,
               "and back");
    ktap_check(pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, &old) == 0 && old == PTHREAD_CANCEL_DEFERRED,
               "setcanceltype");
    pthread_setcanceltype(PTHREAD_CANCEL_DEFERRED, NULL);
    ktap_check(pthread_setcancelstate(5, NULL) == EINVAL && pthread_setcanceltype(5, NULL) == EINVAL,
               "bad values: EINVAL");
    ktap_check(pthread_cancel(pthread_self()) == ENOSYS, "pthread_cancel refused: ENOSYS");

    suite_cleaned = 0;
    pthread_cleanup_push(suite_cleanup, (void *)7L);
    pthread_cleanup_pop(0);
    ktap_check(suite_cleaned == 0, "pop(0) does not run it");
    pthread_cleanup_push(suite_cleanup, (void *)7L);
    pthread_cleanup_pop(1);
    ktap_check(suite_cleaned == 7, "pop(1) runs it");
    suite_cleaned = 0;
    pthread_t t;
    ktap_check(pthread_create(&t, NULL, suite_exiting_thread, NULL) == 0 && pthread_join(t, NULL) == 0,
               "a thread that calls pthread_exit");
    ktap_check(suite_cleaned == 21, "its handlers ran newest first (%d)", suite_cleaned);

    char name[16];
    ktap_check(pthread_setname_np(pthread_self(), "bio_aof") == 0 &&
               pthread_getname_np(pthread_self(), name, sizeof name) == 0 && strcmp(name, "bio_aof") == 0,
               "setname_np/getname_np: %s", name);
    ktap_check(pthread_setname_np(pthread_self(), "a-name-of-16-chr") == ERANGE, "16 bytes: ERANGE");
}

#define SUITE_THREADS 60

static pthread_mutex_t suite_gate = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t suite_gate_cv = PTHREAD_COND_INITIALIZER;
static int suite_started, suite_open;

static void *suite_gate_thread(void *arg)
{
    pthread_mutex_lock(&suite_gate);
    suite_started++;
    pthread_cond_broadcast(&suite_gate_cv);
    while (!suite_open)
        pthread_cond_wait(&suite_gate_cv, &suite_gate);
    pthread_mutex_unlock(&suite_gate);
    return arg;
}

/* 60 threads alive at once (the domain has 64 slots; lwIP's take some). */
void test_threads_60_at_once(void)
{
    static pthread_t t[SUITE_THREADS];
    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setstacksize(&a, 32768);
    int made = 0;
    for (; made < SUITE_THREADS; made++)
        if (pthread_create(&t[made], &a, suite_gate_thread, (void *)(long)made) != 0)
            break;
    ktap_check(made == SUITE_THREADS, "created %d of %d threads", made, SUITE_THREADS);
    pthread_mutex_lock(&suite_gate);
    while (suite_started < made)
        pthread_cond_wait(&suite_gate_cv, &suite_gate);
    ktap_check(suite_started == made, "%d threads waiting at once", suite_started);
    suite_open = 1;
    pthread_cond_broadcast(&suite_gate_cv);
    pthread_mutex_unlock(&suite_gate);
    int ok = 0;
    for (int i = 0; i < made; i++) {
        void *r = NULL;
        ok += pthread_join(t[i], &r) == 0 && r == (void *)(long)i;
    }
    ktap_check(ok == made, "%d joined with their values", ok);
    ktap_check(sysconf(_SC_THREAD_THREADS_MAX) >= 64, "_SC_THREAD_THREADS_MAX %ld", sysconf(_SC_THREAD_THREADS_MAX));
    pthread_attr_destroy(&a);
}

static void *suite_deep_thread(void *arg)
{
    volatile unsigned char big[768 * 1024];         /* more than the old fixed 64 KiB */
    for (size_t i = 0; i < sizeof big; i += 512)
        big[i] = (unsigned char)i;
    unsigned sum = 0;
    for (size_t i = 0; i < sizeof big; i += 512)
        sum += big[i];
    return (void *)(unsigned long)sum;
}

/* A thread gets the stack size it asks for. */
void test_thread_stack_size(void)
{
    pthread_attr_t a;
    size_t size = 0;
    ktap_check(pthread_attr_init(&a) == 0 && pthread_attr_setstacksize(&a, 1u << 20) == 0 &&
               pthread_attr_getstacksize(&a, &size) == 0 && size == 1u << 20, "a 1 MiB stack attribute: %zu", size);
    pthread_t t;
    void *r = NULL;
    ktap_check(pthread_create(&t, &a, suite_deep_thread, NULL) == 0 && pthread_join(t, &r) == 0,
               "a thread using 768 KiB of its stack");
    unsigned expect = 0;
    for (size_t i = 0; i < 768 * 1024; i += 512)
        expect += (unsigned char)i;
    ktap_check((unsigned long)r == expect, "it computed %lu, expected %u", (unsigned long)r, expect);
    ktap_check(pthread_attr_setstacksize(&a, 100) == EINVAL, "below PTHREAD_STACK_MIN: EINVAL");
    pthread_attr_destroy(&a);
}
