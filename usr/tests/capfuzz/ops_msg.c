/*
 * ops_msg.c: messages to ourselves (Endpoint.send, Endpoint.send_cap
 * carrying a capability from the model), draining them in order, and the
 * invocations that must be refused whatever their arguments: span through
 * a Dispatcher that is not this domain's, and commands a type lacks.
 *
 * Only endpoints to this domain are used: its own SELFEP, copies and
 * mints of it, and Endpoints retyped from RAM (which name no dispatcher,
 * so a send on them finds it dead). The monitor's endpoint is left alone.
 */
#include "capfuzz.h"
#include <libos/libos.h>
#include <libos/lmp.h>
#include <kpi/cspace.h>
#include <kpi/dispatcher.h>
#include <kpi/syscall.h>

#define EXPECT_MAX (sizeof F.expect / sizeof F.expect[0])

static bool is_ep(const struct mnode *m) { return m->type == CAP_ENDPOINT; }

static unsigned pending(void) { return F.expect_tail - F.expect_head; }

void op_drain(void)
{
    struct lmp_msg m;
    while (lmp_ring_take(libos_disp(), &m)) {
        if (m.sender != F.domain) {
            F.foreign++;                    /* someone else's message: not ours to check */
            continue;
        }
        if (!pending()) {
            mismatch("message %#lx from ourselves that was never sent", m.words[0]);
            continue;
        }
        unsigned i = F.expect_head++ % EXPECT_MAX;
        bool same = m.cap_slot == F.expect[i].cap_slot;
        for (int w = 0; w < 4; w++)
            same = same && m.words[w] == F.expect[i].w[w];
        if (!same)
            mismatch("message %#lx (cap slot %#x) arrived where %#lx (cap slot %#x) was sent",
                     m.words[0], m.cap_slot, F.expect[i].w[0], F.expect[i].cap_slot);
    }
    if (pending())
        mismatch("%u messages sent to ourselves never arrived", pending());
    F.expect_head = F.expect_tail = 0;
}

static void expect_msg(uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3, uint32_t cap_slot)
{
    unsigned i = F.expect_tail++ % EXPECT_MAX;
    F.expect[i].w[0] = w0;
    F.expect[i].w[1] = w1;
    F.expect[i].w[2] = w2;
    F.expect[i].w[3] = w3;
    F.expect[i].cap_slot = cap_slot;
}

/* What a receiver does: move the capability out of the receive slot
 * (copy it to an empty slot, delete the original), so the next can come. */
static void take_received(void)
{
    int d = pick_empty();
    if (d != NONE) {
        errval_t got = invoke(node_cptr(N_ROOTCN), CNODE_CMD_COPY, node_cptr(N_RECV), CAP_SLOT(d), 0, 0);
        expect_err("copy", got, ERR_OK);
        if (err_is_ok(got))
            model_insert(N_RECV, d, &F.n[N_RECV]);
    }
    errval_t got = invoke(node_cptr(N_ROOTCN), CNODE_CMD_DELETE, node_cptr(N_RECV), 0, 0, 0);
    expect_err("delete", got, ERR_OK);
    if (err_is_ok(got))
        model_delete(N_RECV);
}

