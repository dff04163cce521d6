/**
 * \file trap.h
 * \brief Exceptions and interrupts: the IDT and the saved register frame.
 */
#ifndef ARCH_TRAP_H
#define ARCH_TRAP_H
#include <stdint.h>
#include <kpi/errors.h>

/* What isr.S pushes, lowest address first. */
struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss;      /* pushed by the CPU */
};

#define VEC_DIVIDE       0
#define VEC_NMI          2
#define VEC_DOUBLE_FAULT 8
#define VEC_GP           13
#define VEC_PAGE_FAULT   14
#define VEC_MACHINE_CHECK 18
#define VEC_FIRST_IRQ    32
#define VEC_APIC_TIMER   32
#define VEC_IOMMU_FAULT  48     /* the IOMMU driver's fault events */
#define VEC_TLB_SHOOTDOWN 49    /* another core changed page tables we may cache */
#define VEC_XCALL        50     /* another core posted a request or an answer (xcall.c) */
#define VEC_DEVICE_FIRST 64     /* drivers' device vectors: trap_alloc_vectors() */
#define VEC_DEVICE_END   240
#define VEC_APIC_SPURIOUS 255

typedef void (*trap_handler_fn)(struct trap_frame *tf);

/** Load the (shared, read-only after boot) IDT on this core. */
void idt_init(void);
void idt_load(void);
/** Route interrupt `vector` (>= 32) to `fn` on every core. */
void trap_register(uint8_t vector, trap_handler_fn fn);
/** Give a driver `n` consecutive vectors of [VEC_DEVICE_FIRST,
 *  VEC_DEVICE_END) for its devices' interrupts, the first in *first (at
 *  boot, on the bootstrap core); TRAP_ERR_NO_VECTORS when none are left.
 *  The driver then routes them with trap_register. */
errval_t trap_alloc_vectors(unsigned n, uint8_t *first);
/** Called by isr.S for every vector. */
void trap_dispatch(struct trap_frame *tf);
const char *trap_vector_name(uint64_t vector);
#endif
