/*
 * dispatch.c: the dispatcher: start-up, the run upcall and the scheduler
 * that picks which user-level thread runs next.
 *
 * Interface: libos_init() (from _start), disp_run() (from the upcall),
 * disp_reschedule() (from thread.c when a thread yields, blocks or exits),
 * the disp_disable()/disp_enable() pair, and the libos_* facts.
 *
 * The protocol with the kernel (kpi/dispatcher.h): while `disabled` is set
 * the kernel resumes the dispatcher where it stopped; while it is clear a
 * preemption saves the running thread in `enabled_area` and upcalls
 * run_entry on the upcall stack, disabled. disp_run() then moves those
 * registers into the thread's TCB, queues it, and resumes the head of the
 * run queue with disp_resume(), which clears `disabled` inside the
 * critical region [disp_crit_start, disp_crit_end).
 *
 * Invariants: the run queue, every waitq, thread states and `current`
 * change only while disabled. Whenever the dispatcher is enabled, `current`
 * is the thread on the CPU and it is THREAD_RUNNABLE and on no queue. With
 * nothing runnable the dispatcher sleeps in SYS_YIELD(block) while
 * disabled, so the kernel wakes it in place when a message arrives.
 */
#include "dispatch_internal.h"
#include <libos/debug.h>
#include <libos/dispatch.h>
#include <libos/libos.h>
#include <libos/lmp.h>
#include <libos/sync.h>
#include <libos/syscall.h>
#include <libos/tsc.h>
#include <stddef.h>
#include <kpi/cspace.h>
#include <kpi/syscall.h>

_Static_assert(offsetof(struct dispatcher_regs, rax) == REGS_RAX, "asm offset");
_Static_assert(offsetof(struct dispatcher_regs, rbx) == REGS_RBX, "asm offset");
_Static_assert(offsetof(struct dispatcher_regs, rcx) == REGS_RCX, "asm offset");
_Static_assert(offsetof(struct dispatcher_regs, rdx) == REGS_RDX, "asm offset");
_Static_assert(offsetof(struct dispatcher_regs, rsi) == REGS_RSI, "asm offset");
_Static_assert(offsetof(struct dispatcher_regs, rdi) == REGS_RDI, "asm offset");
_Static_assert(offsetof(struct dispatcher_regs, rbp) == REGS_RBP, "asm offset");
_Static_assert(offsetof(struct dispatcher_regs, rsp) == REGS_RSP, "asm offset");
_Static_assert(offsetof(struct dispatcher_regs, r8) == REGS_R8, "asm offset");
_Static_assert(offsetof(struct dispatcher_regs, r9) == REGS_R9, "asm offset");
_Static_assert(offsetof(struct dispatcher_regs, r10) == REGS_R10, "asm offset");
_Static_assert(offsetof(struct dispatcher_regs, r11) == REGS_R11, "asm offset");
_Static_assert(offsetof(struct dispatcher_regs, r12) == REGS_R12, "asm offset");
_Static_assert(offsetof(struct dispatcher_regs, r13) == REGS_R13, "asm offset");
_Static_assert(offsetof(struct dispatcher_regs, r14) == REGS_R14, "asm offset");
_Static_assert(offsetof(struct dispatcher_regs, r15) == REGS_R15, "asm offset");
_Static_assert(offsetof(struct dispatcher_regs, rip) == REGS_RIP, "asm offset");
_Static_assert(offsetof(struct dispatcher_regs, rip) == DISP_REG_OFFSET_RIP, "asm offset");
_Static_assert(offsetof(struct dispatcher_regs, rflags) == REGS_RFLAGS, "asm offset");
_Static_assert(offsetof(struct dispatcher_regs, fs_base) == REGS_FS_BASE, "asm offset");
_Static_assert(offsetof(struct dispatcher_regs, fxsave) == REGS_FXSAVE, "asm offset");
_Static_assert(offsetof(struct dispatcher_shared, disabled) == SHARED_DISABLED, "asm offset");
_Static_assert(offsetof(struct dispatcher_shared, features) == SHARED_FEATURES, "asm offset");
_Static_assert(DISP_FEATURE_FSGSBASE == FEATURE_FSGSBASE, "asm constant");
_Static_assert(offsetof(struct dispatcher_shared, enabled_area) % 16 == 0, "FXSAVE alignment");
_Static_assert(_Alignof(struct thread) >= 16, "a TCB's FXSAVE area must be 16-aligned");

/* The run upcall runs here (only while disabled, so one stack per
 * dispatcher suffices). A domain has one dispatcher per core it spans. */
