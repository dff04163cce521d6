/*
 * refused.c: what a single-domain, statically linked OS without
 * processes cannot do, refused with the POSIX error and one console line
 * each, and the few such calls that have an honest answer.
 *
 * Refused: dlopen (NULL; dlerror says "dynamic loading is not supported":
 * programs are linked whole), setitimer/getitimer (ENOSYS: no timer
 * signals; only disarming succeeds), sched_setaffinity (ENOSYS: a thread
 * stays on the core it was created on; pthread_attr_setcore_np places
 * it), setsid (EPERM: the domain is its own session already), prctl other
 * than naming a thread (EINVAL), flock (ENOSYS: no file locks; Redis takes
 * one in cluster mode only), glob (GLOB_ABEND: newlib has none; Redis's
 * `include` with a wildcard). Answered: waitpid/wait are ECHILD (there
 * are no children), sched_getaffinity is the calling thread's core,
 * sched_getcpu that core, prctl(PR_SET_NAME/PR_GET_NAME) the thread's
 * name.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <glob.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libos/libos.h>

static int refuse(bool *said, const char *what, int err)
{
    if (!*said)
        printf("%s\n", what);
    *said = true;
    errno = err;
    return -1;
}

/* --- Dynamic loading --- */

static const char *dl_error;

void *dlopen(const char *file, int mode)
{
    static bool said;
    refuse(&said, "dlopen: refused: dynamic loading is not supported (programs are linked whole)", ENOSYS);
    dl_error = "dynamic loading is not supported";
    return NULL;
}

void *dlsym(void *handle, const char *name)
{
    dl_error = "dynamic loading is not supported";
    return NULL;
}

int dlclose(void *handle)
{
    dl_error = "dynamic loading is not supported";
    return -1;
}

char *dlerror(void)
{
    const char *e = dl_error;
    dl_error = NULL;
    return (char *)e;
}

int dladdr(const void *addr, Dl_info *info)
{
    return 0;                   /* no symbol table at run time: "not found" */
}

/* --- Processes --- */

pid_t waitpid(pid_t pid, int *status, int options)
{
    errno = ECHILD;             /* no fork: never a child to wait for */
    return -1;
}

pid_t setsid(void)
{
    static bool said;
    return refuse(&said, "setsid: refused (EPERM): the domain is its own session", EPERM);
}

int setitimer(int which, const struct itimerval *value, struct itimerval *old)
{
    static bool said;
    /* Disarming is honest: no timer is ever armed (Redis disarms its
     * watchdog at start-up). The old value, if asked, is "disarmed" too. */
    if (value && !value->it_value.tv_sec && !value->it_value.tv_usec) {
        if (old)
            *old = (struct itimerval){ 0 };
        return 0;
    }
    return refuse(&said, "setitimer: refused (ENOSYS): there are no timer signals", ENOSYS);
}

int getitimer(int which, struct itimerval *value)
{
    static bool said;
    return refuse(&said, "getitimer: refused (ENOSYS): there are no timer signals", ENOSYS);
}

int prctl(int option, ...)
{
    va_list ap;
    va_start(ap, option);
    char *name = va_arg(ap, char *);
    va_end(ap);
    switch (option) {
    case PR_SET_NAME: {
        char shortened[16];
        snprintf(shortened, sizeof shortened, "%s", name ? name : "");    /* Linux truncates to 15 */
        return pthread_setname_np(pthread_self(), shortened) ? (errno = EINVAL, -1) : 0;
    }
    case PR_GET_NAME:
        return pthread_getname_np(pthread_self(), name, 16) ? (errno = EINVAL, -1) : 0;
    default: {
        static bool said;
        return refuse(&said, "prctl: refused (EINVAL): only PR_SET_NAME and PR_GET_NAME", EINVAL);
    }
    }
}

/* --- Files --- */

int flock(int fd, int operation)
{
    static bool said;
    return refuse(&said, "flock: refused (ENOSYS): there are no file locks", ENOSYS);
}

int glob(const char *restrict pattern, int flags, int (*errfunc)(const char *, int),
         glob_t *restrict pglob)
{
    static bool said;
    refuse(&said, "glob: refused (GLOB_ABEND): file name patterns are not expanded", ENOSYS);
    return GLOB_ABEND;
}

void globfree(glob_t *pglob)
{
}

/* --- CPUs --- */

int __cpu_count(const cpu_set_t *set)
{
    int n = 0;
    for (size_t i = 0; i < sizeof set->__bits / sizeof set->__bits[0]; i++)
        n += __builtin_popcountl(set->__bits[i]);
    return n;
}

int sched_getcpu(void)
{
    return (int)libos_core_id();
}

int sched_getaffinity(pid_t pid, size_t size, cpu_set_t *set)
{
    if (pid != 0 && pid != getpid()) {
        errno = ESRCH;
        return -1;
    }
    if (!set || size < sizeof *set) {
        errno = EINVAL;
        return -1;
    }
    CPU_ZERO(set);
    CPU_SET(libos_core_id(), set);      /* a thread runs on its own core only */
    return 0;
}

int sched_setaffinity(pid_t pid, size_t size, const cpu_set_t *set)
{
    static bool said;
    return refuse(&said, "sched_setaffinity: refused (ENOSYS): threads stay on their core "
                         "(pthread_attr_setcore_np places them)", ENOSYS);
}
