/*
 * dispatch_asm.S: the three places where the dispatcher changes stacks.
 *
 *  disp_run_entry  the kernel's run upcall lands here (rdi = udisp,
 *                  rsp = upcall_stack, disabled = 1) and calls disp_run().
 *  disp_resume     loads a complete struct dispatcher_regs (the FS base
 *                  with wrfsbase where the kernel enabled it, still
 *                  disabled; else the caller loaded it, disp_load_fs) and
 *                  enables the dispatcher: after `disabled` is cleared, the
 *                  rest of the restore is [disp_crit_start, disp_crit_end),
 *                  which the kernel treats as disabled when it preempts
 *                  there.
 *  disp_switch     saves the caller's callee-saved state (rbx, rbp,
 *                  r12-r15, rsp, rflags, FPU/SSE control, FS base) as a resumable
 *                  struct dispatcher_regs whose rip returns from
 *                  disp_switch, then resumes another thread.
 *
 * disp_resume cannot write below the target's rsp freely: a thread
 * preempted in a leaf function may keep live data in its 128-byte red
 * zone. It builds a two-word frame [rflags, rip] just below the red zone,
 * switches to it, and ends with `popfq; ret $RED_ZONE`, which leaves rsp at
 * exactly the saved value. popfq at CPL 3 cannot change IF or IOPL, so the
 * kernel's IF = 1 survives whatever the saved rflags say.
 */
#include "dispatch_internal.h"

    .text

/* void disp_run_entry(void): the run upcall (rdi = udisp). */
    .globl disp_run_entry
    .type disp_run_entry, @function
disp_run_entry:
    cld                             /* the ABI wants DF = 0 in C */
    xorl %ebp, %ebp                 /* end of the frame-pointer chain */
    andq $-16, %rsp                 /* 16-aligned before the call */
    call disp_run                   /* never returns */
    ud2
    .size disp_run_entry, . - disp_run_entry

/* void disp_resume(const struct dispatcher_regs *regs (rdi),
 *                  struct dispatcher_shared *shared (rsi)) */
    .globl disp_resume
    .type disp_resume, @function
disp_resume:
    testl $FEATURE_FSGSBASE, SHARED_FEATURES(%rsi)
    jz 1f
    movq REGS_FS_BASE(%rdi), %rax
    wrfsbase %rax                   /* the thread's TLS pointer */
1:  fxrstor REGS_FXSAVE(%rdi)       /* regs is 16-aligned: the struct says so */
    movq REGS_RSP(%rdi), %rax
    subq $(RED_ZONE + 16), %rax     /* frame below the target's red zone */
    movq REGS_RFLAGS(%rdi), %rcx
    movq %rcx, 0(%rax)
    movq REGS_RIP(%rdi), %rcx
    movq %rcx, 8(%rax)
    movq REGS_RBX(%rdi), %rbx
    movq REGS_RCX(%rdi), %rcx
    movq REGS_RDX(%rdi), %rdx
    movq REGS_RBP(%rdi), %rbp
    movq REGS_R8(%rdi), %r8
    movq REGS_R9(%rdi), %r9
    movq REGS_R10(%rdi), %r10
    movq REGS_R11(%rdi), %r11
    movq REGS_R12(%rdi), %r12
    movq REGS_R13(%rdi), %r13
    movq REGS_R14(%rdi), %r14
    movq REGS_R15(%rdi), %r15
    movq %rax, %rsp                 /* still disabled: a preemption resumes here */
    .globl disp_crit_start
disp_crit_start:
    movl $0, SHARED_DISABLED(%rsi)  /* enabled; the kernel still sees rip in here */
    movq REGS_RAX(%rdi), %rax
    movq REGS_RSI(%rdi), %rsi
    movq REGS_RDI(%rdi), %rdi       /* the base register goes last */
    popfq
    retq $RED_ZONE                  /* rip from the frame; rsp = saved rsp */
    .globl disp_crit_end
disp_crit_end:
    .size disp_resume, . - disp_resume

/* void disp_switch(struct dispatcher_regs *save (rdi),
 *                  const struct dispatcher_regs *to (rsi),
 *                  struct dispatcher_shared *shared (rdx))
 * Called disabled; returns (to its caller) enabled, when `save` is resumed.
 * Caller-saved registers come back with stale values, as a call allows. */
    .globl disp_switch
    .type disp_switch, @function
disp_switch:
    movq %rbx, REGS_RBX(%rdi)
    movq %rbp, REGS_RBP(%rdi)
    movq %r12, REGS_R12(%rdi)
    movq %r13, REGS_R13(%rdi)
    movq %r14, REGS_R14(%rdi)
    movq %r15, REGS_R15(%rdi)
    movq %rsp, REGS_RSP(%rdi)       /* points at our return address */
    leaq 1f(%rip), %rax
    movq %rax, REGS_RIP(%rdi)
    pushfq
    popq REGS_RFLAGS(%rdi)
    fxsave REGS_FXSAVE(%rdi)        /* MXCSR and the x87 control word are callee-saved */
    testl $FEATURE_FSGSBASE, SHARED_FEATURES(%rdx)
    jz 2f
    rdfsbase %rax                   /* else regs->fs_base is kept by thread_set_tls */
    movq %rax, REGS_FS_BASE(%rdi)
2:  movq %rsi, %rdi
    movq %rdx, %rsi
    jmp disp_resume
1:  ret
    .size disp_switch, . - disp_switch

/* A dispatcher on another core begins here (Dispatcher.span): rdi = its
 * shared page, rsi = its first thread; rsp = its upcall stack. */
    .globl disp_span_entry_asm
    .type disp_span_entry_asm, @function
disp_span_entry_asm:
    cld
    xorl %ebp, %ebp
    andq $-16, %rsp
    call disp_span_start
    ud2
    .size disp_span_entry_asm, . - disp_span_entry_asm

    .section .note.GNU-stack, "", @progbits