#define DISP_UPCALL_STACK (16 * 1024)
static uint8_t disp_upcall_stacks[LIBOS_MAX_CORES][DISP_UPCALL_STACK] __attribute__((aligned(16)));

static struct libos_disp disp_states[LIBOS_MAX_CORES];
/* Written by any core, each under its own lock (see struct disp_inbox). */
static struct disp_inbox disp_inboxes[LIBOS_MAX_CORES];
/* Which cores have a dispatcher of this domain, or one being started:
 * claimed with a compare-and-swap by the one dispatcher that may span. */
static volatile uint8_t disp_started[LIBOS_MAX_CORES];
/* Set once thread_create_on() has spanned: a dispatcher on another core
 * then idles when its threads are done (new ones may be placed on it)
 * instead of ending; the domain ends with its first dispatcher. */
static volatile bool disp_persist;
/* The core of the domain's first dispatcher, which alone has the cspace
 * (kernel/span.c), and whether this domain ever tried to span: until it
 * did, every invocation is made where it is asked, with no check. */
static uint32_t disp_origin_core;
static volatile bool disp_spanned;
/* The thread that runs _start and main(), on the kernel's initial stack. */
static struct thread disp_initial_thread;

static void disp_install(struct libos_disp *d);

int libos_argc;
char *libos_argv[LIBOS_ARGV_MAX + 1];

#define barrier() __asm__ volatile("" ::: "memory")

/* Copies the argv pointers, keeping only those that point into the block's
 * own string area (the kernel wrote them; a bad one would fault in main). */
static void libos_init_args(const struct spawn_args *args)
{
    uint32_t argc = args ? args->argc : 0;
    if (argc > LIBOS_ARGV_MAX) {
        debug_printf("libos: %u arguments, keeping the first %d\n", argc, LIBOS_ARGV_MAX);
        argc = LIBOS_ARGV_MAX;
    }
    uint64_t lo = args ? (uint64_t)args->strings : 0;
    uint64_t hi = lo + sizeof args->strings;
    int n = 0;
    for (uint32_t i = 0; i < argc; i++) {
        uint64_t p = args->argv[i];
        if (p < lo || p >= hi) {
            debug_printf("libos: argv[%u] = %#lx is outside the argument block; dropped\n",
                         i, (unsigned long)p);
            break;
        }
        libos_argv[n++] = (char *)p;
    }
    libos_argv[n] = NULL;
    libos_argc = n;
}

void libos_init(struct dispatcher_shared *shared, struct spawn_args *args)
{
    if (!shared) {
        static const char msg[] = "libos: started without a dispatcher page\n";
        (void)sys_print(msg, sizeof msg - 1);
        (void)sys_exit(DEBUG_PANIC_STATUS);
        for (;;)
            ;
    }
    if (shared->core_id >= LIBOS_MAX_CORES)
        debug_panic("libos: core %u is beyond LIBOS_MAX_CORES", shared->core_id);
    struct libos_disp *d = &disp_states[shared->core_id];
    d->shared = shared;
    waitq_init(&d->runq);
    waitq_init(&d->lmp_sleepers);
    waitq_init(&d->doorbell_sleepers);

    struct thread *t = &disp_initial_thread;
    t->state = THREAD_RUNNABLE;
    t->id = 0;
    t->slot = -1;
    waitq_init(&t->joiners);
    d->current = t;
    d->nlive = 1;
    d->first = true;
    disp_origin_core = shared->core_id;
    disp_started[shared->core_id] = 1;

    libos_init_args(args);
    disp_install(d);
    shared->disabled = 0;
}

/* Everything the upcall needs, then the upcall itself (still disabled). */
static void disp_install(struct libos_disp *d)
{
    struct dispatcher_shared *shared = d->shared;
    uint8_t *stack = disp_upcall_stacks[shared->core_id];
    shared->upcall_stack = (uint64_t)(stack + DISP_UPCALL_STACK);
    shared->udisp = (uint64_t)d;
    shared->crit_start = (uint64_t)disp_crit_start;
    shared->crit_end = (uint64_t)disp_crit_end;
    barrier();
    shared->run_entry = (uint64_t)disp_run_entry;
    barrier();
}

/* The kernel points each dispatcher's GS base at its own shared page, so
 * the core we run on is one load away. */
struct libos_disp *disp_self(void)
{
    uint32_t core;
    __asm__ volatile("movl %%gs:%c1, %0" : "=r"(core)
                     : "i"(offsetof(struct dispatcher_shared, core_id)));
    return &disp_states[core % LIBOS_MAX_CORES];
}

