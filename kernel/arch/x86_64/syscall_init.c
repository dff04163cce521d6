/*
 * syscall_init.c: per-core set-up for user space: the syscall MSRs (Intel
 * SDM Vol. 3A, 5.8.8) and the FPU/SSE state user code may use (the kernel
 * itself never touches it, so it only saves it when switching domains).
 */
#include <syscall_impl.h>
#include <arch/cpu.h>
#include <arch/selectors.h>

#define MSR_STAR   0xc0000081
#define MSR_LSTAR  0xc0000082
#define MSR_FMASK  0xc0000084
#define EFER_SCE   (1ull << 0)
#define RFLAGS_TF  (1ull << 8)
#define RFLAGS_IF  (1ull << 9)
#define RFLAGS_DF  (1ull << 10)
#define RFLAGS_AC  (1ull << 18)
#define CR0_MP (1ull << 1)
#define CR0_EM (1ull << 2)
#define CR0_TS (1ull << 3)
#define CR4_OSFXSR (1ull << 9)
#define CR4_OSXMMEXCPT (1ull << 10)
#define CR4_FSGSBASE (1ull << 16)
#define CPUID7_EBX_FSGSBASE (1u << 0)

extern char syscall_entry[];

bool syscall_has_fsgsbase(void)
{
    return cpuid(0, 0).eax >= 7 && (cpuid(7, 0).ebx & CPUID7_EBX_FSGSBASE);
}

void syscall_init_core(void)
{
    /* syscall: CS = 0x08, SS = 0x10; sysret: SS = 0x18|3, CS = 0x20|3. */
    wrmsr(MSR_STAR, ((uint64_t)(SEL_KDATA) << 48) | ((uint64_t)SEL_KCODE << 32));
    wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
    wrmsr(MSR_FMASK, RFLAGS_TF | RFLAGS_IF | RFLAGS_DF | RFLAGS_AC);
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
    wrmsr(MSR_KERNEL_GS_BASE, 0);

    uint64_t cr0, cr4;
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    cr0 = (cr0 | CR0_MP) & ~(CR0_EM | CR0_TS);
    __asm__ volatile("mov %0, %%cr0" : : "r"(cr0));
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    cr4 |= CR4_OSFXSR | CR4_OSXMMEXCPT;
    if (syscall_has_fsgsbase())
        cr4 |= CR4_FSGSBASE;            /* threads set their TLS pointer themselves */
    __asm__ volatile("mov %0, %%cr4" : : "r"(cr4));
    __asm__ volatile("fninit");
}
