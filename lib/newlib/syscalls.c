/*
 * syscalls.c: what newlib needs from the OS, on libos (the "glue").
 *
 * newlib is built with --disable-newlib-supplied-syscalls, so every call it
 * makes to the system goes through the reentrant stubs here (_write_r,
 * _sbrk_r, ...). Defining the _r versions, rather than the plain names
 * newlib's own reent/ wrappers would call, keeps errno in the caller's
 * struct _reent. The plain POSIX names (write, sbrk, ...) are thin
 * wrappers over them, for programs that call them directly and for the
 * few newlib functions that do.
 *
 * What has a meaning today:
 *   fds 0, 1, 2   the console: write -> SYS_PRINT, read <- SYS_GETCHAR
 *                 (blocks for the first byte, CR becomes LF, echoes), fstat
 *                 says "character device" and isatty says yes, so stdout is
 *                 line-buffered; close does nothing; lseek is ESPIPE
 *   sbrk          a static arena in .bss (GLUE_HEAP_SIZE)
 *   _exit         libos_exit(); exit() itself is newlib's (atexit handlers,
 *                 stdio flush) and ends here
 *   getpid        the domain id
 * Everything else returns -1 with errno ENOSYS and says so on the console,
 * once per call name. Only the libos system-call wrappers are used.
 *
 * Threads: errno lives in the one global struct _reent, and the locks
 * newlib takes (malloc, stdio, atexit) are its default no-ops: libos
 * threads are preemptive and may run on several cores, so concurrent
 * malloc or stdio from two threads is not safe yet. newlib is built with
 * retargetable locking: defining __retarget_lock_* (and per-thread
 * _impure_ptr) on libos thread mutexes is the seam for that.
 */
#include <errno.h>
#include <fcntl.h>
#include <reent.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libos/libos.h>
#include <libos/syscall.h>

/* The kernel refuses longer SYS_PRINT buffers (PRINT_MAX in
 * kernel/syscall.c). */
#define GLUE_PRINT_CHUNK 1024

/* The heap. For now a fixed arena in .bss: malloc fails cleanly (ENOMEM)
 * once it is used up. The seam for the RAM-capability-backed heap is
 * glue_heap_grow(): it will retype RAM into frames and map them at the
 * heap's end instead. */
#define GLUE_HEAP_SIZE (8u << 20)
static uint8_t glue_heap[GLUE_HEAP_SIZE] __attribute__((aligned(64)));
static size_t glue_heap_used;

/* The calls with no meaning yet, each named once on first use. */
enum glue_nosys {
    NOSYS_EXECVE, NOSYS_FCNTL, NOSYS_FORK, NOSYS_GETTIMEOFDAY, NOSYS_KILL,
    NOSYS_LINK, NOSYS_MKDIR, NOSYS_OPEN, NOSYS_RENAME, NOSYS_STAT, NOSYS_TIMES,
    NOSYS_UNLINK, NOSYS_WAIT, NOSYS_COUNT
};
static const char *const glue_nosys_names[NOSYS_COUNT] = {
    [NOSYS_EXECVE] = "execve", [NOSYS_FCNTL] = "fcntl", [NOSYS_FORK] = "fork",
    [NOSYS_GETTIMEOFDAY] = "gettimeofday", [NOSYS_KILL] = "kill",
    [NOSYS_LINK] = "link", [NOSYS_MKDIR] = "mkdir", [NOSYS_OPEN] = "open",
    [NOSYS_RENAME] = "rename", [NOSYS_STAT] = "stat", [NOSYS_TIMES] = "times",
    [NOSYS_UNLINK] = "unlink", [NOSYS_WAIT] = "wait",
};
/* A benign race: two threads may both print the line. */
static volatile uint8_t glue_nosys_said[NOSYS_COUNT];

static void glue_puts(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    (void)sys_print(s, n);
}

