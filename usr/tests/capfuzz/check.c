/*
 * check.c: comparing the kernel's answers with the model, and the
 * invariants checked after every batch.
 *
 * After a batch the fuzzer takes everything back and proves it came back:
 *   1. every slot holds what the model says (identify each one);
 *   2. revoking the anchor and deleting what survives it (copies of task
 *      capabilities, Filters, Doorbells) leaves every fuzzed slot empty;
 *   3. the anchor's whole range can be retyped again from the domain's RAM
 *      (nothing retyped from it survived anywhere: no leak), and again as
 *      one Frame, whose every page reads zero (the kernel cleared it);
 *   4. at every address where a Frame was mapped and its mapping went, a
 *      fresh Frame of the same size maps again (nothing stayed mapped
 *      that no capability covers);
 *   5. the messages sent to ourselves all arrived, in order;
 *   6. another core sees a Frame's replacement, not the Frame (tlbcheck.c).
 * Then the anchor is revoked once more and the next batch starts from it.
 */
#include "capfuzz.h"
#include <fmt.h>
#include <stdarg.h>
#include <string.h>
#include <libos/debug.h>
#include <libos/syscall.h>
#include <kpi/cspace.h>
#include <kpi/syscall.h>

#define PRINTS_MAX 20                   /* lines of detail, then only counts */

static unsigned printed;

errval_t invoke(capaddr_t c, uint64_t cmd, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    errval_t e = sys_invoke(c, cmd, a1, a2, a3, a4).err;
    if (F.checking) {
        F.checks++;
    } else {
        F.invocations++;
        F.refused += err_is_fail(e);
    }
    return e;
}

static void report(const char *kind, const char *fmt, va_list ap)
{
    if (printed++ >= PRINTS_MAX)
        return;
    char line[240];
    fmt_vsnprintf(line, sizeof line, fmt, ap);
    debug_printf("capfuzz: %s core %u seed %lu invocation %lu: %s\n", kind, F.core, F.seed,
                 F.invocations, line);
}

void mismatch(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    F.mismatches++;
    report("MISMATCH", fmt, ap);
    va_end(ap);
}

void leak(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    F.leaks++;
    report("LEAK", fmt, ap);
    va_end(ap);
}

/* Per kind of invocation: how many, and how many the kernel carried out. */
static struct { const char *what; uint64_t calls, ok; } kinds[24];

static void tally(const char *what, errval_t got)
{
    unsigned i = 0;
    while (i < 24 && kinds[i].what && strcmp(kinds[i].what, what) != 0)
        i++;
    if (i == 24 || F.checking)
        return;
    kinds[i].what = what;
    kinds[i].calls++;
    kinds[i].ok += err_is_ok(got);
}

void print_tally(void)
{
    char line[DEBUG_PRINT_CHUNK * 4];
    size_t len = 0;
    for (unsigned i = 0; i < 24 && kinds[i].what && len < sizeof line; i++)
        len += (size_t)fmt_snprintf(line + len, sizeof line - len, "%s %s %lu/%lu", i ? "," : "",
                                    kinds[i].what, kinds[i].ok, kinds[i].calls);
    debug_printf("capfuzz: core %u carried out/made:%s\n", F.core, line);
}

void expect_err(const char *what, errval_t got, errval_t want)
{
    tally(what, got);
    if (got != want)
        mismatch("%s: got %s (<- %s), model says %s (<- %s)", what, err_name(err_no(got)),
                 err_name(err_no(err_pop(got))), err_name(err_no(want)),
                 err_name(err_no(err_pop(want))));
}

static capaddr_t rootcn(void) { return node_cptr(N_ROOTCN); }

/* 1. Each slot against the model. */
static void sweep(void)
{
    for (int n = 0; n <= N_RECV; n++) {
        struct cap_identity id;
        errval_t err = invoke(rootcn(), CNODE_CMD_IDENTIFY, node_cptr(n), (uint64_t)(uintptr_t)&id, 0, 0);
        const struct mnode *m = &F.n[n];
        if (!node_full(n) && err_no(err) != CAP_ERR_SLOT_EMPTY)
            mismatch("slot %d holds %s, model says empty (%s)", n,
                     err_is_ok(err) ? cap_type_name(id.type) : "?", err_name(err_no(err)));
        else if (node_full(n) && (err_is_fail(err) || id.type != m->type || id.base != m->base ||
                                  id.bytes != m->bytes || id.rights != m->rights))
            mismatch("slot %d: %s %s base %#lx bytes %#lx rights %#x, model %s base %#lx bytes "
                     "%#lx rights %#x", n, err_name(err_no(err)), cap_type_name(id.type), id.base,
                     id.bytes, id.rights, cap_type_name(m->type), m->base, m->bytes, m->rights);
    }
}

