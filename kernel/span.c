/*
 * span.c: a domain on more than one core.
 *
 * Dispatcher.span, invoked by the domain's first dispatcher on its own
 * core, makes a dispatcher page for the target core in the domain's
 * address space (at DISP_SPAN_VADDR(core), from this core's memory) and
 * sends the target's CPU driver a request (this file's cross-core
 * service, kernel/xcall.c); it then runs a new dispatcher on the same page
 * tables, starting disabled at the given entry with rdi = its page and
 * rsi = the argument.
 *
 * Ownership stays with the origin: the page tables, the cspace (the other
 * dispatchers have none: capability invocations work only on the origin),
 * the memory. So a spanning domain ends in this order, whichever of its
 * dispatchers ends it (exit, kill, fault):
 *
 *   1. On a secondary's core: that dispatcher stops at once, and END
 *      (the status) goes to the origin's core. Its memory is untouched.
 *   2. On the origin's core: the origin stops running (DOMAIN_ENDING) but
 *      keeps its cspace, mappings and page tables; STOP goes to every core
 *      it spanned to, each of which stops its dispatcher and answers.
 *   3. Once every core has answered, the origin's memory is freed and its
 *      monitor told: no dispatcher can touch it any more, so none faults.
 *
 * A message that finds its core's request queue full is sent again on the
 * next tick (span_tick). An END that finds the domain ending already is
 * dropped (two dispatchers exiting at once: the first one's status
 * stands); a STOP that finds no dispatcher (it stopped itself) is
 * answered all the same. Requests between two cores are served in order,
 * so a STOP never overtakes the START before it.
  */
#include <span.h>
#include <dispatch.h>
#include <invoke.h>
#include <xcall.h>
#include <core.h>
#include <console.h>
#include <memlayout.h>
#include <string.h>
#include <arch/apic.h>
#include <spawn.h>
#include <syscall_impl.h>
#include <fmt.h>


static struct sysret ret(errval_t e) { return (struct sysret){ e, 0 }; }

/* The cross-core service: what an origin asks of another core (START,
 * STOP, WAKE), and what a secondary tells the origin's core (END, WAKE). */
enum span_op { SPAN_OP_START = 1, SPAN_OP_STOP, SPAN_OP_WAKE, SPAN_OP_END };
struct span_req {
    uint32_t origin;                /* the domain, by its origin's id */
    uint32_t how;                   /* END: DOMAIN_EXITED or DOMAIN_KILLED */
    union {
        struct {
            uint64_t root, page;    /* the page tables, the dispatcher page */
            char name[24];          /* the domain's name */
        } start;
        int64_t status;             /* END: the exit status */
    } u;
};
_Static_assert(sizeof(struct span_req) <= XCALL_BODY_BYTES, "a span request is one message");

/* This core's dispatcher of domain `origin` (the origin itself, or a
 * secondary of it): runs next, or does not sleep at its next block. */
static void wake_here(uint32_t origin)
{
    struct core *c = this_core();
    for (int i = 0; i < DCBS_PER_CORE; i++) {
        struct dcb *d = &c->dcbs[i];
        if (d->state == DOMAIN_RUNNABLE &&
            (d->secondary ? d->origin == origin : d->id == origin)) {
            d->wake_pending = true;
            dispatch_prefer(d);
            return;
        }
    }
}

/* END from core `from`: the domain's dispatcher there ended it. Only for
 * an origin still running here that spanned to that core. */
static void end_here(const struct span_req *r, uint32_t from)
{
    struct dcb *d = dispatch_find(r->origin);
    if (!d || d->state != DOMAIN_RUNNABLE || d->secondary || from >= 64 ||
        !(d->span_mask & (1ull << from)))
        return;
    enum domain_state how = r->how == DOMAIN_EXITED ? DOMAIN_EXITED : DOMAIN_KILLED;
    char why[64];
    fmt_snprintf(why, sizeof(why), "its dispatcher on core %u was stopped", from);
    dispatch_kill(d, how, (int)r->u.status, how == DOMAIN_KILLED ? why : NULL);
}

