/*
 * crt0.S: where every user program starts.
 *
 * The kernel enters _start (ELF entry) with the dispatcher disabled,
 * rdi = the shared page (DISP_SHARED_VADDR), rsi = the spawn_args block
 * (USER_ARGS_VADDR) and rsp = USER_STACK_TOP. _start ends the frame chain,
 * aligns the stack, lets libos_init() set up the dispatcher (which enables
 * it), lets the C library start (libos_libc_init: constructors with
 * newlib, nothing with minic), runs main(libos_argc, libos_argv) as the
 * initial thread, and passes main's result to exit(), which is the C
 * library's. This stack becomes the initial thread's stack.
 */
    .section .text.start, "ax", @progbits
    .globl _start
    .type _start, @function
_start:
    xorl %ebp, %ebp
    andq $-16, %rsp
    pushq $0                        /* a null return address ... */
    pushq $0                        /* ... and saved rbp: the end of the chain */
    movq %rsp, %rbp                 /* rsp is 16-aligned at each call below */
    call libos_init                 /* (rdi, rsi) as the kernel gave them */
    call libos_libc_init            /* the C library's start-up (libos.h) */
    movl libos_argc(%rip), %edi
    leaq libos_argv(%rip), %rsi
    call main
    movl %eax, %edi
    call exit                       /* never returns */
    ud2
    .size _start, . - _start

    .section .note.GNU-stack, "", @progbits
