/**
 * \file core.h
 * \brief The state of one CPU driver instance: everything a core's kernel
 * owns. Each core's struct core lives in memory that core was given; no
 * other core writes it (the BSP fills it in once before starting the core).
 * The GS base points at it, so this_core() is one load.
 */
#ifndef KERNEL_CORE_H
#define KERNEL_CORE_H
#include <stdint.h>
#include <arch/gdt.h>
#include <mm/pmm.h>

#define MAX_CORES 64
#define CORE_STACK_SIZE (16 * 1024)

struct core {
    struct core *self;              /* gs:0, for this_core() */
    /* Written by the BSP before start, then read-only. */
    uint32_t id, apic_id;
    uint64_t stack_top;
    uint64_t mem_base, mem_bytes;   /* RAM this core's allocator owns */
    /* Owned by this core. */
    volatile uint32_t started;      /* set once by the core itself */
    volatile uint64_t ticks;        /* APIC timer interrupts */
    struct pmm pmm;
    struct core_gdt gdt;
};

static inline struct core *this_core(void)
{
    struct core *c;
    __asm__ volatile("movq %%gs:0, %0" : "=r"(c));
    return c;
}

/** Make `c` this core's struct core (GS base). */
void core_set_current(struct core *c);
/** Start every other core listed in the MADT; log each one. The
 *  trampoline runs in the page at `trampoline_pa` (below 1 MiB). */
struct madt_info;
void smp_start_cores(const struct madt_info *madt, struct core *bsp, uint64_t trampoline_pa);
/** Number of cores running (the BSP included). */
uint32_t smp_cores_up(void);
#endif
