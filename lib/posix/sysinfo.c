/*
 * sysinfo.c: what a program learns about its process and system:
 * getrlimit/setrlimit, sysconf, getrusage, uname, the user ids,
 * getentropy (umask is the fd layer's: lib/newlib/fd.c).
 *
 * Every value is what this OS really gives a domain: GLUE_FD_MAX
 * descriptors (never RLIM_INFINITY: memcached allocates one slot per
 * possible fd), the RAM spawn gave it (mem=, libos ram_bytes()), LIBOS_THREADS_MAX threads of
 * LIBOS_THREAD_STACK bytes, no core dumps; RLIM_INFINITY only where
 * nothing limits (CPU time, file size). The soft RLIMIT_NOFILE can be
 * lowered and raised back (the fd table honours it), its hard limit
 * lowered for good (as on Linux; memcached does); other limits cannot
 * change, and a request to is refused (EPERM above the hard limit, else
 * EINVAL, said once). The user is 1000, not root (memcached refuses to run
 * as root), and cannot become another (setuid/setgid/setgroups: EPERM). CPU time is the TSC's, from clock_gettime. getentropy reads
 * RDRAND where the CPU has it, and is refused (ENOSYS, said once) where it
 * has not, rather than handing out guessable bytes.
 */
#include <errno.h>
#include <libos/ram.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <kpi/cspace.h>
#include <libos/libos.h>
#include <libos/thread.h>
#include <posix/libc.h>

#define SYSINFO_PAGE    4096
#define SYSINFO_UID     1000
#define SYSINFO_GID     1000

static int sysinfo_fail(int err)
{
    errno = err;
    return -1;
}

/* RLIMIT_NOFILE's hard limit: GLUE_FD_MAX until the program lowers it
 * (memcached sets it to its -c); as on Linux, lowered for good. */
static rlim_t sysinfo_nofile_max = GLUE_FD_MAX;

/* The hard limits (and the soft ones but RLIMIT_NOFILE's). */
static bool sysinfo_limit(int resource, struct rlimit *rl)
{
    switch (resource) {
    case RLIMIT_NOFILE:
        *rl = (struct rlimit){ (rlim_t)glue_fd_limit(-1), __atomic_load_n(&sysinfo_nofile_max, __ATOMIC_RELAXED) };
        return true;
    case RLIMIT_CORE: *rl = (struct rlimit){ 0, 0 }; return true;       /* no core dumps */
    case RLIMIT_NPROC: *rl = (struct rlimit){ LIBOS_THREADS_MAX + 1, LIBOS_THREADS_MAX + 1 }; return true;
    case RLIMIT_STACK: *rl = (struct rlimit){ LIBOS_THREAD_STACK, LIBOS_THREAD_STACK }; return true;
    case RLIMIT_DATA:
    case RLIMIT_AS:
    case RLIMIT_RSS:
    case RLIMIT_MEMLOCK: *rl = (struct rlimit){ ram_bytes(), ram_bytes() }; return true;
    case RLIMIT_CPU:
    case RLIMIT_FSIZE: *rl = (struct rlimit){ RLIM_INFINITY, RLIM_INFINITY }; return true;
    default: return false;
    }
}

int getrlimit(int resource, struct rlimit *rl)
{
    if (!rl)
        return sysinfo_fail(EFAULT);
    return sysinfo_limit(resource, rl) ? 0 : sysinfo_fail(EINVAL);
}

int setrlimit(int resource, const struct rlimit *rl)
{
    struct rlimit now;
    if (!rl)
        return sysinfo_fail(EFAULT);
    if (!sysinfo_limit(resource, &now) || rl->rlim_cur > rl->rlim_max)
        return sysinfo_fail(EINVAL);
    if (rl->rlim_max > now.rlim_max)
        return sysinfo_fail(EPERM);     /* raising a hard limit needs privilege */
    if (resource == RLIMIT_NOFILE) {
        __atomic_store_n(&sysinfo_nofile_max, rl->rlim_max, __ATOMIC_RELAXED);
        glue_fd_limit((int)rl->rlim_cur);
        return 0;
    }
    if (rl->rlim_cur == now.rlim_cur && rl->rlim_max == now.rlim_max)
        return 0;
    static bool said;
    if (!said)
        printf("setrlimit: only RLIMIT_NOFILE's soft limit can change (resource %d: EINVAL)\n", resource);
    said = true;
    return sysinfo_fail(EINVAL);
}