static int glue_nosys(struct _reent *r, enum glue_nosys call)
{
    if (!glue_nosys_said[call]) {
        glue_nosys_said[call] = 1;
        glue_puts("newlib: ");
        glue_puts(glue_nosys_names[call]);
        glue_puts(" not implemented yet (ENOSYS)\n");
    }
    r->_errno = ENOSYS;
    return -1;
}

static int glue_fail(struct _reent *r, int err)
{
    r->_errno = err;
    return -1;
}

static int glue_is_console(int fd)
{
    return fd >= 0 && fd <= 2;
}

/* --- The C library's start (called by _start, see libos/libos.h) --- */

extern void __libc_init_array(void);
extern void __libc_fini_array(void);
void _init(void);
void _fini(void);

/* __libc_init_array calls these around the .init_array walk; there is no
 * .init/.fini code on this OS. */
void _init(void) {}
void _fini(void) {}

void libos_libc_init(void)
{
    __libc_init_array();
    atexit(__libc_fini_array);
}

void _exit(int status)
{
    libos_exit(status);
}

/* --- The console: fds 0, 1 and 2 --- */

_ssize_t _write_r(struct _reent *r, int fd, const void *buf, size_t n)
{
    if (!glue_is_console(fd))
        return glue_fail(r, EBADF);
    const char *p = buf;
    for (size_t done = 0; done < n;) {
        size_t chunk = n - done < GLUE_PRINT_CHUNK ? n - done : GLUE_PRINT_CHUNK;
        errval_t err = sys_print(p + done, chunk);
        if (err_is_fail(err))
            return done ? (_ssize_t)done : glue_fail(r, EIO);
        done += chunk;
    }
    return (_ssize_t)n;
}

/* One console byte, or -1 when none is waiting. */
static int glue_getc(void)
{
    struct sysret ret = sys_getchar();
    if (err_is_fail(ret.err))
        return -1;
    return ret.value == '\r' ? '\n' : (int)(ret.value & 0xff);
}

/* Waits for the first byte (sleeping the dispatcher until the next tick
 * between polls, as the shell does), then takes what else is already
 * there, up to a newline. Echoes what it reads. */
_ssize_t _read_r(struct _reent *r, int fd, void *buf, size_t n)
{
    if (!glue_is_console(fd))
        return glue_fail(r, EBADF);
    if (n == 0)
        return 0;
    char *p = buf;
    int c;
    while ((c = glue_getc()) < 0)
        (void)sys_yield(SYS_YIELD_BLOCK);
    size_t got = 0;
    for (;;) {
        p[got++] = (char)c;
        if (c == '\n' || got == n || (c = glue_getc()) < 0)
            break;
    }
    (void)sys_print(p, got);
    return (_ssize_t)got;
}

int _close_r(struct _reent *r, int fd)
{
    return glue_is_console(fd) ? 0 : glue_fail(r, EBADF);
}

_off_t _lseek_r(struct _reent *r, int fd, _off_t off, int whence)
{
    return glue_fail(r, glue_is_console(fd) ? ESPIPE : EBADF);
}

int _fstat_r(struct _reent *r, int fd, struct stat *st)
{
    if (!glue_is_console(fd))
        return glue_fail(r, EBADF);
    *st = (struct stat){ .st_mode = S_IFCHR | 0600, .st_nlink = 1 };
    return 0;
}

int _isatty_r(struct _reent *r, int fd)
{
    if (glue_is_console(fd))
        return 1;
    r->_errno = EBADF;
    return 0;
}

/* --- Memory --- */

/* Makes [end, end + incr) of the heap usable; the arena version has
 * nothing to do but check the bound. */
static int glue_heap_grow(size_t end, ptrdiff_t incr)
{
    return incr <= 0 || (size_t)incr <= GLUE_HEAP_SIZE - end;
}

void *_sbrk_r(struct _reent *r, ptrdiff_t incr)
{
    size_t old = glue_heap_used;
    if ((incr < 0 && (size_t)-incr > old) || !glue_heap_grow(old, incr)) {
        r->_errno = ENOMEM;
        return (void *)-1;
    }
    glue_heap_used = old + incr;
    return glue_heap + old;
}

