/*
 * isr.S: one entry stub per vector. Each pushes a dummy error code where
 * the CPU pushes none (so every frame has the same shape), then its vector
 * number, saves the general registers and calls trap_dispatch().
 */
#include <memlayout.h>
#include <arch/frame.h>

/* Vectors for which the CPU pushes an error code (SDM Vol. 3A, 6.3.1). */
#define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

    .text
    .macro isr_stub v
    .balign 16
isr_\v:
    .if !HAS_ERROR(\v)
    pushq $0
    .endif
    pushq $\v
    jmp isr_common
    .endm

    .altmacro
    .set v, 0
    .rept 256
    isr_stub %v
    .set v, v + 1
    .endr

isr_common:
    testb $3, 24(%rsp)              /* from user mode? (cs above vector, error, rip) */
    jz 1f
    swapgs
1:  SAVE_GPRS
    cld
    movq %rsp, %rdi
    call trap_dispatch
    .globl trap_return
trap_return:
    RESTORE_GPRS
    addq $16, %rsp                  /* vector and error code */
    testb $3, 8(%rsp)               /* back to user mode? */
    jz 2f
    swapgs
2:  iretq

    .section .rodata
    .balign 8
    .globl isr_table
isr_table:
    .macro isr_addr v
    .quad isr_\v
    .endm
    .set v, 0
    .rept 256
    isr_addr %v
    .set v, v + 1
    .endr
