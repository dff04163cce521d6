/*
 * syscall.S: the `syscall` entry. Switch to this core's kernel stack,
 * build the same struct trap_frame an interrupt would (vector VEC_SYSCALL),
 * call syscall_dispatch(), and leave through trap_return (iretq).
 * SFMASK clears IF on entry, so nothing interrupts the switch.
 */
#include <arch/selectors.h>
#include <core_offsets.h>
#include <arch/frame.h>

    .text
    .globl syscall_entry
syscall_entry:
    swapgs
    movq %rsp, %gs:CORE_OFF_USER_RSP
    movq %gs:CORE_OFF_STACK_TOP, %rsp
    pushq $SEL_UDATA                /* ss */
    pushq %gs:CORE_OFF_USER_RSP     /* rsp */
    pushq %r11                      /* rflags */
    pushq $SEL_UCODE                /* cs */
    pushq %rcx                      /* rip */
    pushq $0                        /* error */
    pushq $VEC_SYSCALL              /* vector */
    SAVE_GPRS
    cld
    xorl %ebp, %ebp
    movq %rsp, %rdi
    call syscall_dispatch
    jmp trap_return
