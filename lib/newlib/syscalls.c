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
 *   files         fd.c: the fd table (the console, files of the root file
 *                 system: memfs.c, in memory, through struct vfs_ops;
 *                 pipes, sockets); path.c: the working directory; dir.c
 *   time          time.c: clock_gettime, gettimeofday, times, nanosleep
 *   threads       threads.c: per-thread struct _reent, newlib's locks
 *   sbrk          Frames from the domain's RAM capability, mapped with
 *                 Frame.map at USER_MAP_BASE upwards (libos/ram.h)
 *   _exit         libos_exit(); exit() itself is newlib's (atexit handlers,
 *                 stdio flush) and ends here
 *   getpid        the domain id
 * (kill, signal and raise are lib/posix/signal.c's; _kill_r stays here for
 * newlib's own callers.)
 * Everything else returns -1 with errno ENOSYS and says so on the console,
 * once per call name. Only the libos system-call wrappers are used.
 */
#include <errno.h>
#include <fcntl.h>
#include <reent.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libos/libos.h>
#include <libos/syscall.h>
#include <libos/ram.h>
#include <kpi/dispatcher.h>
#include <posix/libc.h>

void time_init(void);           /* time.c */

/* The heap: Frames retyped from the domain's RAM capability and mapped at
 * USER_MAP_BASE upwards (libos/ram.h), growing in chunks that double from
 * 64 KiB to 16 MiB (a 1 GiB heap takes 64 of the 256 SLOTCN slots). malloc
 * fails cleanly (ENOMEM) when the RAM runs out. */
#define GLUE_HEAP_CHUNK_MIN (64u << 10)
#define GLUE_HEAP_CHUNK_MAX (16u << 20)
static uint8_t *const glue_heap = (uint8_t *)(uintptr_t)USER_MAP_BASE;
static size_t glue_heap_used, glue_heap_mapped, glue_heap_chunk = GLUE_HEAP_CHUNK_MIN;
static volatile int glue_heap_lock;

/* The calls with no meaning yet, each named once on first use. */
enum glue_nosys {
    NOSYS_EXECVE, NOSYS_FORK, NOSYS_KILL, NOSYS_LINK, NOSYS_WAIT, NOSYS_COUNT
};
static const char *const glue_nosys_names[NOSYS_COUNT] = {
    [NOSYS_EXECVE] = "execve", [NOSYS_FORK] = "fork",
    [NOSYS_KILL] = "kill", [NOSYS_LINK] = "link", [NOSYS_WAIT] = "wait",
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

/* --- The C library's start (called by _start, see libos/libos.h) --- */

extern void __libc_init_array(void);
extern void __libc_fini_array(void);
void _init(void);
void _fini(void);

/* __libc_init_array calls these around the .init_array walk; there is no
 * .init/.fini code on this OS. */
void _init(void) {}
void _fini(void) {}

void glue_env_init(void);       /* env.c */

void libos_libc_init(void)
{
    glue_env_init();
    time_init();
    glue_threads_init();
    glue_fd_init();
    __libc_init_array();
    atexit(__libc_fini_array);
}

void _exit(int status)
{
    libos_exit(status);
}

/* --- Memory --- */

/* Makes [end, end + incr) of the heap usable by mapping more frames. */
static int glue_heap_grow(size_t end, ptrdiff_t incr)
{
    size_t limit = GLUE_HEAP_CHUNK_MAX;     /* halves when the RAM left cannot hold a chunk */
    while (incr > 0 && end + (size_t)incr > glue_heap_mapped) {
        capaddr_t slot;
        size_t chunk = glue_heap_chunk < limit ? glue_heap_chunk : limit;
        while (chunk < end + (size_t)incr - glue_heap_mapped && chunk < limit)
            chunk *= 2;
        errval_t err = ram_map_new((uint64_t)(uintptr_t)(glue_heap + glue_heap_mapped), chunk, &slot);
        if (err_is_fail(err) && chunk > GLUE_HEAP_CHUNK_MIN) {
            limit = chunk / 2;              /* the rest of the RAM, in smaller pieces */
            continue;
        }
        if (err_is_fail(err)) {
            static bool said;
            if (!said) {
                char mib[24], *p = mib + sizeof(mib);
                uint64_t n = ram_bytes() >> 20;
                *--p = '\0';
                do
                    *--p = (char)('0' + n % 10);
                while ((n /= 10) && p > mib);
                glue_puts("newlib: out of memory: the domain's ");
                glue_puts(p);
                glue_puts(" MiB of RAM is used up (malloc returns NULL with ENOMEM; "
                          "spawn with mem= for more)\n");
            }
            said = true;
            return 0;
        }
        glue_heap_mapped += chunk;
        if (glue_heap_chunk < GLUE_HEAP_CHUNK_MAX)
            glue_heap_chunk *= 2;
    }
    return 1;
}

void *_sbrk_r(struct _reent *r, ptrdiff_t incr)
{
    while (__atomic_exchange_n(&glue_heap_lock, 1, __ATOMIC_ACQUIRE))
        __asm__ volatile("pause");
    size_t old = glue_heap_used;
    void *ret = glue_heap + old;
    if ((incr < 0 && (size_t)-incr > old) || !glue_heap_grow(old, incr)) {
        r->_errno = ENOMEM;
        ret = (void *)-1;
    } else {
        glue_heap_used = old + incr;
    }
    __atomic_store_n(&glue_heap_lock, 0, __ATOMIC_RELEASE);
    return ret;
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

/* --- Files with no meaning yet (fd.c has the rest) --- */

int _link_r(struct _reent *r, const char *old, const char *new)
{
    return glue_nosys(r, NOSYS_LINK);
}

/* --- The plain POSIX names, over the reentrant ones --- */

void *sbrk(ptrdiff_t incr) { return _sbrk_r(_REENT, incr); }
pid_t getpid(void) { return _getpid_r(_REENT); }
pid_t fork(void) { return _fork_r(_REENT); }
pid_t wait(int *status) { return _wait_r(_REENT, status); }
int execve(const char *path, char *const argv[], char *const envp[])
{
    return _execve_r(_REENT, path, argv, envp);
}
int link(const char *old, const char *new) { return _link_r(_REENT, old, new); }