/* The anchor: ANCHOR_BYTES of the domain's RAM, naturally aligned, in slot 0. */
errval_t anchor_create(void)
{
    errval_t err = invoke(rootcn(), CNODE_CMD_RETYPE, node_cptr(N_TASKRAM),
                          CAP_RAM | (uint64_t)ANCHOR_BITS << 8 | (F.anchor_offset / 4096) << 16, 1,
                          CAP_SLOT(0));
    if (err_is_fail(err))
        return err;
    struct mnode a = { .type = CAP_RAM, .rights = F.n[N_TASKRAM].rights, .base = F.anchor_base,
                       .bytes = ANCHOR_BYTES };
    model_insert(N_TASKRAM, 0, &a);
    return ERR_OK;
}

static bool is_reserved(int n)
{
    return n == SLOT_ROOTCOPY || n == SLOT_ROOTRO || n == SLOT_VNIC || n == SLOT_TLB_POOL ||
           n == SLOT_TLB_A || n == SLOT_TLB_B;
}

/* 2. Take everything back; what the model still holds outside the
 * reserved slots is deleted one by one. */
static void take_back(void)
{
    int a = model_anchor();
    errval_t err = a == NONE ? CAP_ERR_SLOT_EMPTY : invoke(rootcn(), CNODE_CMD_REVOKE, node_cptr(a), 0, 0, 0);
    expect_err("batch: revoke the anchor", err, ERR_OK);
    if (err_is_ok(err))
        model_revoke(a);
    if (a != NONE) {
        err = invoke(rootcn(), CNODE_CMD_DELETE, node_cptr(a), 0, 0, 0);
        expect_err("batch: delete the anchor", err, ERR_OK);
        model_delete(a);
    }
    for (int n = 0; n <= N_RECV; n++) {
        if (!node_full(n) || is_reserved(n))
            continue;
        err = invoke(rootcn(), CNODE_CMD_DELETE, node_cptr(n), 0, 0, 0);
        expect_err("batch: delete a survivor", err, ERR_OK);
        model_delete(n);
    }
    for (int n = 0; n <= N_RECV; n++) {
        struct cap_identity id;
        if (is_reserved(n))
            continue;
        err = invoke(rootcn(), CNODE_CMD_IDENTIFY, node_cptr(n), (uint64_t)(uintptr_t)&id, 0, 0);
        if (err_no(err) != CAP_ERR_SLOT_EMPTY)
            leak("slot %d still holds %s after the batch was taken back", n,
                 err_is_ok(err) ? cap_type_name(id.type) : err_name(err_no(err)));
    }
    if (F.ndma)
        mismatch("%u DMA registrations outlived their Frames", F.ndma);
}

/* 3. The whole anchor again, as RAM and as one Frame that reads zero. */
static bool fresh_anchor(void)
{
    errval_t err = anchor_create();
    if (err_is_fail(err)) {
        leak("the anchor's %lu bytes cannot be retyped again: %s", ANCHOR_BYTES, err_name(err_no(err)));
        return false;
    }
    err = invoke(rootcn(), CNODE_CMD_RETYPE, CAP_SLOT(0), CAP_FRAME | (uint64_t)ANCHOR_BITS << 8, 1,
                 CAP_SLOT(SLOT_BIG));
    if (err_is_ok(err))
        err = invoke(CAP_SLOT(SLOT_BIG), FRAME_CMD_MAP, CHECK_VA, FRAME_MAP_WRITE, 0, 0);
    if (err_is_fail(err)) {
        leak("the anchor cannot become one Frame mapped at %#lx: %s (<- %s)", CHECK_VA,
             err_name(err_no(err)), err_name(err_no(err_pop(err))));
        return false;
    }
    unsigned dirty = 0;
    for (uint64_t p = 0; p < ANCHOR_PAGES; p++) {
        volatile uint64_t *w = (volatile uint64_t *)(uintptr_t)(CHECK_VA + p * 4096);
        dirty += *w != 0;
        F.tags[p] = 0;
    }
    if (dirty)
        leak("%u pages of a Frame just retyped from RAM are not zero", dirty);
    return true;
}