static struct xcall_answer serve(const struct xcall_msg *m, uint32_t from)
{
    struct span_req r;
    memcpy(&r, m->body, sizeof(r));
    r.u.start.name[sizeof(r.u.start.name) - 1] = 0;
    if (m->op == SPAN_OP_START)
        span_start_secondary(r.origin, r.u.start.root, r.u.start.page, r.u.start.name);
    else if (m->op == SPAN_OP_STOP)
        span_stop_secondaries(r.origin);
    else if (m->op == SPAN_OP_WAKE)
        wake_here(r.origin);
    else if (m->op == SPAN_OP_END)
        end_here(&r, from);
    else
        return (struct xcall_answer){ SYS_ERR_ILLEGAL_INVOCATION, { 0, 0 } };
    return (struct xcall_answer){ ERR_OK, { 0, 0 } };
}

XCALL_SERVICE(span_service, "span", serve);

static bool user_addr(uint64_t a) { return a >= PAGE_SIZE && a < VSPACE_USER_TOP; }

struct sysret span_invoke(struct invocation *inv)
{
    struct dcb *d = inv->d;
    struct core *c = this_core();
    uint64_t core = inv->arg[0], entry = inv->arg[1], stack = inv->arg[2];
    if (d->secondary || inv->slot->cap.u.raw != d->id)
        return ret(SPAN_ERR_NOT_ORIGIN);
    if (core >= ncores || core >= 64 || core == c->id || !cores[core] ||
        !user_addr(entry) || !user_addr(stack) || stack % 16)
        return ret(SYS_ERR_ARG_RANGE);
    if (d->span_mask & (1ull << core))
        return ret(SPAN_ERR_ALREADY);
    uint64_t va = DISP_SPAN_VADDR(core);
    uint64_t pa;
    errval_t err = pmm_alloc(&c->pmm, 1, 1, &pa);
    if (err_is_fail(err))
        return ret(err);
    dispatch_page_init(phys_to_virt(pa), (uint32_t)core, d->id, entry, stack, va, inv->arg[3]);
    err = vspace_map(&d->vspace, va, pa, VSPACE_WRITE);      /* freed with the space */
    if (err_is_fail(err)) {
        pmm_free(&c->pmm, pa, 1);
        return ret(err);
    }
    struct span_req r = { .origin = d->id, .u.start = { .root = d->vspace.root, .page = pa } };
    for (size_t i = 0; d->name[i] && i + 1 < sizeof(r.u.start.name); i++)
        r.u.start.name[i] = d->name[i];
    struct xcall_msg m = xcall_msg(&span_service, SPAN_OP_START, &r, sizeof(r));
    err = xcall_send((uint32_t)core, &m, NULL, NULL);
    if (err_is_fail(err))
        return ret(err);                /* the page stays mapped: a retry reuses nothing */
    d->span_mask |= 1ull << core;
    d->vspace.pages++;
    return ret(ERR_OK);
}

void span_start_secondary(uint32_t origin, uint64_t root, uint64_t page, const char *name)
{
    struct dcb *d = dispatch_alloc();
    if (!d) {
        kprintf("span: core %u has no room for a dispatcher of domain %#x\n", this_core()->id, origin);
        return;
    }
    memcpy(d->name, name, sizeof(d->name) - 1 < 23 ? sizeof(d->name) - 1 : 23);
    d->secondary = true;
    d->origin = origin;
    d->vspace = (struct vspace){ .root = root, .pmm = NULL };
    d->disp = phys_to_virt(page);
    d->gs_base = DISP_SPAN_VADDR(this_core()->id);
    d->resume_disabled = true;
    kprintf("span: domain %s (%#x) now also runs on core %u as dispatcher %#x\n", d->name, origin,
            this_core()->id, d->id);
    dispatch_make_runnable(d);
}

void span_stop_secondaries(uint32_t origin)
{
    struct core *c = this_core();
    for (int i = 0; i < DCBS_PER_CORE; i++) {
        struct dcb *d = &c->dcbs[i];
        if (d->state == DOMAIN_RUNNABLE && d->secondary && d->origin == origin)
            dispatch_stop(d, DOMAIN_KILLED);    /* logs one line; the origin's core tells */
    }
}

