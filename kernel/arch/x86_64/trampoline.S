/*
 * trampoline.S: where an application processor starts (SIPI), copied by
 * smp.c to a page below 1 MiB. Real mode -> protected mode -> long mode
 * with the parameters smp.c fills in at the end of the page: a CR3 that
 * maps both this page (identity) and the kernel, a stack, and the C entry.
 */
#define T(x) ((x) - trampoline_start)

    .section .rodata
    .balign 16
    .code16
    .globl trampoline_start, trampoline_end, trampoline_params
trampoline_start:
    cli
    cld
    /* CS = page >> 4 with IP = 0; address everything through %cs-relative
     * data first, then switch to flat segments. %ebx = page base. */
    movw %cs, %ax
    movw %ax, %ds
    xorl %ebx, %ebx
    movw %ax, %bx
    shll $4, %ebx
    /* Patch the GDT pointer base and the far-jump targets with the page. */
    leal T(tramp_gdt)(%ebx), %eax
    movl %eax, T(tramp_gdt_base)
    leal T(tramp32)(%ebx), %eax
    movl %eax, T(tramp_jump32)
    leal T(tramp64)(%ebx), %eax
    movl %eax, T(tramp_jump64)
    lgdtl T(tramp_gdt_ptr)
    movl %cr0, %eax
    orl $1, %eax
    movl %eax, %cr0
    ljmpl *T(tramp_jump32)

    .code32
tramp32:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movl %cr4, %eax
    orl $(1 << 5), %eax                     /* PAE */
    movl %eax, %cr4
    movl T(tramp_cr3)(%ebx), %eax
    movl %eax, %cr3
    movl $0xc0000080, %ecx                  /* EFER */
    rdmsr
    orl $(1 << 8), %eax                     /* LME */
    orl T(tramp_efer_extra)(%ebx), %eax     /* NXE if the BSP has it */
    wrmsr
    movl %cr0, %eax
    orl $0x80010000, %eax                   /* PG | WP */
    movl %eax, %cr0
    ljmpl *T(tramp_jump64)(%ebx)

    .code64
tramp64:
    movl %ebx, %ebx                         /* upper halves are undefined here */
    movq T(tramp_stack)(%rbx), %rsp
    movq T(tramp_arg)(%rbx), %rdi
    movq T(tramp_entry)(%rbx), %rax
    xorl %ebp, %ebp
    jmp *%rax

    .balign 8
tramp_gdt:
    .quad 0
    .quad 0x00cf9a000000ffff                /* 0x08: 32-bit code */
    .quad 0x00cf92000000ffff                /* 0x10: data */
    .quad 0x00af9a000000ffff                /* 0x18: 64-bit code */
tramp_gdt_ptr:
    .word 31
tramp_gdt_base:
    .long 0
tramp_jump32:
    .long 0
    .word 0x08
tramp_jump64:
    .long 0
    .word 0x18
    .balign 8
trampoline_params:                          /* struct trampoline_params */
tramp_cr3:        .quad 0
tramp_stack:      .quad 0
tramp_entry:      .quad 0
tramp_arg:        .quad 0
tramp_efer_extra: .quad 0
trampoline_end:
