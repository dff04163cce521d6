/*
 * dispatch.c: which dispatcher runs on this core, and how it is entered.
 *
 * Scheduling is round-robin over the core's runnable dispatchers, one
 * timer tick (10 ms) each, or until one yields. Entering a dispatcher
 * follows the protocol in kpi/dispatcher.h: resume the disabled area when
 * it was preempted while disabled (or inside its resume critical region),
 * otherwise upcall its run entry and let its own scheduler pick a thread.
 * Everything here touches only this core's struct core and dcbs.
 */
#include <dispatch.h>
#include <core.h>
#include <console.h>
#include <memlayout.h>
#include <panic.h>
#include <string.h>
#include <fmt.h>
#include <cspace.h>
#include <monitor_link.h>
#include <arch/paging.h>
#include <span.h>
#include <mapping.h>
#include <tlb.h>
#include <spawn.h>
#include <syscall_impl.h>
#include <arch/apic.h>
#include <arch/cpu.h>
#include <arch/trap.h>
#include <kpi/monitor.h>

#define RFLAGS_IF       (1ull << 9)
#define RFLAGS_RESERVED (1ull << 1)
/* What user code may keep in rflags: CF PF AF ZF SF TF DF OF AC ID. */
#define RFLAGS_USER_MASK 0x00240dd5ull
#define FXSAVE_FCW_OFFSET 0
#define FXSAVE_MXCSR_OFFSET 24
#define FCW_DEFAULT   0x037f
#define MXCSR_DEFAULT 0x1f80
#define MXCSR_USER_MASK 0xffbfu   /* bits 0-15 less DAZ (bit 6, not on every CPU) */

static void *cap_kva(void *arg, uint64_t pa, uint64_t bytes)
{
    return phys_to_virt(pa);
}

void dispatch_page_init(struct dispatcher_shared *s, uint32_t core, uint32_t domain_id,
                        uint64_t entry, uint64_t rsp, uint64_t rdi, uint64_t rsi)
{
    memset(s, 0, PAGE_SIZE);
    s->disabled = 1;
    s->core_id = core;
    s->domain_id = domain_id;
    s->tsc_hz = tsc_hz();
    s->ncores = ncores;
    s->rtc_epoch_s = boot_rtc_epoch_s;
    s->rtc_tsc = boot_rtc_tsc;
    s->features = syscall_has_fsgsbase() ? DISP_FEATURE_FSGSBASE : 0;
    struct dispatcher_regs *r = &s->disabled_area;
    r->rip = entry;
    r->rsp = rsp;
    r->rdi = rdi;
    r->rsi = rsi;
    *(uint16_t *)&r->fxsave[FXSAVE_FCW_OFFSET] = FCW_DEFAULT;
    *(uint32_t *)&r->fxsave[FXSAVE_MXCSR_OFFSET] = MXCSR_DEFAULT;
}

errval_t dispatch_init_core(void)
{
    struct core *c = this_core();
    size_t bytes = DCBS_PER_CORE * sizeof(struct dcb);
    uint64_t pa;
    errval_t err = pmm_alloc(&c->pmm, (bytes + PAGE_SIZE - 1) / PAGE_SIZE, 1, &pa);
    if (err_is_fail(err))
        return err;
    c->dcbs = phys_to_virt(pa);
    memset(c->dcbs, 0, bytes);
    c->current = NULL;
    c->next_domain = 1;
    mdb_init(&c->mdb, c->id, cap_kva, NULL);
    c->mdb.on_remove = mapping_slot_removed;
    c->mdb.pinned = capmove_pinned;
    tlb_init_core();
    return ERR_OK;
}

struct dcb *dispatch_alloc(void)
{
    struct core *c = this_core();
    for (int i = 0; i < DCBS_PER_CORE; i++) {
        struct dcb *d = &c->dcbs[i];
        if (d->state == 0 || d->state == DOMAIN_EXITED || d->state == DOMAIN_KILLED) {
            memset(d, 0, sizeof(*d));
            if ((c->next_domain & 0xffff) == 0)
                c->next_domain++;       /* sender 0 means the kernel: no domain has id 0 */
            d->id = (c->id << 16) | (c->next_domain++ & 0xffff);
            return d;
        }
    }
    return NULL;
}

struct dcb *dispatch_find(uint32_t id)
{
    struct core *c = this_core();
    for (int i = 0; i < DCBS_PER_CORE; i++)
        if (c->dcbs[i].state != 0 && c->dcbs[i].id == id)
            return &c->dcbs[i];
    return NULL;
}

bool dispatch_idle(void)
{
    return this_core()->idle;
}

void dispatch_make_runnable(struct dcb *d)
{
    d->state = DOMAIN_RUNNABLE;
    d->blocked = false;
}

void dispatch_wake(struct dcb *d)
{
    if (d->state == DOMAIN_RUNNABLE)
        d->blocked = false;
}

void dispatch_await_answer(struct trap_frame *tf)
{
    struct dcb *d = this_core()->current;
    d->awaiting = true;
    dispatch_save(tf, false);
    dispatch_schedule();
}

void dispatch_answer(uint32_t id, errval_t err, uint64_t value)
{
    struct dcb *d = dispatch_find(id);
    if (!d || d->state != DOMAIN_RUNNABLE || !d->awaiting)
        return;
    struct dispatcher_regs *r = d->resume_disabled ? &d->disp->disabled_area : &d->disp->enabled_area;
    r->rax = err;
    r->rdx = value;
    d->awaiting = false;
    if (err_is_fail(err))
        sys_refuse_log(d, "call answered by another core", err);
    dispatch_wake(d);
}

void dispatch_prefer(struct dcb *d)
{
    dispatch_wake(d);
    this_core()->preferred = d;
}

void dispatch_tick(void)
{
    struct core *c = this_core();
    if (!c->dcbs)
        return;
    for (int i = 0; i < DCBS_PER_CORE; i++)
        c->dcbs[i].blocked = false;
}

errval_t dispatch_deliver(struct dcb *d, const uint64_t words[LMP_WORDS], uint32_t sender)
{
    return dispatch_deliver_cap(d, words, sender, 0);
}

/* Messages the kernel writes on its own (sender 0) carry a badge no
 * endpoint can: a domain cannot pass for the CPU driver. */
errval_t dispatch_deliver_cap(struct dcb *d, const uint64_t words[LMP_WORDS], uint32_t sender,
                              uint32_t cap_slot)
{
    return dispatch_deliver_badged(d, words, sender,
                                   sender == 0 ? LMP_BADGE_KERNEL : MONITOR_BADGE_CLIENT, cap_slot);
}

errval_t dispatch_deliver_badged(struct dcb *d, const uint64_t words[LMP_WORDS], uint32_t sender,
                                 uint32_t badge, uint32_t cap_slot)
{
    struct dispatcher_shared *s = d->disp;
    if (!s || d->state != DOMAIN_RUNNABLE)
        return SYS_ERR_ENDPOINT_DEAD;
    uint32_t produced = s->lmp_produced;
    if (produced - s->lmp_consumed >= LMP_RING_SLOTS)
        return SYS_ERR_ENDPOINT_FULL;
    struct lmp_msg *m = &s->lmp[produced % LMP_RING_SLOTS];
    memcpy(m->words, words, sizeof(m->words));
    m->sender = sender;
    m->badge = badge;
    m->cap_slot = cap_slot;
    m->seq = produced + 1;
    __atomic_store_n(&s->lmp_produced, produced + 1, __ATOMIC_RELEASE);
    s->haswork = 1;
    dispatch_wake(d);
    return ERR_OK;
}

struct dcb *dispatch_monitor(void)
{
    struct core *c = this_core();
    for (int i = 0; c->dcbs && i < DCBS_PER_CORE; i++)
        if (c->dcbs[i].state == DOMAIN_RUNNABLE && c->dcbs[i].monitor)
            return &c->dcbs[i];
    return NULL;
}

static bool in_crit(const struct dispatcher_shared *s, uint64_t rip)
{
    return rip >= s->crit_start && rip < s->crit_end;
}

static void frame_to_regs(const struct trap_frame *tf, struct dispatcher_regs *r)
{
    r->rax = tf->rax; r->rbx = tf->rbx; r->rcx = tf->rcx; r->rdx = tf->rdx;
    r->rsi = tf->rsi; r->rdi = tf->rdi; r->rbp = tf->rbp; r->rsp = tf->rsp;
    r->r8 = tf->r8; r->r9 = tf->r9; r->r10 = tf->r10; r->r11 = tf->r11;
    r->r12 = tf->r12; r->r13 = tf->r13; r->r14 = tf->r14; r->r15 = tf->r15;
    r->rip = tf->rip; r->rflags = tf->rflags;
    r->fs_base = rdmsr(MSR_FS_BASE);    /* the kernel never changes it */
    __asm__ volatile("fxsave64 %0" : "=m"(r->fxsave));
}

void dispatch_save(struct trap_frame *tf, bool is_fault)
{
    struct dcb *d = this_core()->current;
    if (!d)
        return;
    struct dispatcher_shared *s = d->disp;
    struct dispatcher_regs *area;
    if (is_fault) {
        area = &s->trap_area;
    } else if (!s->run_entry || s->disabled || in_crit(s, tf->rip)) {
        area = &s->disabled_area;
        d->resume_disabled = true;
    } else {
        area = &s->enabled_area;
        d->resume_disabled = false;
    }
    frame_to_regs(tf, area);
}

/*
 * Enter `d`: resume where it was, or upcall its scheduler.
 *
 * The save areas live in the dispatcher's shared page, which the domain
 * can write at any moment, also from its dispatcher on another core. So
 * the registers are copied into this core's kernel memory once, checked
 * and cleaned there, and resumed from that copy: what was checked is what
 * iretq and fxrstor read.
 */
static __attribute__((noreturn)) void enter(struct dcb *d)
{
    struct core *c = this_core();
    struct dispatcher_shared *s = d->disp;
    c->current = d;
    write_cr3(d->vspace.root);
    wrmsr(MSR_KERNEL_GS_BASE, d->gs_base);     /* swapgs makes it the user's */
    struct dispatcher_regs *r = &c->resume_regs;
    if (d->resume_disabled || !s->run_entry) {
        memcpy(r, (const void *)&s->disabled_area, sizeof(*r));
    } else {
        s->disabled = 1;
        memset(r, 0, sizeof(*r));
        memcpy(r->fxsave, (const void *)s->enabled_area.fxsave, sizeof(r->fxsave));
        r->fs_base = s->enabled_area.fs_base;
        r->rip = s->run_entry;
        r->rsp = s->upcall_stack;
        r->rdi = s->udisp;
        d->resume_disabled = true;     /* until it is preempted enabled again */
    }
    __asm__ volatile("" ::: "memory");  /* the checks below read the copy only */
    if (r->rip >= VSPACE_USER_TOP || r->rip < PAGE_SIZE) {
        dispatch_kill(d, DOMAIN_KILLED, -1, "resume address outside user space");
        dispatch_schedule();
    }
    /* A non-canonical FS base would fault in wrmsr: user half only. */
    wrmsr(MSR_FS_BASE, r->fs_base < VSPACE_USER_TOP ? r->fs_base : 0);
    /* The user may only keep the arithmetic flags (no IOPL, no IF off). */
    r->rflags = (r->rflags & RFLAGS_USER_MASK) | RFLAGS_IF | RFLAGS_RESERVED;
    /* fxrstor faults on reserved MXCSR bits: keep only the ones every
     * x86-64 CPU has (exception masks, flags, rounding, FZ). */
    uint32_t mxcsr;
    memcpy(&mxcsr, &r->fxsave[FXSAVE_MXCSR_OFFSET], sizeof(mxcsr));
    mxcsr &= MXCSR_USER_MASK;
    memcpy(&r->fxsave[FXSAVE_MXCSR_OFFSET], &mxcsr, sizeof(mxcsr));
    dispatch_resume_regs(r);
}

void dispatch_schedule(void)
{
    struct core *c = this_core();
    struct dcb *p = c->preferred;
    c->preferred = NULL;
    if (p && p->state == DOMAIN_RUNNABLE && !p->blocked && !p->awaiting) {
        c->idle = false;
        enter(p);                       /* an upcall if it was running enabled */
    }
    int start = c->current ? (int)(c->current - c->dcbs) + 1 : 0;
    for (int k = 0; k < DCBS_PER_CORE; k++) {
        struct dcb *d = &c->dcbs[(start + k) % DCBS_PER_CORE];
        if (d->state == DOMAIN_RUNNABLE && !d->blocked && !d->awaiting) {
            c->idle = false;
            enter(d);
        }
    }
    c->current = NULL;
    c->idle = true;
    write_cr3(paging_kernel_root());
    dispatch_idle_loop(c->stack_top);
}

/* Free what d holds on this core. An origin comes here only once no
 * other core runs its address space (span.c): its memory goes now. */
static void reclaim(struct dcb *d)
{
    struct core *c = this_core();
    if (c->preferred == d)
        c->preferred = NULL;
    if (c->current == d) {
        write_cr3(paging_kernel_root());
        c->current = NULL;
    }
    cspace_destroy(d);
    uint64_t pages = d->vspace.pages;
    if (d->secondary)
        d->vspace.root = 0;             /* the origin's to free */
    else if (d->vspace.root)
        vspace_destroy(&d->vspace);
    if (d->disp_pa)
        pmm_free(&c->pmm, d->disp_pa, 1);
    if (d->ram_bytes)
        capmove_free_ram(d->ram_pa, d->ram_bytes / PAGE_SIZE);  /* held while lent out */
    if (d->secondary && d->disp)
        kprintf("domain %s (%#x) on core %u: dispatcher stopped (its memory is the origin's)\n",
                d->name, d->id, c->id);
    else if (!d->secondary)
        kprintf("domain %s (%#x) on core %u: %lu pages reclaimed\n", d->name, d->id, c->id,
                pages + 1 + d->ram_bytes / PAGE_SIZE);
    d->disp = NULL;
    d->disp_pa = 0;
    d->ram_bytes = 0;
}

void dispatch_stop(struct dcb *d, enum domain_state how)
{
    reclaim(d);
    d->state = how;
}

void dispatch_finish(struct dcb *d, enum domain_state how)
{
    dispatch_stop(d, how);
    monitor_notify_exit(d);
}

void dispatch_kill(struct dcb *d, enum domain_state how, int status, const char *why)
{
    if (d->state == DOMAIN_ENDING)
        return;                         /* ending already: its first cause stands */
    if (why)
        kprintf("domain %s (%#x) on core %u stopped: %s\n", d->name, d->id, this_core()->id, why);
    d->exit_status = status;
    if (d->secondary)
        span_end_from_secondary(d, how);
    else if (d->span_mask)
        span_end_origin(d, how);
    else
        dispatch_finish(d, how);
}

void dispatch_user_fault(struct trap_frame *tf)
{
    struct dcb *d = this_core()->current;
    char why[160];
    uint64_t addr = tf->vector == VEC_PAGE_FAULT ? read_cr2() : tf->rip;
    if (tf->vector == VEC_PAGE_FAULT)
        fmt_snprintf(why, sizeof(why), "page fault at %#lx (%s, %s), rip %#lx", addr,
                     tf->error & 2 ? "write" : (tf->error & 16 ? "execute" : "read"),
                     tf->error & 1 ? "protection" : "not present", tf->rip);
    else
        fmt_snprintf(why, sizeof(why), "exception %lu (%s), error %#lx, rip %#lx",
                     tf->vector, trap_vector_name(tf->vector), tf->error, tf->rip);
    dispatch_kill(d, DOMAIN_KILLED, -(int)tf->vector - 1, why);
    dispatch_schedule();
}
