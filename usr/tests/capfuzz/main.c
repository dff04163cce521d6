/*
 * capfuzz [COUNT] [SEED] [vnic]: COUNT (default 25000) random but
 * well-formed capability invocations on this domain's real capabilities,
 * each answer checked against a model of its slots (capfuzz.h), with the
 * batch invariants of check.c after every BATCH of them.
 *
 * The fuzzer keeps its runtime alive: it never revokes or deletes the
 * task CNode's capabilities. It retypes a child RAM (the anchor) from the
 * domain's RAM and fuzzes only below it, in SLOTCN's slots and the receive
 * slot. `vnic` also takes a VNIC and fuzzes its calls (ops_vnic.c).
 *
 * Prints one line per mismatch or leak (the first few), then
 *   capfuzz: core N seed S: I invocations, R refused, M model mismatches,
 *            B batches, leaks L, kernel up
 * and exits 0 only when M and L are 0.
 */
#include "capfuzz.h"
#include <string.h>
#include <libos/debug.h>
#include <libos/libos.h>
#include <kpi/cspace.h>
#include <kpi/syscall.h>

#define BATCH 2500

struct fuzz F;

static uint64_t parse(const char *s, uint64_t dflt)
{
    uint64_t v = 0;
    if (!s || *s < '0' || *s > '9')
        return dflt;
    for (; *s >= '0' && *s <= '9'; s++)
        v = v * 10 + (uint64_t)(*s - '0');
    return v;
}

static errval_t identify(int n, struct cap_identity *id)
{
    return invoke(node_cptr(N_ROOTCN), CNODE_CMD_IDENTIFY, node_cptr(n), (uint64_t)(uintptr_t)id, 0, 0);
}

/* The task capabilities the fuzzer copies from, as the model's roots. */
static errval_t know(int n, int parent, uint64_t raw)
{
    struct cap_identity id;
    errval_t err = identify(n, &id);
    if (err_is_fail(err))
        return err;
    struct mnode m = { .type = (uint8_t)id.type, .rights = (uint8_t)id.rights, .base = id.base,
                       .bytes = id.bytes, .raw = raw };
    model_insert(parent, n, &m);
    return ERR_OK;
}

static errval_t setup(void)
{
    model_init();
    struct cap_identity id;
    F.checking = true;
    errval_t err = know(N_TASKRAM, NONE, 0);
    if (err_is_ok(err))
        err = know(N_SELFEP, NONE, F.domain);
    if (err_is_ok(err))
        err = know(N_DISP, NONE, F.domain);
    if (err_is_ok(err)) {           /* ROOTCN is a copy of the kernel-held root */
        err = know(N_ROOTCN, NONE, 0);
        F.n[N_DCBROOT] = F.n[N_ROOTCN];
        F.n[N_ROOTCN].parent = NONE;
        model_insert(NONE, N_DCBROOT, &F.n[N_ROOTCN]);
        F.n[N_ROOTCN].parent = N_DCBROOT;
        F.n[N_DCBROOT].first_child = N_ROOTCN;
    }
    for (int n = 0; err_is_ok(err) && n <= N_RECV; n++)
        if (err_no(identify(n, &id)) != CAP_ERR_SLOT_EMPTY)
            err = CAP_ERR_SLOT_NOT_EMPTY;   /* a fresh domain's SLOTCN is empty */
    if (err_is_ok(err))
        err = invoke(node_cptr(N_ROOTCN), CNODE_CMD_COPY, node_cptr(N_ROOTCN), CAP_SLOT(SLOT_ROOTCOPY), 0, 0);
    if (err_is_ok(err))
        err = invoke(node_cptr(N_ROOTCN), CNODE_CMD_MINT, node_cptr(N_ROOTCN), CAP_SLOT(SLOT_ROOTRO),
                     CAP_RIGHT_READ, 0);
    F.checking = false;
    if (err_is_fail(err))
        return err;
    struct mnode copy = F.n[N_ROOTCN];
    model_insert(N_ROOTCN, SLOT_ROOTCOPY, &copy);
    copy.rights = CAP_RIGHT_READ;
    model_insert(N_ROOTCN, SLOT_ROOTRO, &copy);

    uint64_t base = F.n[N_TASKRAM].base, aligned = (base + ANCHOR_BYTES - 1) & ~(ANCHOR_BYTES - 1);
    if (aligned + ANCHOR_BYTES > base + F.n[N_TASKRAM].bytes)
        return MM_ERR_OUT_OF_MEMORY;
    F.anchor_base = aligned;
    F.anchor_offset = aligned - base;
    return map_calibrate();
}

int main(int argc, char *argv[])
{
    uint64_t count = parse(argc > 1 ? argv[1] : NULL, 25000);
    F.seed = parse(argc > 2 ? argv[2] : NULL, 1);
    F.rng = (F.seed * 0x9e3779b97f4a7c15ull) | 1;
    F.core = libos_core_id();
    F.domain = libos_domain_id();
    errval_t err = setup();
    if (err_is_ok(err) && argc > 3 && strcmp(argv[3], "vnic") == 0)
        err = vnic_setup();
    if (err_is_ok(err))
        err = tlb_setup();
    if (err_is_fail(err)) {
        debug_err("capfuzz: setup", err);
        return 2;
    }
    batch_check();                      /* makes the starting state: a fresh, zeroed anchor */
    F.batches = 0;
    if (F.vnic)
        vnic_regressions();
    debug_printf("capfuzz: core %u seed %lu: %lu invocations%s, batches of %u, %u mappings free\n",
                 F.core, F.seed, count, F.vnic ? " with a VNIC" : "", BATCH, F.map_cap);
    uint64_t next = BATCH;
    while (F.invocations < count) {
        op_random();
        if (F.invocations >= next) {
            batch_check();
            next += BATCH;
        }
    }
    batch_check();
    debug_printf("capfuzz: core %u seed %lu: %lu invocations, %lu refused, %lu model mismatches, "
                 "%lu batches, leaks %lu, kernel up\n", F.core, F.seed, F.invocations, F.refused,
                 F.mismatches, F.batches, F.leaks);
    debug_printf("capfuzz: core %u: %lu check invocations, %lu cross-core TLB rounds, %lu foreign "
                 "messages, %lu page-table refusals\n", F.core, F.checks, F.tlb_rounds, F.foreign, F.oom);
    print_tally();
    return F.mismatches || F.leaks ? 1 : 0;
}
