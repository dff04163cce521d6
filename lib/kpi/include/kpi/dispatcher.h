/**
 * \file dispatcher.h
 * \brief The page a CPU driver shares with each dispatcher it runs.
 *
 * One dispatcher per domain per core. The kernel never runs a domain's
 * threads itself: it enters the dispatcher, which schedules its own
 * user-level threads (lib/libos). The protocol, as in Barrelfish:
 *
 *  - `disabled` is set by the dispatcher while it is inside its own
 *    scheduler (or any critical section); the kernel never upcalls then.
 *  - Preempted while enabled: the kernel saves the registers in
 *    `enabled_area` and next time upcalls `run_entry` (rdi = `udisp`,
 *    rsp = `upcall_stack`) with `disabled` set to 1. The dispatcher decides
 *    which thread runs next (typically the one in enabled_area).
 *  - Preempted while disabled, or with rip inside [crit_start, crit_end)
 *    (the few instructions of resume_enabled that restore a thread after
 *    clearing `disabled`): saved in `disabled_area` and resumed there.
 *  - Before the library OS sets `run_entry`, the dispatcher is always
 *    resumed where it was; a new domain starts that way, disabled, at its
 *    ELF entry with rdi = this page and rsi = the argument block.
 *  - A fault in user mode: saved in `trap_area`; the CPU driver reports it
 *    (domain, address, cause), stops the domain and reclaims its memory.
 *    (`fault_entry` is reserved for a fault upcall; it is not honoured yet.)
 */
#ifndef KPI_DISPATCHER_H
#define KPI_DISPATCHER_H
#include <stdint.h>

/* What the CPU driver enabled for user code. */
#define DISP_FEATURE_FSGSBASE (1u << 0)   /* rd/wrfsbase work (else SYS_SET_FS_BASE) */

/** The user register file, as saved by the kernel and by libos. fs_base is
 *  the thread's TLS pointer: saved and restored with the registers. */
struct dispatcher_regs {
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rip, rflags, fs_base, reserved;
    uint8_t fxsave[512] __attribute__((aligned(16)));   /* FXSAVE image */
};
_Static_assert(sizeof(struct dispatcher_regs) == 160 + 512, "layout is ABI");

#define DISP_REG_OFFSET_RIP  (16 * 8)

#define LMP_RING_SLOTS 16
#define LMP_WORDS 4

/** One local message, written by the kernel (ENDPOINT_CMD_SEND). */
struct lmp_msg {
    uint64_t words[LMP_WORDS];
    uint32_t sender;            /* domain id */
    uint32_t badge;             /* the badge of the endpoint it came through
                                   (kpi/monitor.h), LMP_BADGE_KERNEL from the
                                   CPU driver itself */
    uint32_t cap_slot;          /* slot of a received capability, or 0 */
    uint32_t seq;               /* kernel's count; valid when > consumer seq */
};

struct dispatcher_shared {
    volatile uint32_t disabled;
    volatile uint32_t haswork;          /* set by the kernel on every delivery;
                                           nothing reads it yet */
    uint32_t core_id, domain_id;        /* written by the kernel */
    uint64_t run_entry;                 /* set by libos */
    uint64_t fault_entry;               /* reserved (see above): not honoured yet */
    uint64_t udisp;                     /* opaque, given back in rdi */
    uint64_t upcall_stack;              /* top of the upcall stack */
    uint64_t crit_start, crit_end;      /* resume critical region */
    uint64_t tsc_hz;                    /* written by the kernel */
    uint64_t ncores;                    /* written by the kernel */
    uint64_t rtc_epoch_s;               /* wall clock (Unix seconds, UTC) ... */
    uint64_t rtc_tsc;                   /* ... when the TSC read this */
    uint32_t features;                  /* DISP_FEATURE_* */
    volatile uint32_t doorbells;        /* rings of this domain's Doorbells here,
                                           counted by the kernel (wraps) */
    /* LMP receive ring: the kernel is the only writer of `lmp`, the
     * dispatcher the only writer of `lmp_consumed`. */
    volatile uint32_t lmp_produced, lmp_consumed;
    struct lmp_msg lmp[LMP_RING_SLOTS];
    struct dispatcher_regs enabled_area;
    struct dispatcher_regs disabled_area;
    struct dispatcher_regs trap_area;
};
_Static_assert(sizeof(struct dispatcher_shared) <= 4096, "one page");

/* Where the kernel maps things into every new domain. */
#define DISP_SHARED_VADDR   0x00007f0000000000ull
#define USER_STACK_TOP      0x00007ff000000000ull
#define USER_STACK_BYTES    (256 * 1024)
#define USER_ARGS_VADDR     0x00007f0000001000ull
/* The shared page of the domain's dispatcher on `core` when it spans cores
 * (the first dispatcher's stays at DISP_SHARED_VADDR). */
#define DISP_SPAN_VADDR(core) (0x00007f0000100000ull + (uint64_t)(core) * 4096)
#define USER_SHARED_FRAME_VADDR 0x00007e0000000000ull
#define USER_IMAGE_LIMIT    0x0000700000000000ull   /* ELF segments below this */
/* Where a domain may map its own Frames (Frame.map): heaps, mmap. */
#define USER_MAP_BASE       0x0000100000000000ull
#define USER_MAP_END        0x00006f0000000000ull

/** The argument block at USER_ARGS_VADDR (rsi at the first entry). */
struct spawn_args {
    uint32_t argc;
    uint32_t reserved;
    uint64_t argv[16];                  /* pointers into `strings` */
    char strings[1024];
};
#endif