struct dispatcher_shared *libos_disp(void) { return disp_self()->shared; }
uint32_t libos_core_id(void) { return disp_self()->shared->core_id; }
uint32_t libos_domain_id(void) { return disp_self()->shared->domain_id; }
uint64_t libos_tsc_hz(void) { return disp_self()->shared->tsc_hz; }
uint64_t libos_ncores(void) { return disp_self()->shared->ncores; }

/* A new dispatcher on another core starts here (disp_span_entry_asm, on
 * that core's upcall stack, disabled) and runs its first thread. */
_Noreturn void disp_span_start(struct dispatcher_shared *shared, struct thread *t);
_Noreturn void disp_span_start(struct dispatcher_shared *shared, struct thread *t)
{
    struct libos_disp *d = &disp_states[shared->core_id % LIBOS_MAX_CORES];
    d->shared = shared;
    waitq_init(&d->runq);
    waitq_init(&d->lmp_sleepers);
    waitq_init(&d->doorbell_sleepers);
    t->state = THREAD_RUNNABLE;
    d->current = t;
    d->nlive = 1;
    disp_install(d);
    if (!(shared->features & DISP_FEATURE_FSGSBASE) && t->regs.fs_base)
        (void)sys_set_fs_base(t->regs.fs_base);
    disp_resume(&t->regs, shared);
}

/* Starts a dispatcher on `core` with `t` as its first thread. */
static errval_t disp_span_thread(uint32_t core, struct thread *t)
{
    uint64_t stack = (uint64_t)(disp_upcall_stacks[core] + DISP_UPCALL_STACK);
    errval_t err;
    /* Before the new dispatcher can run: from then on its invocations go
     * to the origin (disp_invoke_forwarded). */
    __atomic_store_n(&disp_spanned, true, __ATOMIC_SEQ_CST);
    for (;;) {
        err = sys_invoke(CAP_TASK(TASKCN_SLOT_DISPATCHER), DISPATCHER_CMD_SPAN, core,
                         (uint64_t)disp_span_entry_asm, stack, (uint64_t)t).err;
        if (err_no(err) != SYS_ERR_BUSY)
            return err;
        (void)sys_yield(SYS_YIELD_SLICE);
    }
}

static void inbox_acquire(struct disp_inbox *b)
{
    while (__atomic_exchange_n(&b->lock, 1, __ATOMIC_ACQUIRE))
        __asm__ volatile("pause");
}

static void inbox_release(struct disp_inbox *b)
{
    __atomic_store_n(&b->lock, 0, __ATOMIC_RELEASE);
}

/* After putting something in `core`'s inbox: wakes its dispatcher if it
 * sleeps. Pairs with disp_idle's fence: either it sees the new entry
 * before it sleeps, or we see it sleeping and wake it. Returns whether it
 * called SYS_WAKE. */
static bool inbox_kick(struct disp_inbox *b, uint32_t core)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (!__atomic_load_n(&b->sleeping, __ATOMIC_RELAXED))
        return false;
    (void)sys_wake(core);
    return true;
}

errval_t disp_place(uint32_t core, struct thread *t)
{
    if (core >= LIBOS_MAX_CORES || core >= libos_ncores())
        return LIBOS_ERR_BAD_ARG;
    uint8_t none = 0;
    if (__atomic_compare_exchange_n(&disp_started[core], &none, 1, false, __ATOMIC_ACQ_REL,
                                    __ATOMIC_ACQUIRE)) {
        disp_persist = true;
        errval_t err = disp_span_thread(core, t);
        if (err_is_fail(err))
            __atomic_store_n(&disp_started[core], 0, __ATOMIC_RELEASE);
        return err;
    }
    /* A dispatcher runs there, or is starting: it takes t from its inbox
     * (thread states of the pool are shared; the lock orders the rest). */
    struct disp_inbox *b = &disp_inboxes[core];
    bool was = disp_disable();          /* no preemption while holding the lock */
    inbox_acquire(b);
    bool ok = waitq_push(&b->q, t);
    inbox_release(b);
    if (ok && core != libos_core_id())
        inbox_kick(b, core);
    if (!was)
        disp_enable();
    return ok ? ERR_OK : LIBOS_ERR_BAD_ARG;
}

bool disp_invoke_forwarded(void)
{
    return __atomic_load_n(&disp_spanned, __ATOMIC_RELAXED) &&
           disp_self() != &disp_states[disp_origin_core];
}

