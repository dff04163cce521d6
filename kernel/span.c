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
 * the memory. When the origin ends, its address space is kept until every
 * other core has stopped the domain's dispatchers there (SPAN_OP_STOP,
 * sent again on a tick if this core's request queue was full, and
 * answered), then freed.
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


static struct sysret ret(errval_t e) { return (struct sysret){ e, 0 }; }

/* The cross-core service: what an origin asks of another core. */
enum span_op { SPAN_OP_START = 1, SPAN_OP_STOP, SPAN_OP_WAKE };
struct span_req {
    uint32_t origin, reserved;
    uint64_t root, page;            /* START: the page tables, the dispatcher page */
    char name[24];                  /* START: the domain's name */
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

static struct xcall_answer serve(const struct xcall_msg *m, uint32_t from)
{
    struct span_req r;
    memcpy(&r, m->body, sizeof(r));
    r.name[sizeof(r.name) - 1] = 0;
    if (m->op == SPAN_OP_START)
        span_start_secondary(r.origin, r.root, r.page, r.name);
    else if (m->op == SPAN_OP_STOP)
        span_stop_secondaries(r.origin);
    else if (m->op == SPAN_OP_WAKE)
        wake_here(r.origin);
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
    struct span_req r = { .origin = d->id, .root = d->vspace.root, .page = pa };
    for (size_t i = 0; d->name[i] && i + 1 < sizeof(r.name); i++)
        r.name[i] = d->name[i];
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
            dispatch_kill(d, DOMAIN_KILLED, 0, NULL);
    }
}

bool span_defer_teardown(struct dcb *d)
{
    if (!d->span_mask)
        return false;
    struct core *c = this_core();
    for (int i = 0; i < SPAN_ZOMBIES; i++) {
        struct span_zombie *z = &c->zombies[i];
        if (z->vspace.root)
            continue;
        z->vspace = d->vspace;
        z->origin = d->id;
        z->to_post = d->span_mask;
        z->to_confirm = 0;
        d->vspace.root = 0;             /* not the dcb's to free any more */
        return true;
    }
    kprintf("span: core %u: no room to wait for domain %#x's other dispatchers; its address "
            "space is leaked, not freed under them\n", c->id, d->id);
    d->vspace.root = 0;
    return true;
}

/* Core ctx[1] has stopped zombie ctx[0]'s dispatchers. */
static void stopped(const struct xcall *x, const struct xcall_answer *a)
{
    this_core()->zombies[x->ctx[0]].to_confirm &= ~(1ull << x->ctx[1]);
}

void span_tick(void)
{
    struct core *c = this_core();
    for (int i = 0; i < SPAN_ZOMBIES; i++) {
        struct span_zombie *z = &c->zombies[i];
        if (!z->vspace.root)
            continue;
        for (uint32_t core = 0; core < ncores && core < 64; core++) {
            uint64_t bit = 1ull << core;
            if (!(z->to_post & bit))
                continue;
            struct span_req r = { .origin = z->origin };
            struct xcall_msg m = xcall_msg(&span_service, SPAN_OP_STOP, &r, sizeof(r));
            const uint64_t ctx[4] = { (uint64_t)i, core, 0, 0 };
            z->to_confirm |= bit;       /* before the answer can come */
            if (err_is_ok(xcall_send(core, &m, stopped, ctx)))
                z->to_post &= ~bit;
            else
                z->to_confirm &= ~bit;  /* the queue is full: next tick */
        }
        if (!z->to_post && !z->to_confirm) {
            vspace_destroy(&z->vspace);
            kprintf("span: domain %#x's address space freed after its other dispatchers stopped\n",
                    z->origin);
        }
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
