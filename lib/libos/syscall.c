/*
 * syscall.c: the typed system-call wrappers (see libos/syscall.h).
 *
 * Each is one syscall6() with its arguments cast to words; none of them
 * interprets the result. The one exception: sys_invoke on a dispatcher
 * that is not the domain's first goes to the first (see below). Out of line so that a program's call sites stay
 * small and a debugger can break on them.
 */
#include <libos/syscall.h>
#include "dispatch_internal.h"

errval_t sys_null(void)
{
    return syscall6(SYS_NULL, 0, 0, 0, 0, 0, 0).err;
}

errval_t sys_print(const char *buf, size_t len)
{
    return syscall6(SYS_PRINT, (uint64_t)buf, len, 0, 0, 0, 0).err;
}

errval_t sys_yield(uint64_t block)
{
    return syscall6(SYS_YIELD, block, 0, 0, 0, 0, 0).err;
}

errval_t sys_exit(int status)
{
    return syscall6(SYS_EXIT, (uint64_t)(int64_t)status, SYS_EXIT_DOMAIN, 0, 0, 0, 0).err;
}

errval_t sys_exit_dispatcher(void)
{
    return syscall6(SYS_EXIT, 0, SYS_EXIT_DISPATCHER, 0, 0, 0, 0).err;
}

/* Only the domain's first dispatcher has a cspace (kernel/span.c): on
 * another core of a spanning domain the invocation is made by the first
 * one (dispatch.c), so malloc, mmap and every other use of the domain's
 * capabilities work on every core it runs on. */
struct sysret sys_invoke(capaddr_t cptr, uint64_t cmd, uint64_t a1, uint64_t a2,
                         uint64_t a3, uint64_t a4)
{
    if (disp_invoke_forwarded())
        return disp_invoke_origin(cptr, cmd, a1, a2, a3, a4);
    return syscall6(SYS_INVOKE, cptr, cmd, a1, a2, a3, a4);
}

struct sysret sys_getchar(void)
{
    return syscall6(SYS_GETCHAR, 0, 0, 0, 0, 0, 0);
}

errval_t sys_set_fs_base(uint64_t base)
{
    return syscall6(SYS_SET_FS_BASE, base, 0, 0, 0, 0, 0).err;
}

errval_t sys_wake(uint32_t core)
{
    return syscall6(SYS_WAKE, core, 0, 0, 0, 0, 0).err;
}
