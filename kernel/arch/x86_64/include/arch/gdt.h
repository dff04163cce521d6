/**
 * \file gdt.h
 * \brief Segments and the TSS of one core.
 *
 * The selector order is what syscall/sysret need (Intel SDM Vol. 2B,
 * SYSRET): STAR[63:48] = 0x10, so sysret loads SS = 0x18|3, CS = 0x20|3.
 */
#ifndef ARCH_GDT_H
#define ARCH_GDT_H
#include <stdint.h>

#include <arch/selectors.h>

#define IST_DOUBLE_FAULT 1
#define IST_NMI          2
#define IST_MACHINE_CHECK 3
#define IST_STACK_SIZE   4096

/* Intel SDM Vol. 3A, 8.7: 64-bit TSS. */
struct tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss) == 104, "SDM 3A 8.7");

/** One core's descriptor tables and emergency stacks. */
struct core_gdt {
    uint64_t gdt[7];            /* null, kcode, kdata, udata, ucode, tss lo/hi */
    struct tss tss;
    uint8_t ist_stacks[3][IST_STACK_SIZE] __attribute__((aligned(16)));
};

/** Load `g` on this core: GDT, segment registers, TSS. */
void gdt_load(struct core_gdt *g);
/** The kernel stack the CPU switches to on entry from user mode. */
void gdt_set_kernel_stack(struct core_gdt *g, uint64_t rsp0);
#endif
