/*
 * resume.S: the two ways a CPU driver leaves the kernel when it is done
 * with an event: into a dispatcher (from a struct dispatcher_regs, via
 * iretq), or into the idle loop on a fresh kernel stack.
 */
#include <arch/selectors.h>

/* struct dispatcher_regs offsets (kpi/dispatcher.h) */
#define R_RAX 0
#define R_RBX 8
#define R_RCX 16
#define R_RDX 24
#define R_RSI 32
#define R_RDI 40
#define R_RBP 48
#define R_RSP 56
#define R_R8  64
#define R_R9  72
#define R_R10 80
#define R_R11 88
#define R_R12 96
#define R_R13 104
#define R_R14 112
#define R_R15 120
#define R_RIP 128
#define R_RFLAGS 136
#define R_FXSAVE 160

    .text
    .globl dispatch_resume_regs
dispatch_resume_regs:           /* (const struct dispatcher_regs *r), irqs off */
    fxrstor64 R_FXSAVE(%rdi)
    pushq $SEL_UDATA
    pushq R_RSP(%rdi)
    pushq R_RFLAGS(%rdi)
    pushq $SEL_UCODE
    pushq R_RIP(%rdi)
    movq R_RAX(%rdi), %rax
    movq R_RBX(%rdi), %rbx
    movq R_RCX(%rdi), %rcx
    movq R_RDX(%rdi), %rdx
    movq R_RSI(%rdi), %rsi
    movq R_RBP(%rdi), %rbp
    movq R_R8(%rdi), %r8
    movq R_R9(%rdi), %r9
    movq R_R10(%rdi), %r10
    movq R_R11(%rdi), %r11
    movq R_R12(%rdi), %r12
    movq R_R13(%rdi), %r13
    movq R_R14(%rdi), %r14
    movq R_R15(%rdi), %r15
    movq R_RDI(%rdi), %rdi
    swapgs
    iretq

    .globl dispatch_idle_loop
dispatch_idle_loop:             /* (uint64_t stack_top) */
    movq %rdi, %rsp
    xorl %ebp, %ebp
    sti
1:  hlt
    jmp 1b
