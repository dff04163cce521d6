/**
 * \file panic.h
 * \brief Fatal errors: print what happened and where, then stop cleanly.
 *
 * A panic names the core, the cause, the registers and a symbolised
 * backtrace, then halts the core (or powers the machine off with status
 * PANIC_EXIT_STATUS when booted with halt=poweroff). Never a triple fault.
 */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H
#include <stdint.h>

struct trap_frame;

#define PANIC_EXIT_STATUS 3

__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);
__attribute__((noreturn)) void panic_trap(struct trap_frame *tf);
/** Stop the machine: poweroff with `status` if halt=poweroff, else halt. */
__attribute__((noreturn)) void machine_stop(int status);

/** Name of the kernel function containing `addr`, and the offset into it. */
const char *ksym_lookup(uint64_t addr, uint64_t *offset);

#define ASSERT(c) do { if (!(c)) panic("assertion '%s' failed at %s:%d", #c, __FILE__, __LINE__); } while (0)
#endif
