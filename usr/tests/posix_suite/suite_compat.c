/*
 * suite_compat.c: the headers and constants Linux programs expect
 * (PORTING.md's list), checked at compile time where they are layouts,
 * and the refusals of what this OS does not do (fork, execve, dlopen,
 * AF_INET6, setitimer...), each with its POSIX error.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <features.h>
#include <glob.h>
#include <libgen.h>
#include <limits.h>
#include <netinet/in.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <termios.h>
#include <sys/wait.h>
#include <syslog.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "suite.h"

_Static_assert(BYTE_ORDER == LITTLE_ENDIAN && htobe16(0x1234) == 0x3412, "endian.h");
_Static_assert(SSIZE_MAX == LONG_MAX, "SSIZE_MAX");
_Static_assert(EX_OSERR == 71 && EX_USAGE == 64, "sysexits.h");
_Static_assert(ENONET > 0 && ESOCKTNOSUPPORT > 0, "Linux's errno extensions");
_Static_assert(sizeof(struct sockaddr_in6) == 28 && offsetof(struct sockaddr_in6, sin6_scope_id) == 24,
               "sockaddr_in6 with sin6_scope_id, Linux's layout");
_Static_assert(IPPROTO_IPV6 == 41 && IPV6_V6ONLY == 26 && INET6_ADDRSTRLEN == 46, "IPv6 constants");
_Static_assert(sizeof(((struct sockaddr_un *)0)->sun_path) == 108, "sockaddr_un");
_Static_assert(TIOCGWINSZ == 0x5413 && sizeof(struct winsize) == 8, "winsize");
_Static_assert(MS_SYNC == 4 && MCL_CURRENT == 1 && MADV_DONTNEED == 4, "mman constants");
_Static_assert(LOG_ERR == 3 && LOG_DAEMON == (3 << 3), "syslog.h");
_Static_assert(PR_SET_NAME == 15, "prctl.h");
_Static_assert(sizeof(cpu_set_t) == 128, "cpu_set_t");
_Static_assert(sizeof(struct termios) == 60 && NCCS == 32, "termios, Linux's layout");

/* What is refused says so with the POSIX error. */
void test_refusals(void)
{
    errno = 0;
    ktap_check(fork() == -1 && errno == ENOSYS, "fork: errno %d", errno);
    char *argv[] = { "x", NULL };
    errno = 0;
    ktap_check(execve("/bin/x", argv, argv + 1) == -1 && errno == ENOSYS, "execve: errno %d", errno);
    int st;
    errno = 0;
    ktap_check(waitpid(-1, &st, 0) == -1 && errno == ECHILD, "waitpid: no children, errno %d", errno);
    ktap_check(dlopen("libfoo.so", RTLD_NOW) == NULL && dlerror() != NULL, "dlopen: NULL and a dlerror");
    ktap_check(dlerror() == NULL, "dlerror is cleared once read");
    errno = 0;
    ktap_check(socket(AF_INET6_LINUX, SOCK_STREAM, 0) == -1 && errno == EAFNOSUPPORT, "AF_INET6: errno %d", errno);
    errno = 0;
    ktap_check(socket(AF_UNIX, SOCK_STREAM, 0) == -1 && errno == EAFNOSUPPORT, "socket(AF_UNIX): errno %d", errno);
    struct itimerval it = { { 1, 0 }, { 1, 0 } };
    errno = 0;
    ktap_check(setitimer(ITIMER_REAL, &it, NULL) == -1 && errno == ENOSYS, "setitimer: errno %d", errno);
    errno = 0;
    ktap_check(flock(0, LOCK_EX | LOCK_NB) == -1 && errno == ENOSYS, "flock: errno %d", errno);
    glob_t g;
    ktap_check(glob("/*", 0, NULL, &g) == GLOB_ABEND, "glob: GLOB_ABEND");
    struct itimerval off = { { 0, 0 }, { 0, 0 } }, was = it;
    ktap_check(setitimer(ITIMER_REAL, &off, &was) == 0 && was.it_value.tv_sec == 0,
               "setitimer: disarming succeeds (nothing is armed)");
    cpu_set_t set;
    CPU_ZERO(&set);
    ktap_check(sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) == 1 &&
               CPU_ISSET(sched_getcpu(), &set), "sched_getaffinity: this thread's core %d", sched_getcpu());
    errno = 0;
    ktap_check(sched_setaffinity(0, sizeof set, &set) == -1 && errno == ENOSYS, "sched_setaffinity: errno %d",
               errno);
    char name[16] = "";
    ktap_check(prctl(PR_SET_NAME, "redis-server-main") == 0 && prctl(PR_GET_NAME, name) == 0 &&
               strcmp(name, "redis-server-ma") == 0, "prctl names the thread, truncated: %s", name);
    errno = 0;
    ktap_check(prctl(PR_SET_DUMPABLE, 1) == -1 && errno == EINVAL, "other prctl: errno %d", errno);
}

