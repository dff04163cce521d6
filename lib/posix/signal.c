/*
 * signal.c: sigaction, signal, raise, kill (of the domain itself),
 * sigprocmask, pthread_sigmask, sigpending and the sigset calls, with
 * Linux's numbers and layouts (<signal.h>).
 *
 * There are no asynchronous signals on this OS (no other process sends
 * one, and a fault ends the domain in the kernel), so a signal is raised
 * by the program itself: raise() runs the handler at once on the calling
 * thread, with sa_mask and the signal itself blocked meanwhile (unless
 * SA_NODEFER) and SA_RESETHAND honoured, or marks it pending while that
 * thread blocks it; unblocking runs what is pending. A default action
 * ignores SIGCHLD, SIGCONT, SIGURG and SIGWINCH and ends the domain for
 * the rest (status 128 + signal, said on the console). The handlers are
 * the domain's, the masks and pending sets each thread's. Refused and
 * said once: kill() of another domain (ENOSYS: there is no other process
 * to name), sigsuspend (ENOSYS: nothing could end the wait), sigaltstack
 * (ENOSYS: handlers run on the raising thread's own stack).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SIG_BIT(sig)    (1UL << ((sig) - 1))
#define SIG_UNBLOCKABLE (SIG_BIT(SIGKILL) | SIG_BIT(SIGSTOP))

static pthread_mutex_t sig_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sigaction sig_actions[NSIG];          /* under sig_lock */
static __thread sigset_t sig_blocked, sig_pending;

static bool sig_valid(int sig)
{
    return sig >= 1 && sig < NSIG;
}

static void sig_say_once(bool *said, const char *what)
{
    if (!*said)
        printf("signal: %s\n", what);
    *said = true;
}

static bool sig_ignored_by_default(int sig)
{
    return sig == SIGCHLD || sig == SIGCONT || sig == SIGURG || sig == SIGWINCH;
}

/* Runs `sig`'s action on this thread (it is not blocked). */
static void sig_deliver(int sig)
{
    pthread_mutex_lock(&sig_lock);
    struct sigaction act = sig_actions[sig];
    if ((act.sa_flags & SA_RESETHAND) && act.sa_handler != SIG_IGN && act.sa_handler != SIG_DFL)
        sig_actions[sig] = (struct sigaction){ .sa_handler = SIG_DFL };
    pthread_mutex_unlock(&sig_lock);
    if (act.sa_handler == SIG_IGN)
        return;
    if (act.sa_handler == SIG_DFL) {
        if (sig_ignored_by_default(sig))
            return;
        printf("signal: %d raised with no handler: the domain ends (status %d)\n", sig, 128 + sig);
        fflush(stdout);
        _exit(128 + sig);
    }
    sigset_t saved = sig_blocked;
    sig_blocked |= act.sa_mask & ~SIG_UNBLOCKABLE;
    if (!(act.sa_flags & SA_NODEFER))
        sig_blocked |= SIG_BIT(sig);
    if (act.sa_flags & SA_SIGINFO) {
        siginfo_t info = { .si_signo = sig, .si_code = SI_TKILL, .si_pid = getpid(), .si_uid = getuid() };
        act.sa_sigaction(sig, &info, NULL);
    } else {
        act.sa_handler(sig);
    }
    sig_blocked = saved;
}

/* Delivers what is pending and no longer blocked, lowest first. */
static void sig_run_pending(void)
{
    sigset_t ready;
    while ((ready = sig_pending & ~sig_blocked)) {
        int sig = __builtin_ctzl(ready) + 1;
        sig_pending &= ~SIG_BIT(sig);
        sig_deliver(sig);
    }
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
    if (!sig_valid(sig) || (act && (sig == SIGKILL || sig == SIGSTOP))) {
        errno = EINVAL;
        return -1;
    }
    if (act && (act->sa_flags & SA_ONSTACK)) {
        static bool said;
        sig_say_once(&said, "SA_ONSTACK accepted, but handlers run on the raising thread's stack "
                            "(there are no asynchronous signals)");
    }
    pthread_mutex_lock(&sig_lock);
    if (old)
        *old = sig_actions[sig];
    if (act)
        sig_actions[sig] = *act;
    pthread_mutex_unlock(&sig_lock);
    return 0;
}

_sig_func_ptr signal(int sig, _sig_func_ptr handler)
{
    struct sigaction act = { .sa_handler = handler, .sa_flags = SA_RESTART }, old;
    return sigaction(sig, &act, &old) == 0 ? old.sa_handler : SIG_ERR;
}

int raise(int sig)
{
    if (!sig_valid(sig)) {
        errno = EINVAL;
        return -1;
    }
    if (sig_blocked & SIG_BIT(sig) & ~SIG_UNBLOCKABLE)
        sig_pending |= SIG_BIT(sig);
    else
        sig_deliver(sig);
    return 0;
}

int kill(pid_t pid, int sig)
{
    if (sig != 0 && !sig_valid(sig)) {
        errno = EINVAL;
        return -1;
    }
    if (pid == getpid() || pid == 0)
        return sig ? raise(sig) : 0;
    static bool said;
    sig_say_once(&said, "kill of another domain refused (ENOSYS): there are no other processes to signal");
    errno = ENOSYS;
    return -1;
}

int pthread_sigmask(int how, const sigset_t *set, sigset_t *old)
{
    if (set && how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK)
        return EINVAL;
    if (old)
        *old = sig_blocked;
    if (set) {
        sigset_t s = *set & ~SIG_UNBLOCKABLE;
        sig_blocked = how == SIG_BLOCK ? sig_blocked | s : how == SIG_UNBLOCK ? sig_blocked & ~s : s;
        sig_run_pending();
    }
    return 0;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
    int err = pthread_sigmask(how, set, old);
    if (err) {
        errno = err;
        return -1;
    }
    return 0;
}

int sigpending(sigset_t *set)
{
    if (!set) {
        errno = EFAULT;
        return -1;
    }
    *set = sig_pending;
    return 0;
}

int sigsuspend(const sigset_t *mask)
{
    static bool said;
    sig_say_once(&said, "sigsuspend refused (ENOSYS): no signal could arrive to end it");
    errno = ENOSYS;
    return -1;
}

int sigaltstack(const stack_t *ss, stack_t *old)
{
    static bool said;
    sig_say_once(&said, "sigaltstack refused (ENOSYS): handlers run on the raising thread's stack");
    errno = ENOSYS;
    return -1;
}

int sigemptyset(sigset_t *set) { *set = 0; return 0; }
int sigfillset(sigset_t *set) { *set = ~0UL; return 0; }

int sigaddset(sigset_t *set, int sig)
{
    if (!sig_valid(sig)) {
        errno = EINVAL;
        return -1;
    }
    *set |= SIG_BIT(sig);
    return 0;
}

int sigdelset(sigset_t *set, int sig)
{
    if (!sig_valid(sig)) {
        errno = EINVAL;
        return -1;
    }
    *set &= ~SIG_BIT(sig);
    return 0;
}

int sigismember(const sigset_t *set, int sig)
{
    if (!sig_valid(sig)) {
        errno = EINVAL;
        return -1;
    }
    return (*set & SIG_BIT(sig)) != 0;
}

void psignal(int sig, const char *s)
{
    if (s && *s)
        fprintf(stderr, "%s: ", s);
    fprintf(stderr, "%s\n", strsignal(sig));
}
