/*
 * syscall.c: the typed system-call wrappers (see libos/syscall.h).
 *
 * Each is one syscall6() with its arguments cast to words; none of them
 * interprets the result. Out of line so that a program's call sites stay
 * small and a debugger can break on them.
 */
#include <libos/syscall.h>

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
    return syscall6(SYS_EXIT, (uint64_t)(int64_t)status, 0, 0, 0, 0, 0).err;
}

struct sysret sys_invoke(capaddr_t cptr, uint64_t cmd, uint64_t a1, uint64_t a2,
                         uint64_t a3, uint64_t a4)
{
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
