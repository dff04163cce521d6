/** \file syscall_impl.h \brief The CPU driver's side of kpi/syscall.h. */
#ifndef KERNEL_SYSCALL_IMPL_H
#define KERNEL_SYSCALL_IMPL_H
#include <kpi/syscall.h>
struct trap_frame;
struct dcb;
/** Called by syscall.S with the caller's registers; results go in rax/rdx. */
void syscall_dispatch(struct trap_frame *tf);
/** One log line for a refused call (suppressed for fuzzing domains). */
void sys_refuse_log(struct dcb *d, const char *what, errval_t err);
/** Program the syscall MSRs and enable SSE state on this core. */
void syscall_init_core(void);
/** True if user code may use rd/wrfsbase (CR4.FSGSBASE set on every core). */
#include <stdbool.h>
bool syscall_has_fsgsbase(void);
#endif