long sysconf(int name)
{
    switch (name) {
    case _SC_PAGESIZE: return SYSINFO_PAGE;
    case _SC_CLK_TCK: return CLK_TCK;               /* what times() counts in */
    case _SC_OPEN_MAX: return glue_fd_limit(-1);
    case _SC_NPROCESSORS_CONF:
    case _SC_NPROCESSORS_ONLN: return (long)libos_ncores();
    case _SC_PHYS_PAGES: return (long)(ram_bytes() / SYSINFO_PAGE);
    case _SC_CHILD_MAX: return 1;                   /* no fork: the domain alone */
    case _SC_IOV_MAX: return 1024;
    case _SC_THREAD_STACK_MIN: return 16384;
    case _SC_THREAD_THREADS_MAX: return LIBOS_THREADS_MAX + 1;
    case _SC_HOST_NAME_MAX: return _UTSNAME_LENGTH - 1;
    case _SC_LINE_MAX: return 2048;
    case _SC_GETPW_R_SIZE_MAX:
    case _SC_GETGR_R_SIZE_MAX: return 1024;
    default: return sysinfo_fail(EINVAL);
    }
}

static struct timeval sysinfo_tv(clockid_t clk)
{
    struct timespec ts = { 0, 0 };
    clock_gettime(clk, &ts);
    return (struct timeval){ ts.tv_sec, ts.tv_nsec / 1000 };
}

int getrusage(int who, struct rusage *ru)
{
    if (!ru)
        return sysinfo_fail(EFAULT);
    if (who != RUSAGE_SELF && who != RUSAGE_THREAD && who != RUSAGE_CHILDREN)
        return sysinfo_fail(EINVAL);
    *ru = (struct rusage){ 0 };
    if (who == RUSAGE_SELF)
        ru->ru_utime = sysinfo_tv(CLOCK_PROCESS_CPUTIME_ID);
    else if (who == RUSAGE_THREAD)
        ru->ru_utime = sysinfo_tv(CLOCK_THREAD_CPUTIME_ID);
    return 0;                           /* RUSAGE_CHILDREN: there are none */
}

int uname(struct utsname *u)
{
    if (!u)
        return sysinfo_fail(EFAULT);
    *u = (struct utsname){ .sysname = "Arrakis", .nodename = "arrakis", .release = "0.1",
                           .version = __DATE__, .machine = "x86_64", .domainname = "(none)" };
    return 0;
}

uid_t getuid(void) { return SYSINFO_UID; }
uid_t geteuid(void) { return SYSINFO_UID; }
gid_t getgid(void) { return SYSINFO_GID; }
gid_t getegid(void) { return SYSINFO_GID; }

/* As for any user who is not root: an id can be "changed" only to the one
 * it is (POSIX setuid), the supplementary groups not at all (EPERM); there
 * is no user database, so getpwnam finds no one (NULL, errno untouched,
 * as POSIX says for "not found"). memcached calls these only as root. */
int setuid(uid_t uid) { return uid == SYSINFO_UID ? 0 : sysinfo_fail(EPERM); }
int setgid(gid_t gid) { return gid == SYSINFO_GID ? 0 : sysinfo_fail(EPERM); }
int setgroups(int n, const gid_t *groups) { return sysinfo_fail(EPERM); }
struct passwd *getpwnam(const char *name) { return NULL; }

/* <time.h>'s XSI variables: the RTC is UTC, and there is no zone database. */
long timezone;
int daylight;


static bool sysinfo_has_rdrand(void)
{
    uint32_t a, b, c, d;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
    return c & (1u << 30);
}

/* 8 random bytes from RDRAND, retried as Intel advises (it may underflow). */
static bool sysinfo_rdrand(uint64_t *v)
{
    for (int i = 0; i < 10; i++) {
        unsigned char ok;
        __asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
        if (ok)
            return true;
    }
    return false;
}

int getentropy(void *buf, size_t n)
{
    if (n > 256)
        return sysinfo_fail(EIO);       /* glibc's and OpenBSD's limit */
    if (n && !buf)
        return sysinfo_fail(EFAULT);
    if (!sysinfo_has_rdrand()) {
        static bool said;
        if (!said)
            printf("getentropy: refused (ENOSYS): this CPU has no RDRAND\n");
        said = true;
        return sysinfo_fail(ENOSYS);
    }
    unsigned char *p = buf;
    for (size_t done = 0; done < n;) {
        uint64_t v;
        if (!sysinfo_rdrand(&v))
            return sysinfo_fail(EIO);
        size_t k = n - done < sizeof v ? n - done : sizeof v;
        memcpy(p + done, &v, k);
        done += k;
    }
    return 0;
}
