/*
 * boot.S: from GRUB's multiboot2 hand-off (32-bit protected mode, paging
 * off) to kmain() in long mode at the kernel's higher-half address.
 *
 * Boot page tables map physical 0..4 GiB three times: identity (so this
 * code keeps running when paging turns on), at DIRECT_MAP_BASE, and the
 * first GiB at KERNEL_VBASE. paging.c replaces them with the real kernel
 * tables, which drop the identity map.
 */
#include <memlayout.h>

#define MB2_MAGIC       0xe85250d6
#define MB2_ARCH_I386   0
#define MB2_BOOT_MAGIC  0x36d76289   /* what GRUB leaves in %eax */
#define MB2_HDR_FRAMEBUFFER 5        /* header tag types and flags, spec 3.1.3 */
#define MB2_HDR_OPTIONAL    1
#define PTE_P   0x1
#define PTE_W   0x2
#define PTE_PS  0x80
#define CR0_PE  (1 << 0)
#define CR0_WP  (1 << 16)
#define CR0_PG  (1 << 31)
#define CR4_PAE (1 << 5)
#define MSR_EFER 0xc0000080
#define EFER_LME (1 << 8)
#define EFER_NXE (1 << 11)
#define COM1 0x3f8

    .section .multiboot, "a"
    .balign 8
mb2_header:
    .long MB2_MAGIC
    .long MB2_ARCH_I386
    .long mb2_header_end - mb2_header
    .long 0x100000000 - (MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
    /* Framebuffer request (Multiboot2 spec 3.1.10), optional: ask GRUB for
     * a linear framebuffer, which under UEFI it hands over only when asked
     * (and only with its video modules loaded: grub.cfg insmod all_video).
     * 1024x768x32 is a preference; GRUB picks the nearest mode it has, and
     * boots anyway without one. The console draws on it (kernel/console). */
    .balign 8
    .word MB2_HDR_FRAMEBUFFER, MB2_HDR_OPTIONAL
    .long 20
    .long 1024, 768, 32
    .balign 8                       /* end tag */
    .word 0, 0
    .long 8
mb2_header_end:

    .section .boot.text, "ax"
    .code32
    .globl _start
_start:
    cli
    cld
    movl %eax, boot_magic
    movl %ebx, boot_mbi
    movl $boot_stack32_top, %esp

    /* Long mode and (optionally) NX need CPUID leaf 0x80000001. */
    movl $0x80000000, %eax
    cpuid
    cmpl $0x80000001, %eax
    jb no_long_mode
    movl $0x80000001, %eax
    cpuid
    testl $(1 << 29), %edx
    jz no_long_mode
    movl %edx, boot_ext_features

    /* Zero the table area, then fill it. */
    movl $boot_tables_start, %edi
    movl $boot_tables_end, %ecx
    subl %edi, %ecx
    shrl $2, %ecx
    xorl %eax, %eax
    rep stosl

    /* boot_pd: 2048 2 MiB pages covering 0..4 GiB. */
    movl $boot_pd, %edi
    xorl %ecx, %ecx
1:  movl %ecx, %eax
    shll $21, %eax
    orl $(PTE_P | PTE_W | PTE_PS), %eax
    movl %eax, (%edi, %ecx, 8)
    incl %ecx
    cmpl $2048, %ecx
    jb 1b

    movl $boot_pd + (PTE_P | PTE_W), %eax
    movl %eax, boot_pdpt_low
    addl $4096, %eax
    movl %eax, boot_pdpt_low + 8
    addl $4096, %eax
    movl %eax, boot_pdpt_low + 16
    addl $4096, %eax
    movl %eax, boot_pdpt_low + 24
    movl $boot_pd + (PTE_P | PTE_W), %eax
    movl %eax, boot_pdpt_high + 510 * 8
    movl $boot_pdpt_low + (PTE_P | PTE_W), %eax
    movl %eax, boot_pml4
    movl %eax, boot_pml4 + 256 * 8           /* DIRECT_MAP_BASE */
    movl $boot_pdpt_high + (PTE_P | PTE_W), %eax
    movl %eax, boot_pml4 + 511 * 8           /* KERNEL_VBASE */

    movl $boot_pml4, %eax
    movl %eax, %cr3
    movl %cr4, %eax
    orl $CR4_PAE, %eax
    movl %eax, %cr4
    movl $MSR_EFER, %ecx
    rdmsr
    orl $EFER_LME, %eax
    testl $(1 << 20), boot_ext_features      /* NX available? */
    jz 2f
    orl $EFER_NXE, %eax
2:  wrmsr
    movl %cr0, %eax
    orl $(CR0_PG | CR0_WP | CR0_PE), %eax
    movl %eax, %cr0

    lgdt boot_gdt_ptr
    ljmp $0x08, $long_mode_low

no_long_mode:
    movl $msg_no_lm, %esi
3:  lodsb
    testb %al, %al
    jz 4f
    movw $COM1 + 5, %dx                      /* wait for THR empty */
5:  movb %al, %bl
    inb %dx, %al
    testb $0x20, %al
    movb %bl, %al
    jz 5b
    movw $COM1, %dx
    outb %al, %dx
    jmp 3b
4:  cli
    hlt
    jmp 4b

    .code64
long_mode_low:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    xorw %ax, %ax
    movw %ax, %fs
    movw %ax, %gs
    movabsq $kernel_entry64, %rax
    jmp *%rax

    .section .boot.data, "aw"
    .balign 8
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff                 /* 0x08: 64-bit code, ring 0 */
    .quad 0x00cf92000000ffff                 /* 0x10: data, ring 0 */
boot_gdt_end:
boot_gdt_ptr:
    .word boot_gdt_end - boot_gdt - 1
    .long boot_gdt
    .globl boot_magic, boot_mbi
boot_magic: .long 0
boot_mbi:   .long 0
boot_ext_features: .long 0
msg_no_lm:
    .asciz "\r\nboot: this CPU has no long mode (x86-64); arrakis needs a 64-bit CPU. Halted.\r\n"

    .section .boot.bss, "aw", @nobits
    .balign 4096
boot_tables_start:
boot_pml4:      .skip 4096
boot_pdpt_low:  .skip 4096
boot_pdpt_high: .skip 4096
boot_pd:        .skip 4 * 4096
boot_tables_end:
    .skip 4096
boot_stack32_top:

    .text
    .globl kernel_entry64
kernel_entry64:
    movabsq $boot_stack_top, %rsp
    xorl %ebp, %ebp
    movabsq $boot_magic, %rax
    movl (%rax), %edi
    movabsq $boot_mbi, %rax
    movl (%rax), %esi
    call kmain
6:  cli
    hlt
    jmp 6b

    .bss
    .balign 16
    .globl boot_stack, boot_stack_top
boot_stack:
    .skip BOOT_STACK_SIZE
boot_stack_top:
