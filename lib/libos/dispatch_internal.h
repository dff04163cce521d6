/*
 * dispatch_internal.h: what dispatch.c shares with dispatch_asm.S,
 * thread.c and lmp.c. Not installed: user programs see libos/dispatch.h.
 *
 * The offsets below are those of struct dispatcher_regs and struct
 * dispatcher_shared (kpi/dispatcher.h) for the assembly; dispatch.c checks
 * each one with a _Static_assert.
 */
#ifndef LIBOS_DISPATCH_INTERNAL_H
#define LIBOS_DISPATCH_INTERNAL_H

/* struct dispatcher_regs */
#define REGS_RAX        0
#define REGS_RBX        8
#define REGS_RCX        16
#define REGS_RDX        24
#define REGS_RSI        32
#define REGS_RDI        40
#define REGS_RBP        48
#define REGS_RSP        56
#define REGS_R8         64
#define REGS_R9         72
#define REGS_R10        80
#define REGS_R11        88
#define REGS_R12        96
#define REGS_R13        104
#define REGS_R14        112
#define REGS_R15        120
#define REGS_RIP        128
#define REGS_RFLAGS     136
#define REGS_FS_BASE    144
#define REGS_FXSAVE     160
/* struct dispatcher_shared */
#define SHARED_DISABLED 0
#define SHARED_FEATURES 96
/* DISP_FEATURE_FSGSBASE, as a plain number for the assembler. */
#define FEATURE_FSGSBASE 1

/* The System V red zone: a preempted leaf function may keep live data in
 * the 128 bytes below its rsp, so resume builds its frame below that. */
#define RED_ZONE        128

#ifndef __ASSEMBLY__
#include <stdbool.h>
#include <kpi/dispatcher.h>
#include <libos/syscall.h>
#include <libos/thread.h>

/** The dispatcher's own state (the `udisp` the kernel hands back). Only
 *  the dispatcher's core touches it, and only while disabled (except
 *  `shared`, set once). */
struct libos_disp {
    struct dispatcher_shared *shared;
    struct thread *current;         /* the thread running (or last run) */
    struct waitq runq;              /* runnable threads other than current */
    struct waitq lmp_sleepers;      /* threads in lmp_recv */
    struct waitq doorbell_sleepers; /* threads in libos_doorbell_wait */
    uint32_t doorbells_seen;        /* shared->doorbells when last polled */
    unsigned nlive;                 /* threads that have not exited */
    struct thread *zombie;          /* exited, to be freed once off its stack */
    bool first;                     /* the domain's first dispatcher */
    unsigned nparked;               /* its threads in sync_park (sync.c) */
    unsigned ntimed;                /* of those, the ones with a deadline */
    uint64_t next_deadline;         /* TSC: no parked deadline before this */
};

/** A capability invocation a dispatcher on another core asks the domain's
 *  first dispatcher to make for it (disp_invoke_origin): it lives on the
 *  asking thread's stack until `done`. */
struct disp_call {
    struct disp_call *next;         /* on the origin's inbox */
    uint64_t cptr, cmd, arg[4];
    struct sysret ret;
    volatile uint32_t done;         /* 1 once ret is written; then parked-on */
};

/** Threads another core placed on this dispatcher (thread_create_on): the
 *  only scheduler state written from other cores, so it has its own lock.
 *  The owning dispatcher moves them to its run queue in disp_pick(). */
struct disp_inbox {
    volatile int lock;
    struct waitq q;                 /* new threads (nlive grows) */
    struct waitq woken;             /* parked threads another core woke */
    struct disp_call *calls;        /* origin only: invocations to make */
    volatile uint32_t sleeping;     /* the dispatcher is (about to be) in
                                       SYS_YIELD(block): wake it (SYS_WAKE) */
};

/** This core's dispatcher of the domain (found through the GS base). */
struct libos_disp *disp_self(void);
/** Disables for a call that may block; panics naming `who` if the caller
 *  already had the dispatcher disabled (it would wake up enabled). */
void disp_disable_to_block(const char *who);
/** Disabled: puts a woken or new thread on the run queue. */
void disp_make_runnable(struct thread *t);
/** Disabled: wakes the doorbell sleepers if a doorbell rang, or if the
 *  kernel just woke the dispatcher (`woke`: they may have timed out). */
void disp_poll_doorbells(struct libos_disp *d, bool woke);
/** Disabled: the threads other cores placed or woke here join the run
 *  queue; on the origin, the invocations they asked for are made. */
void disp_poll_inbox(struct libos_disp *d);
/** True on a dispatcher that is not the domain's first once the domain
 *  has spanned: its capability invocations go to the first (sys_invoke). */
bool disp_invoke_forwarded(void);
/** Has the domain's first dispatcher make the invocation, and waits
 *  (parked) for its result. */
struct sysret disp_invoke_origin(capaddr_t cptr, uint64_t cmd, uint64_t a1, uint64_t a2,
                                 uint64_t a3, uint64_t a4);
/** Disabled: if messages wait in the LMP ring, wakes the lmp_sleepers. */
void disp_poll_lmp(struct libos_disp *d);
/** Disabled: makes `t`, parked by this domain's dispatcher on `core`,
 *  runnable there: at once on this core, else through that core's inbox
 *  and, if it sleeps, SYS_WAKE (sync.c's unpark); true if it called that. */
bool disp_wake_remote(uint32_t core, struct thread *t);
/** Sleeps in SYS_YIELD(block) unless another core has just placed or
 *  woken a thread here; while it sleeps, such a core wakes it (SYS_WAKE). */
errval_t disp_idle(struct libos_disp *d);
/** Disabled: wakes the parked threads whose deadline passed (sync.c). */
void sync_park_expire(struct libos_disp *d, uint64_t now);
/** Disabled, from a thread: runs the next runnable thread (first putting
 *  the caller back on the run queue if `requeue`), idling in the kernel if
 *  there is none. Returns enabled, when the caller is chosen again; never
 *  returns to a caller that has exited. */
void disp_reschedule(struct libos_disp *d, bool requeue);

/** Disabled: loads `next`'s FS base where the CPU has no wrfsbase (then
 *  disp_resume cannot) and it differs from `prev`'s. */
void disp_load_fs(struct libos_disp *d, const struct thread *prev, const struct thread *next);
/** Starts the dispatcher on `core` with `t` as its first thread, or hands
 *  `t` to the one already there. */
errval_t disp_place(uint32_t core, struct thread *t);

/* thread.c: a TCB and stack from the pool, set to run fn(arg), not queued
 * anywhere; and back to the pool. */
errval_t thread_alloc(thread_func_t fn, void *arg, struct thread **out);
void thread_free(struct thread *t);

/* dispatch_asm.S */
void disp_span_entry_asm(void);
void disp_run_entry(void);
_Noreturn void disp_resume(const struct dispatcher_regs *regs,
                           struct dispatcher_shared *shared);
void disp_switch(struct dispatcher_regs *save, const struct dispatcher_regs *to,
                 struct dispatcher_shared *shared);
extern const char disp_crit_start[], disp_crit_end[];
#endif
#endif
