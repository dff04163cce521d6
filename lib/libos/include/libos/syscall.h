/**
 * \file syscall.h
 * \brief System-call wrappers of the library OS (the ABI is
 * lib/kpi/include/kpi/syscall.h).
 *
 * syscall6() is the one `syscall` instruction: rax = number, arguments in
 * rdi, rsi, rdx, r10, r8, r9; the kernel returns rax = errval_t and
 * rdx = a value, and clobbers rcx and r11. The wrappers only give the
 * arguments their types; every one returns the kernel's error unchanged.
 */
#ifndef LIBOS_SYSCALL_H
#define LIBOS_SYSCALL_H
#include <stddef.h>
#include <stdint.h>
#include <kpi/errors.h>
#include <kpi/syscall.h>
#include <kpi/caps.h>

/* sys_yield(): what the dispatcher wants until it runs again. */
#define SYS_YIELD_SLICE     0   /* give the rest of the slice away, stay runnable */
#define SYS_YIELD_BLOCK     1   /* sleep until an LMP message arrives */

static inline struct sysret syscall6(uint64_t num, uint64_t a1, uint64_t a2, uint64_t a3,
                                     uint64_t a4, uint64_t a5, uint64_t a6)
{
    register uint64_t r10 __asm__("r10") = a4;
    register uint64_t r8 __asm__("r8") = a5;
    register uint64_t r9 __asm__("r9") = a6;
    uint64_t rax = num, rdx = a3;
    /* The ABI preserves rdi, rsi, r8-r10, but they are declared as outputs
     * too: the compiler then assumes nothing about them, which costs
     * nothing here and survives a kernel that is less careful. */
    __asm__ volatile("syscall"
                     : "+a"(rax), "+d"(rdx), "+D"(a1), "+S"(a2), "+r"(r10), "+r"(r8), "+r"(r9)
                     :
                     : "rcx", "r11", "memory", "cc");
    return (struct sysret){ .err = rax, .value = rdx };
}

/** Does nothing in the kernel: measures the system-call path. */
errval_t sys_null(void);
/** Writes `len` bytes to the console. */
errval_t sys_print(const char *buf, size_t len);
/** Gives the core away: SYS_YIELD_SLICE, or SYS_YIELD_BLOCK (see above). */
errval_t sys_yield(uint64_t block);
/** Ends the domain with `status`, on every core it spans; returns only if
 *  the kernel refuses. */
errval_t sys_exit(int status);
/** Ends only this dispatcher, one on another core than the domain's first
 *  whose threads are done (on the first one, the domain ends). */
errval_t sys_exit_dispatcher(void);
/** Invokes capability `cptr` with command `cmd` (kpi/syscall.h enums). */
struct sysret sys_invoke(capaddr_t cptr, uint64_t cmd, uint64_t a1, uint64_t a2,
                         uint64_t a3, uint64_t a4);
/** A console byte in .value, or SYS_ERR_NO_INPUT when none is waiting. */
struct sysret sys_getchar(void);
/** Loads the FS base (where the CPU has no wrfsbase; use thread_set_tls). */
errval_t sys_set_fs_base(uint64_t base);
/** Wakes this domain's dispatcher on `core` (SYS_WAKE). */
errval_t sys_wake(uint32_t core);
#endif
