/** \file selectors.h \brief GDT selectors, for C and assembly (see gdt.h). */
#ifndef ARCH_SELECTORS_H
#define ARCH_SELECTORS_H
#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_UDATA (0x18 | 3)
#define SEL_UCODE (0x20 | 3)
#define SEL_TSS   0x28
#define VEC_SYSCALL 256         /* pseudo vector in the frame of a syscall */
#endif
