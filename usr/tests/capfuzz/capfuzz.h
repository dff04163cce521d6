/**
 * \file capfuzz.h
 * \brief The stateful capability fuzzer's shared state: a model of what
 * this domain's capability slots hold (a mirror of the kernel's mapping
 * database for them), the random source, and the counters.
 *
 * The model has one node per slot the fuzzer touches: the 256 slots of
 * SLOTCN (the playground), the receive slot, and the task CNode's
 * capabilities it copies from. Nodes are linked exactly as kernel/cap/mdb.c
 * links slots (parent, first child, siblings, children inserted first), so
 * the model knows what a revoke reaches and what a retype overlaps, and can
 * say in advance what the kernel must answer.
 */
#ifndef CAPFUZZ_H
#define CAPFUZZ_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <kpi/caps.h>
#include <kpi/errors.h>

/* Model nodes: SLOTCN slot i is node i; the others name task slots. */
#define PG_SLOTS     ((int)CAP_L2_SLOTS)
#define N_RECV       (PG_SLOTS + 0)     /* TASKCN_SLOT_RECV */
#define N_TASKRAM    (PG_SLOTS + 1)     /* the domain's RAM: parent of the anchor */
#define N_SELFEP     (PG_SLOTS + 2)
#define N_DISP       (PG_SLOTS + 3)
#define N_ROOTCN     (PG_SLOTS + 4)     /* TASKCN_SLOT_ROOTCN */
#define N_DCBROOT    (PG_SLOTS + 5)     /* the kernel-held root: ROOTCN's parent */
#define N_NODES      (PG_SLOTS + 6)
#define NONE         (-1)

/* Random ops use SLOTCN slots below FUZZ_SLOTS; the ones above are the
 * fuzzer's own (checks, the VNIC, the copies of the root CNode). */
#define FUZZ_SLOTS     96
#define SLOT_ROOTCOPY  255      /* a copy of the root CNode: undeletable */
#define SLOT_ROOTRO    254      /* a read-only mint of it */
#define SLOT_VNIC      253      /* vnic mode: the VNIC */
#define SLOT_BIG       252      /* batch check: the whole anchor as one Frame */
#define SLOT_PROBE     251      /* batch check: a probe Frame */
#define SLOT_TLB_POOL  250      /* tlbcheck.c: the RAM its Frames come from */
#define SLOT_TLB_A     249      /* tlbcheck.c: the Frame mapped for the reader, */
#define SLOT_TLB_B     248      /* in one of these two */

/* The child RAM everything is retyped from, and where Frames are mapped. */
#define ANCHOR_BITS    22
#define ANCHOR_BYTES   (1ull << ANCHOR_BITS)
#define ANCHOR_PAGES   (ANCHOR_BYTES / 4096)
#define FUZZ_VA_BASE   0x0000140000000000ull    /* far from libos' heaps */
#define FUZZ_VA_BYTES  (1ull << 30)             /* bounded: page tables stay few */
#define CHECK_VA       (FUZZ_VA_BASE + 2 * FUZZ_VA_BYTES)

struct mnode {
    uint8_t type, rights;
    uint64_t base, bytes, raw;          /* raw: the kernel's u.raw (identity) */
    int16_t parent, first_child, next, prev;
    uint64_t va;                        /* its Frame.map/map_regs, 0: none */
    bool writable;
};

struct fuzz {
    uint32_t core, domain;
    uint64_t seed, rng;
    uint64_t invocations, refused, mismatches, leaks, oom, batches, checks, foreign;
    uint64_t tlb_rounds;
    bool checking;                      /* invocations of the checks are counted apart */
    struct mnode n[N_NODES];
    uint64_t anchor_base, anchor_offset;   /* physical; and from the domain's RAM's base */
    unsigned maps, map_cap;             /* mappings held; how many the kernel tracks for us */
    uint64_t tags[ANCHOR_PAGES];        /* first word of each anchor page */
    struct { uint64_t va, bytes; } probes[64];
    unsigned nprobes;
    struct { uint64_t w[4]; uint32_t cap_slot; } expect[32];
    unsigned expect_head, expect_tail;  /* messages sent to ourselves, in order */
    bool vnic;                          /* vnic mode: a VNIC in SLOT_VNIC */
    unsigned vf;
    struct { int16_t frame; } dma[16];  /* Frames registered for DMA (their slots) */
    unsigned ndma;
};
extern struct fuzz F;

/* The random source: xorshift64*, seeded from the command line. */
static inline uint64_t rnd(void)
{
    F.rng ^= F.rng >> 12;
    F.rng ^= F.rng << 25;
    F.rng ^= F.rng >> 27;
    return F.rng * 2685821657736338717ull;
}
static inline uint64_t rnd_below(uint64_t n) { return n ? rnd() % n : 0; }
static inline bool chance(unsigned percent) { return rnd_below(100) < percent; }

/* model.c */
capaddr_t node_cptr(int n);
bool node_full(int n);
void model_init(void);
void model_insert(int parent, int dest, const struct mnode *cap);
void model_delete(int n);
void model_revoke(int n);
bool model_last_copy(int n);
bool model_same(int a, int b);
bool model_range_in_use(int src, uint64_t base, uint64_t bytes);
int model_family_head(int n);
int model_anchor(void);
void model_unmapped(int n);             /* its mapping went (unmap, delete, revoke) */

/* pick.c: slots chosen from the model */
int pick_full(bool (*want)(const struct mnode *));
int pick_empty(void);
int pick_any(void);
capaddr_t pick_bad_cptr(errval_t *lookup_err);

/* ops.c: one random invocation, checked against the model */
void op_random(void);
/* ops_cnode.c, ops_frame.c, ops_msg.c, ops_vnic.c */
void op_retype(void);
void op_copy(bool mint);
void op_delete(bool revoke);
void op_identify(void);
void op_map(void);
void op_unmap(void);
void op_touch(void);
void op_send(bool with_cap);
void op_drain(void);
void op_span(void);
void op_illegal(void);
void op_vnic(void);
errval_t vnic_setup(void);
void vnic_regressions(void);

/* check.c: invoke and compare; the batch invariants */
errval_t invoke(capaddr_t c, uint64_t cmd, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4);
void expect_err(const char *what, errval_t got, errval_t want);
void print_tally(void);
void mismatch(const char *fmt, ...);
void leak(const char *fmt, ...);
bool batch_check(void);
errval_t anchor_create(void);
errval_t map_calibrate(void);
/* tlbcheck.c: a reader on the next core, one round per batch */
errval_t tlb_setup(void);
void tlb_round(void);
#endif
