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
#include <cap/cap.h>
#include <core_offsets.h>
#include <kpi/dispatcher.h>
#include <arch/vspace.h>
#include <xcall.h>
#include <capmove.h>

#define MAX_CORES 64
#define CORE_STACK_SIZE (16 * 1024)

struct dcb;

struct core {
    struct core *self;              /* gs:0, for this_core() */
    uint64_t stack_top;             /* gs:8: kernel stack for entries from user */
    uint64_t user_rsp;              /* gs:16: scratch for syscall entry */
    /* Written by the BSP before start, then read-only. */
    uint32_t id, apic_id;
    uint64_t mem_base, mem_bytes;   /* RAM this core's allocator owns */
    /* Owned by this core. */
    volatile uint32_t started;      /* set once by the core itself */
    volatile uint64_t ticks;        /* APIC timer interrupts */
    struct pmm pmm;
    struct core_gdt gdt;
    /* Domains on this core (dispatch.c). */
    struct dcb *dcbs;
    struct dcb *current;
    bool idle;                      /* in the idle loop: interrupts may schedule */
    struct dcb *preferred;          /* run next if runnable (a doorbell rang) */
    uint32_t next_domain;
    struct mdb mdb;
    /* Inter-monitor channel frame: core 0 <-> this core (boot-time, like
     * Barrelfish's URPC frame); on core 0, the array of all of them. */
    uint64_t urpc_pa;
    struct dispatcher_regs resume_regs;     /* the checked copy a dispatcher is
                                               resumed from (dispatch.c) */
    struct capmove_core capmove;            /* Frames lent to and from other cores */
    /* TLB shootdown (kernel/tlb.c): other cores raise req, this core
     * flushes and sets done = the req it saw. */
    volatile uint32_t tlb_req, tlb_done;
    /* Cross-core requests (xcall.c): slot [i] is core i's requests to this
     * core (written by core i, answered by this one); this core's own
     * requests wait in xcall_out until their target's slot is free. */
    struct xcall_slot xcall_in[MAX_CORES];
    struct xcall xcall_out[XCALL_QUEUE];
    uint64_t xcall_tickets;
};
#define URPC_FRAME_BYTES (8 * 1024)

/** Every core's struct core, by id (written at boot, read-only after). */
extern struct core *cores[MAX_CORES];
extern uint32_t ncores;

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
_Static_assert(__builtin_offsetof(struct core, stack_top) == CORE_OFF_STACK_TOP, "syscall.S");
_Static_assert(__builtin_offsetof(struct core, user_rsp) == CORE_OFF_USER_RSP, "syscall.S");
#endif
