    .section .text.start, "ax"
    .globl _start
_start:
    movq %rdi, %r12
    movl $1, %eax           /* SYS_PRINT */
    leaq msg(%rip), %rdi
    movq $msglen, %rsi
    syscall
    movl $2, %eax           /* yield */
    xorl %edi, %edi
    syscall
    movl $1, %eax
    leaq msg2(%rip), %rdi
    movq $msg2len, %rsi
    syscall
    movl $3, %eax           /* exit */
    movl $7, %edi
    syscall
    ud2
    .section .rodata
msg: .ascii "raw: hello from user space\n"
    .set msglen, . - msg
msg2: .ascii "raw: after yield\n"
    .set msg2len, . - msg2
