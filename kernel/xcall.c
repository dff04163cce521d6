/*
 * xcall.c: requests between CPU drivers, woken by IPIs (xcall.h).
 *
 * serve() answers every slot of this core whose seq moved past done;
 * progress() finishes this core's answered requests and posts the next
 * queued request to each target whose slot is free. Both run from the
 * VEC_XCALL interrupt and from the timer tick, with interrupts off, so on
 * one core they never run twice at once.
 */
#include <xcall.h>
#include <core.h>
#include <console.h>
#include <string.h>
#include <arch/apic.h>
#include <arch/trap.h>

extern const struct xcall_service __xcall_services_start[], __xcall_services_end[];

struct xcall_msg xcall_msg(const struct xcall_service *s, uint16_t op, const void *body,
                           unsigned len)
{
    struct xcall_msg m = { .service = (uint16_t)(s - __xcall_services_start), .op = op };
    memcpy(m.body, body, len < XCALL_BODY_BYTES ? len : XCALL_BODY_BYTES);
    return m;
}

static void kick(uint32_t core)
{
    apic_send_ipi(cores[core]->apic_id, ICR_FIXED | VEC_XCALL);
}

static void serve(struct core *c)
{
    size_t nservices = (size_t)(__xcall_services_end - __xcall_services_start);
    for (uint32_t from = 0; from < ncores; from++) {
        struct xcall_slot *s = &c->xcall_in[from];
        uint32_t seq = __atomic_load_n(&s->seq, __ATOMIC_ACQUIRE);
        if (seq == s->done)
            continue;
        if (s->req.service < nservices) {
            s->ans = __xcall_services_start[s->req.service].serve(&s->req, from);
        } else {
            kprintf("xcall: core %u: request for unknown service %u from core %u refused\n",
                    c->id, s->req.service, from);
            s->ans = (struct xcall_answer){ SYS_ERR_ILLEGAL_INVOCATION, { 0, 0 } };
        }
        __atomic_store_n(&s->done, seq, __ATOMIC_RELEASE);
        if (from != c->id)
            kick(from);
    }
}

/* Has this core a request to `core` posted and not yet finished (or, with
 * `queued`, any request to it at all)? */
static bool pending(const struct core *c, uint32_t core, bool queued)
{
    for (int i = 0; i < XCALL_QUEUE; i++) {
        const struct xcall *x = &c->xcall_out[i];
        if (x->used && x->core == core && (x->posted || queued))
            return true;
    }
    return false;
}

static void post(struct core *c, struct xcall *x)
{
    struct xcall_slot *s = &cores[x->core]->xcall_in[c->id];
    s->req = x->msg;
    x->seq = s->seq + 1;
    x->posted = true;
    __atomic_store_n(&s->seq, x->seq, __ATOMIC_RELEASE);
    kick(x->core);
}

static void progress(struct core *c)
{
    for (int i = 0; i < XCALL_QUEUE; i++) {
        struct xcall *x = &c->xcall_out[i];
        if (!x->used || !x->posted)
            continue;
        struct xcall_slot *s = &cores[x->core]->xcall_in[c->id];
        if (__atomic_load_n(&s->done, __ATOMIC_ACQUIRE) != x->seq)
            continue;
        struct xcall_answer a = s->ans;
        struct xcall done_x = *x;
        x->used = false;                /* the slot is free for the next one */
        if (done_x.done)
            done_x.done(&done_x, &a);
    }
    for (uint32_t core = 0; core < ncores; core++) {
        if (pending(c, core, false))
            continue;
        struct xcall *next = NULL;
        for (int i = 0; i < XCALL_QUEUE; i++) {
            struct xcall *x = &c->xcall_out[i];
            if (x->used && !x->posted && x->core == core && (!next || x->ticket < next->ticket))
                next = x;
        }
        if (next)
            post(c, next);
    }
}

errval_t xcall_send(uint32_t core, const struct xcall_msg *m, xcall_done_fn done,
                    const uint64_t ctx[4])
{
    if (core >= ncores || !cores[core])
        return SYS_ERR_ARG_RANGE;
    struct core *c = this_core();
    bool first = !pending(c, core, true);   /* else it waits its turn */
    for (int i = 0; i < XCALL_QUEUE; i++) {
        struct xcall *x = &c->xcall_out[i];
        if (x->used)
            continue;
        *x = (struct xcall){ .used = true, .core = core, .ticket = c->xcall_tickets++,
                             .msg = *m, .done = done };
        if (ctx)
            memcpy(x->ctx, ctx, sizeof(x->ctx));
        if (first)
            post(c, x);
        return ERR_OK;
    }
    return SYS_ERR_BUSY;
}

void xcall_poll(void)
{
    struct core *c = this_core();
    if (!c->dcbs)
        return;                         /* not taking requests yet */
    serve(c);
    progress(c);
    serve(c);                           /* a request to ourselves answers at once */
    progress(c);
}

static void xcall_interrupt(struct trap_frame *tf)
{
    apic_eoi();
    xcall_poll();
}

void xcall_init(void)
{
    trap_register(VEC_XCALL, xcall_interrupt);
}
