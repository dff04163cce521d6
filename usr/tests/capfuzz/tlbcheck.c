/*
 * tlbcheck.c: is a Frame's mapping gone on every core once delete
 * returns? The domain spans to the next core (Dispatcher.span); a reader
 * there reads one fixed address whenever the fuzzer says it is stable.
 *
 * A round, after each batch: the fuzzer asks the reader to hold still
 * (it then spins without touching the address, so its TLB keeps the old
 * translation if nobody flushes it), deletes the mapped Frame, retypes a
 * Frame from other memory, maps it at the same address, writes a new tag
 * and lets the reader read. The reader must see the new tag: the delete
 * took the mapping down and shot down the reader core's TLB, or it would
 * read the old Frame's memory.
 *
 * The Frames come from a small RAM of their own (TLB_POOL), not from the
 * anchor, whose revoke at the batch's end would unmap the address while
 * the reader might be reading it.
 */
#include "capfuzz.h"
#include <libos/libos.h>
#include <libos/syscall.h>
#include <libos/thread.h>
#include <libos/tsc.h>
#include <kpi/cspace.h>
#include <kpi/syscall.h>

#define TLB_VA       (CHECK_VA + (64ull << 20))
#define POOL_BITS    16
#define WAIT_S       10

static struct {
    volatile uint32_t req, ack;     /* req odd: hold still; even: read */
    volatile uint64_t seen;
} sh __attribute__((aligned(64)));

static int cur = NONE;              /* the slot of the Frame mapped at TLB_VA */
static uint64_t offset;             /* its page in the pool */
static uint32_t reader_core;
static bool on;

static int reader(void *arg)
{
    (void)arg;
    for (;;) {
        uint32_t r = sh.req;
        if (r == sh.ack) {
            sys_yield(SYS_YIELD_BLOCK);     /* until the next tick */
            continue;
        }
        if (r & 1) {                /* hold still: spin, keep the TLB as it is */
            sh.seen = *(volatile uint64_t *)(uintptr_t)TLB_VA;  /* now it has the translation */
            __atomic_store_n(&sh.ack, r, __ATOMIC_RELEASE);
            for (uint64_t i = 0; sh.req == r; i++)
                if (i > (1u << 22))
                    sys_yield(SYS_YIELD_SLICE);
            continue;
        }
        sh.seen = *(volatile uint64_t *)(uintptr_t)TLB_VA;
        __atomic_store_n(&sh.ack, r, __ATOMIC_RELEASE);
    }
    return 0;
}

static bool wait_ack(uint32_t r)
{
    uint64_t deadline = rdtsc_now() + WAIT_S * libos_tsc_hz();
    while (__atomic_load_n(&sh.ack, __ATOMIC_ACQUIRE) != r)
        if (rdtsc_now() > deadline || err_is_fail(sys_yield(SYS_YIELD_SLICE)))
            return false;
    return true;
}

/* A new Frame at `page` of the pool, mapped at TLB_VA, tagged. */
static errval_t map_new(int slot, uint64_t page, uint64_t tag)
{
    errval_t err = invoke(node_cptr(N_ROOTCN), CNODE_CMD_RETYPE, CAP_SLOT(SLOT_TLB_POOL),
                          CAP_FRAME | 12ull << 8 | page << 16, 1, CAP_SLOT(slot));
    if (err_is_fail(err))
        return err;
    const struct mnode *pool = &F.n[SLOT_TLB_POOL];
    struct mnode f = { .type = CAP_FRAME, .rights = pool->rights, .base = pool->base + page * 4096,
                       .bytes = 4096 };
    model_insert(SLOT_TLB_POOL, slot, &f);
    if (err_is_fail(err = invoke(CAP_SLOT(slot), FRAME_CMD_MAP, TLB_VA, FRAME_MAP_WRITE, 0, 0)))
        return err;
    F.n[slot].va = TLB_VA;
    F.n[slot].writable = true;
    F.maps++;
    *(volatile uint64_t *)(uintptr_t)TLB_VA = tag;
    cur = slot;
    offset = page;
    return ERR_OK;
}

errval_t tlb_setup(void)
{
    if (libos_ncores() < 2)
        return ERR_OK;
    uint64_t pool_off = F.anchor_offset + ANCHOR_BYTES;     /* aligned: the anchor is */
    F.checking = true;
    errval_t err = invoke(node_cptr(N_ROOTCN), CNODE_CMD_RETYPE, node_cptr(N_TASKRAM),
                          CAP_RAM | (uint64_t)POOL_BITS << 8 | (pool_off / 4096) << 16, 1,
                          CAP_SLOT(SLOT_TLB_POOL));
    if (err_is_ok(err)) {
        struct mnode p = { .type = CAP_RAM, .rights = F.n[N_TASKRAM].rights,
                           .base = F.n[N_TASKRAM].base + pool_off, .bytes = 1ull << POOL_BITS };
        model_insert(N_TASKRAM, SLOT_TLB_POOL, &p);
        err = map_new(SLOT_TLB_A, 0, rnd() | 1);
    }
    F.checking = false;
    reader_core = (F.core + 1) % (uint32_t)libos_ncores();
    if (err_is_ok(err))
        err = disp_span(reader_core, reader, NULL);
    if (err_is_fail(err))
        return err;
    /* The reader's first read puts the translation in its TLB. */
    __atomic_store_n(&sh.req, 2, __ATOMIC_RELEASE);
    if (!wait_ack(2))
        return MONITOR_ERR_TIMEOUT;
    on = true;
    return ERR_OK;
}

void tlb_round(void)
{
    if (!on)
        return;
    uint32_t hold = sh.req + 1;
    __atomic_store_n(&sh.req, hold, __ATOMIC_RELEASE);
    if (!wait_ack(hold)) {
        mismatch("the reader on core %u did not hold still within %d s", reader_core, WAIT_S);
        on = false;
        return;
    }
    /* Delete the mapped Frame (its mapping goes, every core's TLB is
     * shot down), then map other memory at the same address. */
    errval_t err = invoke(node_cptr(N_ROOTCN), CNODE_CMD_DELETE, CAP_SLOT(cur), 0, 0, 0);
    if (err_is_ok(err))
        model_delete(cur);
    uint64_t tag = rnd() | 1;
    if (err_is_ok(err))
        err = map_new(cur == SLOT_TLB_A ? SLOT_TLB_B : SLOT_TLB_A, offset ? 0 : 1, tag);
    if (err_is_fail(err)) {
        mismatch("cross-core TLB round: %s", err_name(err_no(err)));
        on = false;                 /* the reader holds still for good */
        return;
    }
    uint32_t read = hold + 1;
    __atomic_store_n(&sh.req, read, __ATOMIC_RELEASE);
    if (!wait_ack(read)) {
        mismatch("the reader on core %u did not read within %d s", reader_core, WAIT_S);
        on = false;
        return;
    }
    F.tlb_rounds++;
    if (sh.seen != tag)
        mismatch("core %u read %#lx at %#lx after its Frame was deleted and another mapped "
                 "there with %#lx: a stale translation", reader_core, sh.seen, TLB_VA, tag);
}
