/**
 * \file dispatch.h
 * \brief Domains and their dispatchers on one core: the dispatcher control
 * block, choosing one to run, and entering user space (kernel/dispatch.c).
 *
 * The CPU driver is event-driven with one stack per core: every entry from
 * user space (syscall, interrupt, fault) starts at the top of that stack,
 * and every exit is dispatch_resume() of some dispatcher or the idle loop.
 */
#ifndef KERNEL_DISPATCH_H
#define KERNEL_DISPATCH_H
#include <stdint.h>
#include <stdbool.h>
#include <kpi/dispatcher.h>
#include <kpi/syscall.h>
#include <arch/vspace.h>
#include <cap/cap.h>

#define DCBS_PER_CORE 32
#define DCB_MAPPINGS 64

/** A Frame capability mapped with Frame.map (kernel/mapping.c). */
struct frame_mapping {
    struct cte *slot;               /* NULL: entry free */
    uint64_t va, pages;
};

struct trap_frame;

/** A dispatcher control block. Owner: the CPU driver of its core. */
struct dcb {
    uint32_t id;                    /* core << 16 | serial: unique system-wide */
    enum domain_state state;        /* 0: slot free */
    int exit_status;
    char name[SPAWN_NAME_MAX];
    struct vspace vspace;
    struct dispatcher_shared *disp; /* the shared page, via the direct map */
    uint64_t disp_pa;
    bool resume_disabled;           /* next entry: resume disabled_area */
    bool blocked;                   /* sleeps until an LMP message or a tick */
    bool awaiting;                  /* in a call another core answers (xcall.c) */
    bool wake_pending;              /* SYS_WAKE came while it was not blocked:
                                       its next SYS_YIELD(block) returns at once */
    bool monitor;                   /* this core's monitor */
    bool secondary;                 /* spans from another core (span.c) */
    uint32_t origin;                /* secondary: the origin dispatcher's id */
    uint64_t span_mask;             /* origin: cores with a secondary */
    /* While DOMAIN_ENDING (span.c): what it becomes when done, the cores
     * still to be told (origin: STOP to each; secondary: END to the
     * origin's), and those whose answer the origin awaits. */
    enum domain_state end_how;
    uint64_t end_post, end_confirm;
    uint64_t gs_base;               /* user GS base: this dispatcher's page */
    struct frame_mapping maps[DCB_MAPPINGS];
    uint32_t refusals;              /* refused syscalls, for rate-limited logs */
    /* cspace: an L1 CNode whose slot 0 (TASKCN) and 1 (SLOTS) are L2 CNodes */
    struct capability rootcn;       /* the L1 CNode (kernel's reference) */
    struct cte root_slot;           /* the root capability to it */
    uint64_t cspace_pa, cspace_bytes;
    uint64_t ram_pa, ram_bytes;     /* the RAM the domain was given */
};

/** Fill a new dispatcher's shared page: it starts disabled at `entry`
 *  with rsp, rdi and rsi as given and default FPU control words. */
void dispatch_page_init(struct dispatcher_shared *s, uint32_t core, uint32_t domain_id,
                        uint64_t entry, uint64_t rsp, uint64_t rdi, uint64_t rsi);
/** Set up this core's domain table and capability database. */
errval_t dispatch_init_core(void);
/** Make a new dispatcher runnable on this core. */
void dispatch_make_runnable(struct dcb *d);
struct dcb *dispatch_alloc(void);
struct dcb *dispatch_find(uint32_t id);
/** Save the user state of the current dispatcher from a trap frame. */
void dispatch_save(struct trap_frame *tf, bool is_fault);
/** Run something: the next runnable dispatcher, or idle. Never returns. */
__attribute__((noreturn)) void dispatch_schedule(void);
/** End d's domain (`how`: DOMAIN_EXITED or DOMAIN_KILLED), logging why
 *  when `why` is given. A domain on one core is reclaimed at once. One
 *  that spans cores ends through kernel/span.c: its dispatchers elsewhere
 *  are stopped first, its memory freed after (d is DOMAIN_ENDING until
 *  then); d may be any of its dispatchers. */
void dispatch_kill(struct dcb *d, enum domain_state how, int status, const char *why);
/** Stop d on this core and free what is its own (a secondary's: nothing
 *  but its slot), then make it `how`. Tells nobody. */
void dispatch_stop(struct dcb *d, enum domain_state how);
/** The last step of a domain's end: reclaim, become `how`, tell the
 *  monitor of this core. */
void dispatch_finish(struct dcb *d, enum domain_state how);
/** Wake a dispatcher blocked on LMP. */
void dispatch_wake(struct dcb *d);
/** The current dispatcher's system call is answered by another core:
 *  save it and run something else until dispatch_answer(). */
__attribute__((noreturn)) void dispatch_await_answer(struct trap_frame *tf);
/** Finish the awaited call of domain `id` on this core (if it still
 *  exists) with (err, value) in its rax/rdx. */
void dispatch_answer(uint32_t id, errval_t err, uint64_t value);
/** Wake d and run it next (an upcall if it is running now). */
void dispatch_prefer(struct dcb *d);
/** Wake every dispatcher of this core that sleeps until the next tick. */
void dispatch_tick(void);
/** Put an LMP message into d's ring and wake it. */
errval_t dispatch_deliver(struct dcb *d, const uint64_t words[LMP_WORDS], uint32_t sender);
/** The same, with the badge of the endpoint it came through (lmp_msg.badge). */
errval_t dispatch_deliver_badged(struct dcb *d, const uint64_t words[LMP_WORDS], uint32_t sender,
                                 uint32_t badge, uint32_t cap_slot);
/** The same, telling the receiver a capability arrived in `cap_slot`. */
errval_t dispatch_deliver_cap(struct dcb *d, const uint64_t words[LMP_WORDS], uint32_t sender,
                              uint32_t cap_slot);
/** This core's monitor, if it runs. */
struct dcb *dispatch_monitor(void);
/** The user-mode fault path: report, stop the domain, run something else. */
__attribute__((noreturn)) void dispatch_user_fault(struct trap_frame *tf);
/** True when the core runs its idle loop (interrupted from kernel mode). */
bool dispatch_idle(void);

/* arch: resume.S */
__attribute__((noreturn)) void dispatch_resume_regs(const struct dispatcher_regs *r);
__attribute__((noreturn)) void dispatch_idle_loop(uint64_t stack_top);
#endif