/* The small things: mman, ioctl, getline, dirname, syslog, timezone. */
void test_compat_calls(void)
{
    size_t len = 8192;
    unsigned char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ktap_check(m != MAP_FAILED, "mmap");
    if (m != MAP_FAILED) {
        memset(m, 0xab, len);
        ktap_check(msync(m, len, MS_SYNC) == 0, "msync");
        ktap_check(madvise(m, 4096, MADV_DONTNEED) == 0 && m[0] == 0 && m[4095] == 0 && m[4096] == 0xab,
                   "MADV_DONTNEED zeroes the page, and only it");
        ktap_check(madvise(m, len, MADV_WILLNEED) == 0, "a hint");
        errno = 0;
        ktap_check(madvise(m + 1, 10, MADV_NORMAL) == -1 && errno == EINVAL, "unaligned: errno %d", errno);
        ktap_check(munmap(m, len) == 0, "munmap");
    }
    ktap_check(mlockall(MCL_CURRENT | MCL_FUTURE) == 0 && munlockall() == 0, "mlockall");
    struct winsize ws = { 9, 9, 9, 9 };
    ktap_check(ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_row == 0 && ws.ws_col == 0, "TIOCGWINSZ on the console");
    int p[2];
    ktap_check(pipe(p) == 0 && write(p[1], "abc", 3) == 3, "a pipe with 3 bytes");
    int n = -1, on = 1;
    ktap_check(ioctl(p[0], FIONREAD, &n) == 0 && n == 3, "FIONREAD on it: %d", n);
    ktap_check(ioctl(p[0], FIONBIO, &on) == 0 && (fcntl(p[0], F_GETFL) & O_NONBLOCK), "FIONBIO sets O_NONBLOCK");
    errno = 0;
    ktap_check(ioctl(p[0], TIOCGWINSZ, &ws) == -1 && errno == ENOTTY, "TIOCGWINSZ on a pipe: errno %d", errno);
    close(p[0]);
    close(p[1]);

    FILE *f = fopen("/tmp/lines", "w+");
    ktap_check(f && fputs("one\ntwo\n", f) >= 0 && fseek(f, 0, SEEK_SET) == 0, "a file of two lines");
    struct stat st, lst;
    ktap_check(fflush(f) == 0 && stat("/tmp/lines", &st) == 0 && lstat("/tmp/lines", &lst) == 0 &&
               lst.st_size == st.st_size && lst.st_size == 8 && S_ISREG(lst.st_mode),
               "lstat is stat (no symbolic links): %ld", (long)lst.st_size);
    errno = 0;
    ktap_check(lstat("/tmp/none", &lst) == -1 && errno == ENOENT, "lstat of nothing: errno %d", errno);
    ktap_check(strcmp(program_invocation_short_name, "posix_suite") == 0 &&
               strcmp(program_invocation_name, "posix_suite") == 0,
               "program_invocation_name: %s", program_invocation_name);
    char *line = NULL;
    size_t cap = 0;
    ktap_check(f && getline(&line, &cap, f) == 4 && strcmp(line, "one\n") == 0, "getline");
    ktap_check(f && getdelim(&line, &cap, 'o', f) == 3 && strcmp(line, "two") == 0, "getdelim");
    free(line);
    if (f)
        fclose(f);
    unlink("/tmp/lines");

    char a[] = "/usr/lib/", b[] = "file", c[] = "/", d[] = "/var/log/redis.log";
    ktap_check(strcmp(dirname(a), "/usr") == 0 && strcmp(dirname(b), ".") == 0 && strcmp(dirname(c), "/") == 0,
               "dirname");
    ktap_check(strcmp(basename(d), "redis.log") == 0, "basename");
    openlog("posix_suite", LOG_PID, LOG_DAEMON);
    syslog(LOG_NOTICE, "# syslog goes to the console (%d)", 42);
    closelog();
    tzset();
    ktap_check(timezone == 0 && daylight == 0, "timezone %ld (UTC)", timezone);
}