/* Core ctx[1] has stopped the dispatchers of the origin in dcbs[ctx[0]]
 * (if that slot still holds domain ctx[2]). */
static void stopped(const struct xcall *x, const struct xcall_answer *a)
{
    struct dcb *d = &this_core()->dcbs[x->ctx[0]];
    if (d->id == (uint32_t)x->ctx[2] && d->state == DOMAIN_ENDING)
        d->end_confirm &= ~(1ull << x->ctx[1]);
}

/* Send what an ending dispatcher still owes: an origin, STOP to each core
 * in end_post; a secondary, END to its origin's core. A full queue keeps
 * the bit for the next tick. */
static void post(struct dcb *d)
{
    struct core *c = this_core();
    for (uint32_t core = 0; core < ncores && core < 64; core++) {
        uint64_t bit = 1ull << core;
        if (!(d->end_post & bit))
            continue;
        struct span_req r = { .origin = d->secondary ? d->origin : d->id, .how = d->end_how };
        struct xcall_msg m;
        errval_t err;
        if (d->secondary) {
            r.u.status = d->exit_status;
            m = xcall_msg(&span_service, SPAN_OP_END, &r, sizeof(r));
            err = xcall_send(core, &m, NULL, NULL);
        } else {
            m = xcall_msg(&span_service, SPAN_OP_STOP, &r, sizeof(r));
            const uint64_t ctx[4] = { (uint64_t)(d - c->dcbs), core, d->id, 0 };
            d->end_confirm |= bit;      /* before the answer can come */
            err = xcall_send(core, &m, stopped, ctx);
            if (err_is_fail(err))
                d->end_confirm &= ~bit;
        }
        if (err_is_ok(err))
            d->end_post &= ~bit;
    }
}

void span_end_from_secondary(struct dcb *d, enum domain_state how)
{
    dispatch_stop(d, DOMAIN_ENDING);    /* runs no more; the memory is the origin's */
    d->end_how = how;
    d->end_post = 1ull << (d->origin >> 16);
    d->end_confirm = 0;
    post(d);
    if (!d->end_post)
        d->state = how;
}

void span_end_origin(struct dcb *d, enum domain_state how)
{
    struct core *c = this_core();
    if (c->preferred == d)
        c->preferred = NULL;
    d->state = DOMAIN_ENDING;           /* not run again; its memory stays */
    d->end_how = how;
    d->end_post = d->span_mask;
    d->end_confirm = 0;
    post(d);
}

void span_tick(void)
{
    struct core *c = this_core();
    if (!c->dcbs)
        return;                         /* no domains yet */
    for (int i = 0; i < DCBS_PER_CORE; i++) {
        struct dcb *d = &c->dcbs[i];
        if (d->state != DOMAIN_ENDING)
            continue;
        post(d);
        if (d->end_post || d->end_confirm)
            continue;
        if (d->secondary) {
            d->state = d->end_how;
            continue;
        }
        dispatch_finish(d, d->end_how);
        kprintf("span: domain %#x's address space freed after its other dispatchers stopped\n",
                d->id);
    }
}

struct sysret span_wake(struct dcb *d, uint64_t core)
{
    uint32_t origin = d->secondary ? d->origin : d->id;
    if (core >= ncores || !cores[core])
        return ret(SYS_ERR_ARG_RANGE);
    if (core == this_core()->id) {
        wake_here(origin);              /* ourselves: only the pending flag matters */
        return ret(ERR_OK);
    }
    struct span_req r = { .origin = origin };
    struct xcall_msg m = xcall_msg(&span_service, SPAN_OP_WAKE, &r, sizeof(r));
    /* A full queue loses nothing: the sleeper looks again at its next tick. */
    errval_t err = xcall_send((uint32_t)core, &m, NULL, NULL);
    return ret(err_no(err) == SYS_ERR_BUSY ? ERR_OK : err);
}