struct sysret disp_invoke_origin(capaddr_t cptr, uint64_t cmd, uint64_t a1, uint64_t a2,
                                 uint64_t a3, uint64_t a4)
{
    struct disp_call c = { .cptr = cptr, .cmd = cmd, .arg = { a1, a2, a3, a4 } };
    struct disp_inbox *b = &disp_inboxes[disp_origin_core];
    bool was = disp_disable();
    inbox_acquire(b);
    c.next = b->calls;
    b->calls = &c;
    inbox_release(b);
    inbox_kick(b, disp_origin_core);
    if (!was)
        disp_enable();
    /* Parked (disabled: spinning) until the origin has made the call. */
    while (!__atomic_load_n(&c.done, __ATOMIC_ACQUIRE))
        (void)sync_park(&c.done, 0, 0);
    return c.ret;
}

/* Disabled, on the origin: makes the invocations other cores asked for.
 * Each is one system call; nothing here takes a lock a thread of this
 * dispatcher could hold, so it cannot wait for one of them. */
static void disp_serve_calls(struct disp_call *c)
{
    while (c) {
        struct disp_call *next = c->next;   /* c is gone once done is seen */
        c->ret = syscall6(SYS_INVOKE, c->cptr, c->cmd, c->arg[0], c->arg[1], c->arg[2],
                          c->arg[3]);
        __atomic_store_n(&c->done, 1, __ATOMIC_RELEASE);
        (void)sync_unpark(&c->done, 1);
        c = next;
    }
}

void disp_poll_inbox(struct libos_disp *d)
{
    struct disp_inbox *b = &disp_inboxes[d->shared->core_id % LIBOS_MAX_CORES];
    if (!__atomic_load_n(&b->q.head, __ATOMIC_RELAXED) &&
        !__atomic_load_n(&b->woken.head, __ATOMIC_RELAXED) &&
        !__atomic_load_n(&b->calls, __ATOMIC_RELAXED))
        return;
    inbox_acquire(b);
    struct thread *t;
    while ((t = waitq_pop(&b->q))) {
        d->nlive++;
        disp_make_runnable(t);
    }
    while ((t = waitq_pop(&b->woken)))
        disp_make_runnable(t);
    struct disp_call *calls = b->calls;
    b->calls = NULL;
    inbox_release(b);
    disp_serve_calls(calls);            /* unlocked: unpark takes other locks */
}

bool disp_wake_remote(uint32_t core, struct thread *t)
{
    if (core == libos_core_id()) {
        disp_make_runnable(t);          /* a user-level switch away, no kernel */
        return false;
    }
    struct disp_inbox *b = &disp_inboxes[core % LIBOS_MAX_CORES];
    inbox_acquire(b);
    if (!waitq_push(&b->woken, t))
        debug_panic("libos: woken thread %u is still on a queue", t->id);
    inbox_release(b);
    return inbox_kick(b, core);
}

/* Disabled, with nothing to run: sleep in the kernel until a message, a
 * doorbell, a SYS_WAKE from another core or the next tick. */