/* --- Processes --- */

int _getpid_r(struct _reent *r)
{
    return (int)libos_domain_id();
}

int _kill_r(struct _reent *r, int pid, int sig) { return glue_nosys(r, NOSYS_KILL); }
int _fork_r(struct _reent *r) { return glue_nosys(r, NOSYS_FORK); }
int _wait_r(struct _reent *r, int *status) { return glue_nosys(r, NOSYS_WAIT); }
int _execve_r(struct _reent *r, const char *path, char *const *argv, char *const *envp)
{
    return glue_nosys(r, NOSYS_EXECVE);
}

/* --- Files and time: nothing yet --- */

int _open_r(struct _reent *r, const char *path, int flags, int mode)
{
    return glue_nosys(r, NOSYS_OPEN);
}
int _fcntl_r(struct _reent *r, int fd, int cmd, int arg) { return glue_nosys(r, NOSYS_FCNTL); }
int _stat_r(struct _reent *r, const char *path, struct stat *st) { return glue_nosys(r, NOSYS_STAT); }
int _link_r(struct _reent *r, const char *old, const char *new)
{
    return glue_nosys(r, NOSYS_LINK);
}
int _unlink_r(struct _reent *r, const char *path) { return glue_nosys(r, NOSYS_UNLINK); }
int _rename_r(struct _reent *r, const char *old, const char *new)
{
    return glue_nosys(r, NOSYS_RENAME);
}
int _mkdir_r(struct _reent *r, const char *path, int mode) { return glue_nosys(r, NOSYS_MKDIR); }
int _gettimeofday_r(struct _reent *r, struct timeval *tv, void *tz)
{
    return glue_nosys(r, NOSYS_GETTIMEOFDAY);
}
clock_t _times_r(struct _reent *r, struct tms *buf)
{
    return (clock_t)glue_nosys(r, NOSYS_TIMES);
}

/* --- The plain POSIX names, over the reentrant ones --- */

_READ_WRITE_RETURN_TYPE write(int fd, const void *buf, size_t n) { return _write_r(_REENT, fd, buf, n); }
_READ_WRITE_RETURN_TYPE read(int fd, void *buf, size_t n) { return _read_r(_REENT, fd, buf, n); }
int close(int fd) { return _close_r(_REENT, fd); }
off_t lseek(int fd, off_t off, int whence) { return _lseek_r(_REENT, fd, off, whence); }
int fstat(int fd, struct stat *st) { return _fstat_r(_REENT, fd, st); }
int isatty(int fd) { return _isatty_r(_REENT, fd); }
void *sbrk(ptrdiff_t incr) { return _sbrk_r(_REENT, incr); }
pid_t getpid(void) { return _getpid_r(_REENT); }
int kill(pid_t pid, int sig) { return _kill_r(_REENT, pid, sig); }
pid_t fork(void) { return _fork_r(_REENT); }
pid_t wait(int *status) { return _wait_r(_REENT, status); }
int execve(const char *path, char *const argv[], char *const envp[])
{
    return _execve_r(_REENT, path, argv, envp);
}
int open(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    int mode = flags & O_CREAT ? va_arg(ap, int) : 0;
    va_end(ap);
    return _open_r(_REENT, path, flags, mode);
}
int fcntl(int fd, int cmd, ...) { return _fcntl_r(_REENT, fd, cmd, 0); }
int stat(const char *path, struct stat *st) { return _stat_r(_REENT, path, st); }
int link(const char *old, const char *new) { return _link_r(_REENT, old, new); }
int unlink(const char *path) { return _unlink_r(_REENT, path); }
int mkdir(const char *path, mode_t mode) { return _mkdir_r(_REENT, path, (int)mode); }
int gettimeofday(struct timeval *tv, void *tz) { return _gettimeofday_r(_REENT, tv, tz); }
clock_t times(struct tms *buf) { return _times_r(_REENT, buf); }