void op_send(bool with_cap)
{
    /* A message we did not send would fill the ring early: clear it first. */
    if (lmp_ring_pending(libos_disp()) != pending())
        op_drain();
    if (with_cap && node_full(N_RECV) && chance(80))
        take_received();
    int ep = chance(40) ? N_SELFEP : pick_full(is_ep);
    if (ep == NONE)
        ep = N_SELFEP;
    const struct mnode *e = &F.n[ep];
    uint8_t need = with_cap ? CAP_RIGHT_WRITE | CAP_RIGHT_GRANT : CAP_RIGHT_WRITE;
    uint64_t w0 = rnd(), w1 = rnd(), w2 = rnd(), w3 = rnd();
    errval_t want = (e->rights & need) != need ? CAP_ERR_RIGHTS
                  : e->raw != F.domain ? SYS_ERR_ENDPOINT_DEAD : ERR_OK;
    if (!with_cap) {
        if (err_is_ok(want) && pending() >= LMP_RING_SLOTS)
            want = SYS_ERR_ENDPOINT_FULL;
        errval_t got = invoke(node_cptr(ep), ENDPOINT_CMD_SEND, w0, w1, w2, w3);
        expect_err("Endpoint.send", got, want);
        if (err_is_ok(got) && err_is_ok(want))
            expect_msg(w0, w1, w2, w3, 0);
        return;
    }
    errval_t lookup = ERR_OK;
    capaddr_t cptr;
    int src = chance(85) ? pick_full(NULL) : chance(50) ? pick_empty() : NONE;
    if (src == NONE)
        cptr = pick_bad_cptr(&lookup);
    else
        cptr = node_cptr(src);
    if (err_is_ok(want))
        want = lookup;
    if (err_is_ok(want) && !node_full(src))
        want = CAP_ERR_SLOT_EMPTY;
    if (err_is_ok(want) && node_full(N_RECV))
        want = err_push(CAP_ERR_SLOT_NOT_EMPTY, SYS_ERR_RECV_SLOT_FULL);
    if (err_is_ok(want) && pending() >= LMP_RING_SLOTS)
        want = SYS_ERR_ENDPOINT_FULL;
    errval_t got = invoke(node_cptr(ep), ENDPOINT_CMD_SEND_CAP, w0, w1, w2, cptr);
    expect_err("Endpoint.send_cap", got, want);
    if (err_is_ok(got) && err_is_ok(want)) {
        model_insert(src, N_RECV, &F.n[src]);
        expect_msg(w0, w1, w2, 0, CAP_TASK(TASKCN_SLOT_RECV));
    }
}

static bool is_disp(const struct mnode *m) { return m->type == CAP_DISPATCHER; }

/* Span through a Dispatcher: one retyped from RAM names no domain
 * (SPAN_ERR_NOT_ORIGIN); a copy of our own may only be asked for a core
 * it cannot have (our own, or one that does not exist). */
void op_span(void)
{
    int d = pick_full(is_disp);
    if (d == NONE)
        d = N_DISP;
    const struct mnode *m = &F.n[d];
    uint64_t core = chance(50) ? F.core : 64 + rnd_below(1000);
    uint64_t entry = 0x400000, stack = USER_STACK_TOP - 64;
    errval_t want = !(m->rights & CAP_RIGHT_WRITE) ? CAP_ERR_RIGHTS
                  : m->raw != F.domain ? SPAN_ERR_NOT_ORIGIN : SYS_ERR_ARG_RANGE;
    errval_t got = invoke(node_cptr(d), DISPATCHER_CMD_SPAN, core, entry, stack, 0);
    expect_err("Dispatcher.span", got, want);
}

/* kernel/invoke.c's table: the commands each type has. */
static unsigned commands(unsigned type)
{
    switch (type) {
    case CAP_CNODE:      return CNODE_CMD_MOVE;
    case CAP_FRAME:      return 2;
    case CAP_VNIC:       return 6;
    case CAP_DISPATCHER: return 1;
    case CAP_ENDPOINT:   return 2;
    case CAP_DOORBELL:   return DOORBELL_CMD_STATS;
    default:             return 0;
    }
}

/* A command the capability's type does not have: refused, whatever the
 * arguments, before any of them is looked at. */
void op_illegal(void)
{
    int n = chance(90) ? pick_full(NULL) : N_SELFEP;
    if (n == NONE)
        n = N_SELFEP;
    unsigned have = commands(F.n[n].type);
    uint64_t cmd = chance(50) ? 0 : chance(70) ? have + 1 + rnd_below(20) : rnd();
    errval_t got = invoke(node_cptr(n), cmd, rnd(), rnd(), rnd(), rnd());
    expect_err("illegal command", got, SYS_ERR_ILLEGAL_INVOCATION);
}