errval_t disp_idle(struct libos_disp *d)
{
    struct disp_inbox *b = &disp_inboxes[d->shared->core_id % LIBOS_MAX_CORES];
    __atomic_store_n(&b->sleeping, 1, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    errval_t err = ERR_OK;
    if (!__atomic_load_n(&b->q.head, __ATOMIC_RELAXED) &&
        !__atomic_load_n(&b->woken.head, __ATOMIC_RELAXED) &&
        !__atomic_load_n(&b->calls, __ATOMIC_RELAXED))
        err = sys_yield(SYS_YIELD_BLOCK);
    __atomic_store_n(&b->sleeping, 0, __ATOMIC_RELAXED);
    return err;
}

void disp_load_fs(struct libos_disp *d, const struct thread *prev, const struct thread *next)
{
    if (d->shared->features & DISP_FEATURE_FSGSBASE)
        return;                         /* disp_resume does it */
    if (!prev || prev->regs.fs_base != next->regs.fs_base)
        (void)sys_set_fs_base(next->regs.fs_base);
}

errval_t disp_span(uint32_t core, thread_func_t fn, void *arg)
{
    if (core >= LIBOS_MAX_CORES || core >= libos_ncores())
        return LIBOS_ERR_BAD_ARG;
    struct thread *t;
    errval_t err = thread_alloc(fn, arg, &t);
    if (err_is_fail(err))
        return err;
    err = disp_span_thread(core, t);
    if (err_is_fail(err))
        thread_free(t);
    else
        __atomic_store_n(&disp_started[core], 1, __ATOMIC_RELEASE);
    return err;
}

/* The raw end of the domain. exit() is the C library's (minic's calls
 * this at once; newlib's runs atexit handlers and flushes stdio first,
 * then reaches here through _exit). */
_Noreturn void libos_exit(int status)
{
    errval_t err = sys_exit(status);
    debug_err("libos: exit: the kernel refused SYS_EXIT", err);
    for (;;)
        (void)sys_yield(SYS_YIELD_BLOCK);
}

bool disp_disable(void)
{
    struct dispatcher_shared *s = disp_self()->shared;
    bool was = s->disabled;
    s->disabled = 1;
    barrier();
    return was;
}

void disp_enable(void)
{
    barrier();
    disp_self()->shared->disabled = 0;
}

bool disp_is_disabled(void)
{
    return disp_self()->shared->disabled;
}

void disp_disable_to_block(const char *who)
{
    if (disp_disable())
        debug_panic("%s: may block, but the dispatcher is disabled", who);
}

void disp_make_runnable(struct thread *t)
{
    t->state = THREAD_RUNNABLE;
    if (!waitq_push(&disp_self()->runq, t))
        debug_panic("libos: thread %u made runnable while still on a queue", t->id);
}

void disp_poll_doorbells(struct libos_disp *d, bool woke)
{
    uint32_t now = __atomic_load_n(&d->shared->doorbells, __ATOMIC_ACQUIRE);
    if (now == d->doorbells_seen && !woke)
        return;
    d->doorbells_seen = now;
    struct thread *t;
    while ((t = waitq_pop(&d->doorbell_sleepers)))
        disp_make_runnable(t);          /* each checks its own count and deadline */
}

void disp_poll_lmp(struct libos_disp *d)
{
    if (lmp_ring_pending(d->shared) == 0)
        return;
    struct thread *t;
    while ((t = waitq_pop(&d->lmp_sleepers)))
        disp_make_runnable(t);
}

/* Disabled: the next thread to run, sleeping in the kernel until there is
 * one. Ends the domain when every thread has exited. */
static struct thread *disp_pick(struct libos_disp *d)
{
    bool reported = false;
    if (d->zombie) {                    /* we are off its stack now */
        thread_free(d->zombie);
        d->zombie = NULL;
    }
    bool woke = false;
    for (;;) {
        disp_poll_lmp(d);
        disp_poll_doorbells(d, woke);
        disp_poll_inbox(d);
        if (d->ntimed) {
            uint64_t now = rdtsc_now();
            if (now >= d->next_deadline)
                sync_park_expire(d, now);
        }
        struct thread *t = waitq_pop(&d->runq);
        if (t)
            return t;
        bool idle_ok = disp_persist && !d->first;
        if (d->nlive == 0 && !idle_ok) {
            if (d->first)
                libos_exit(0);      /* disabled: no atexit handlers here */
            /* Only this core's part ends; the domain goes on elsewhere. */
            debug_err("libos: SYS_EXIT(dispatcher) refused", sys_exit_dispatcher());
        }
        if (waitq_empty(&d->lmp_sleepers) && waitq_empty(&d->doorbell_sleepers) && !disp_persist &&
            !d->nparked)
            debug_panic("libos: deadlock: all %u threads are blocked and none waits "
                        "for a message", d->nlive);
        errval_t err = disp_idle(d);
        woke = true;
        if (err_is_fail(err) && !reported) {
            debug_err("libos: idle: SYS_YIELD(block) failed; polling instead", err);
            reported = true;
        }
    }
}

void disp_reschedule(struct libos_disp *d, bool requeue)
{
    struct thread *me = d->current;
    if (requeue && !waitq_push(&d->runq, me))
        debug_panic("libos: yielding thread %u is already on a queue", me->id);
    struct thread *next = disp_pick(d);
    d->current = next;
    if (next == me) {
        disp_enable();
        return;
    }
    disp_load_fs(d, me, next);
    if (me->state == THREAD_EXITED) {
        if (me->reap)
            d->zombie = me;             /* freed by the next disp_pick */
        disp_resume(&next->regs, d->shared);
    }
    disp_switch(&me->regs, &next->regs, d->shared);
}

/* The run upcall, from disp_run_entry: on the upcall stack, disabled. The
 * kernel preempted `current` while enabled and saved it in enabled_area. */
_Noreturn void disp_run(struct libos_disp *d);
_Noreturn void disp_run(struct libos_disp *d)
{
    struct thread *cur = d->current;
    if (cur->state != THREAD_RUNNABLE)
        debug_panic("libos: upcall while thread %u is not runnable (state %d)",
                    cur->id, cur->state);
    cur->regs = d->shared->enabled_area;
    if (!waitq_push(&d->runq, cur))
        debug_panic("libos: preempted thread %u is already on a queue", cur->id);
    struct thread *next = disp_pick(d);
    d->current = next;
    disp_load_fs(d, cur, next);
    disp_resume(&next->regs, d->shared);
}