static bool overlaps_live(uint64_t va, uint64_t bytes)
{
    for (int i = 0; i < N_NODES; i++) {
        uint64_t len = F.n[i].type == CAP_VNIC ? 16 * 1024 : F.n[i].bytes;
        if (F.n[i].va && va < F.n[i].va + len && F.n[i].va < va + bytes)
            return true;
    }
    return false;
}

/* 4. Map a Frame of the same size where each mapping was. */
static void probe_unmapped(void)
{
    for (unsigned i = 0; i < F.nprobes; i++) {
        uint64_t va = F.probes[i].va, bytes = F.probes[i].bytes;
        if (overlaps_live(va, bytes))
            continue;                       /* the VNIC's registers live there now */
        unsigned bits = 12;
        while ((1ull << bits) < bytes)
            bits++;
        errval_t err = bytes >= ANCHOR_BYTES
            ? invoke(rootcn(), CNODE_CMD_COPY, CAP_SLOT(SLOT_BIG), CAP_SLOT(SLOT_PROBE), 0, 0)
            : invoke(rootcn(), CNODE_CMD_RETYPE, CAP_SLOT(SLOT_BIG), CAP_FRAME | (uint64_t)bits << 8, 1,
                     CAP_SLOT(SLOT_PROBE));
        if (err_is_fail(err)) {
            leak("no probe Frame of %lu bytes: %s", bytes, err_name(err_no(err)));
            continue;
        }
        err = invoke(CAP_SLOT(SLOT_PROBE), FRAME_CMD_MAP, va, 0, 0, 0);
        if (err_is_fail(err))
            leak("%#lx..+%#lx is still mapped after its capability went: %s", va, bytes,
                 err_name(err_no(err)));
        errval_t e2 = invoke(rootcn(), CNODE_CMD_DELETE, CAP_SLOT(SLOT_PROBE), 0, 0, 0);
        if (err_is_fail(e2))
            leak("probe Frame would not go: %s", err_name(err_no(e2)));
    }
    F.nprobes = 0;
}

bool batch_check(void)
{
    uint64_t leaks = F.leaks, mism = F.mismatches;
    F.checking = true;
    op_drain();
    sweep();
    take_back();
    if (fresh_anchor()) {
        probe_unmapped();
        errval_t err = invoke(rootcn(), CNODE_CMD_REVOKE, CAP_SLOT(0), 0, 0, 0);
        if (err_is_fail(err))
            leak("revoking the fresh anchor: %s", err_name(err_no(err)));
    }
    tlb_round();
    F.checking = false;
    F.batches++;
    return F.leaks == leaks && F.mismatches == mism;
}

/* How many mappings the kernel tracks for this domain beyond what the
 * runtime holds: map 4 KiB Frames until it says no. */
errval_t map_calibrate(void)
{
    enum { TRY = 128 };
    F.checking = true;
    errval_t err = anchor_create();
    if (err_is_ok(err))
        err = invoke(rootcn(), CNODE_CMD_RETYPE, CAP_SLOT(0), CAP_FRAME | 12ull << 8, TRY, CAP_SLOT(1));
    unsigned mapped = 0;
    while (err_is_ok(err) && mapped < TRY) {
        err = invoke(CAP_SLOT(1 + mapped), FRAME_CMD_MAP, CHECK_VA + mapped * 4096ull, 0, 0, 0);
        mapped += err_is_ok(err);
    }
    F.map_cap = mapped;
    errval_t e2 = invoke(rootcn(), CNODE_CMD_REVOKE, CAP_SLOT(0), 0, 0, 0);  /* unmaps them all */
    F.checking = false;
    if (err_no(err) != MAP_ERR_TOO_MANY)
        return err_is_fail(err) ? err : MAP_ERR_TOO_MANY;
    return e2;
}
