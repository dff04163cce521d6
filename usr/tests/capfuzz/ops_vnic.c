/*
 * ops_vnic.c: vnic mode. The fuzzer takes a VNIC (vnic_acquire, the
 * libos API) into SLOT_VNIC and calls it with Frames from the model:
 * register_dma, unregister_dma, rate_set, filter_create, doorbell_create,
 * map_regs, through the VNIC or copies of it.
 *
 * What is predicted: every check made on the caller's own arguments
 * (rights, slots, types, a Frame's base registered twice, the VNIC's 16
 * DMA frames, the rate's range, the filter predicates QEMU's igb cannot
 * steer by, the MSI-X entry's range). What depends on the NIC's shared
 * tables (a filter's room, whether this VF already has a doorbell) is
 * accepted among the answers the driver can give. A Frame without both
 * read and write rights must not become a DMA target: the VF would write
 * what the capability does not allow. vnic_regressions() checks what the
 * fuzz found in this code by a fixed sequence.
 */
#include "capfuzz.h"
#include <libos/vnic.h>
#include <kpi/cspace.h>
#include <kpi/syscall.h>

#define VNIC_DMA_MAX 16                 /* drivers/net/igb/vnic.c */
#define VNIC_REGS_BYTES (16 * 1024)
#define DMA_RIGHTS (CAP_RIGHT_READ | CAP_RIGHT_WRITE)

static bool is_vnic(const struct mnode *m) { return m->type == CAP_VNIC; }
static bool is_frame(const struct mnode *m) { return m->type == CAP_FRAME; }

errval_t vnic_setup(void)
{
    errval_t err = vnic_acquire(&F.vf);
    struct cap_identity id;
    if (err_is_ok(err))
        err = invoke(node_cptr(N_ROOTCN), CNODE_CMD_IDENTIFY, node_cptr(N_RECV),
                     (uint64_t)(uintptr_t)&id, 0, 0);
    if (err_is_ok(err) && id.type != CAP_VNIC)
        err = CAP_ERR_WRONG_TYPE;
    /* Keep it in a slot of our own: the receive slot is fuzzed. */
    if (err_is_ok(err))
        err = invoke(node_cptr(N_ROOTCN), CNODE_CMD_COPY, node_cptr(N_RECV), CAP_SLOT(SLOT_VNIC), 0, 0);
    if (err_is_ok(err))
        err = invoke(node_cptr(N_ROOTCN), CNODE_CMD_DELETE, node_cptr(N_RECV), 0, 0, 0);
    if (err_is_fail(err))
        return err;
    struct mnode v = { .type = CAP_VNIC, .rights = (uint8_t)id.rights, .base = id.base,
                       .bytes = id.bytes, .raw = F.vf | (uint64_t)F.domain << 32 };
    model_insert(NONE, SLOT_VNIC, &v);
    F.vnic = true;
    return ERR_OK;
}

/* What the fuzz found, checked by fixed sequence at every start, whatever
 * the seed: (1) a read-only Frame is no DMA target; (2) an unregister
 * through a copy, then a register through that copy, survives the delete
 * of the copy that registered first (from another core than the NIC's,
 * the forwarding table used to keep the first copy's entry). Runs below
 * the fresh anchor and revokes it after, so the model stays right. */
static void regression(const char *what, errval_t got, errval_t want)
{
    if (got != want)
        mismatch("regression: %s: got %s, expected %s", what, err_name(err_no(got)),
                 err_name(err_no(want)));
}

void vnic_regressions(void)
{
    enum { S1 = 90, S2, S3 };
    capaddr_t root = node_cptr(N_ROOTCN), vnic = CAP_SLOT(SLOT_VNIC);
    int a = model_anchor();
    if (a == NONE || node_full(S1) || node_full(S2) || node_full(S3))
        return;
    F.checking = true;
    errval_t err = invoke(root, CNODE_CMD_RETYPE, node_cptr(a), CAP_FRAME | 12ull << 8, 1, CAP_SLOT(S1));
    if (err_is_ok(err))
        err = invoke(root, CNODE_CMD_COPY, CAP_SLOT(S1), CAP_SLOT(S2), 0, 0);
    if (err_is_ok(err))
        err = invoke(root, CNODE_CMD_MINT, CAP_SLOT(S1), CAP_SLOT(S3), CAP_RIGHT_READ, 0);
    regression("three capabilities to one Frame", err, ERR_OK);
    regression("register_dma of a read-only Frame",
               invoke(vnic, VNIC_CMD_REGISTER_DMA, CAP_SLOT(S3), 0, 0, 0), CAP_ERR_RIGHTS);
    regression("register_dma", invoke(vnic, VNIC_CMD_REGISTER_DMA, CAP_SLOT(S1), 0, 0, 0), ERR_OK);
    regression("unregister_dma through a copy",
               invoke(vnic, VNIC_CMD_UNREGISTER_DMA, CAP_SLOT(S2), 0, 0, 0), ERR_OK);
    regression("register_dma through the copy",
               invoke(vnic, VNIC_CMD_REGISTER_DMA, CAP_SLOT(S2), 0, 0, 0), ERR_OK);
    regression("delete the first", invoke(root, CNODE_CMD_DELETE, CAP_SLOT(S1), 0, 0, 0), ERR_OK);
    regression("the copy's registration outlives the first's delete",
               invoke(vnic, VNIC_CMD_UNREGISTER_DMA, CAP_SLOT(S2), 0, 0, 0), ERR_OK);
    regression("revoke the anchor", invoke(root, CNODE_CMD_REVOKE, node_cptr(a), 0, 0, 0), ERR_OK);
    F.checking = false;
}

/* The VNIC to invoke: ours, or a copy of it the fuzz made. */
static int pick_vnic(void)
{
    int v = chance(25) ? pick_full(is_vnic) : NONE;
    return v == NONE ? SLOT_VNIC : v;
}

static int dma_index(uint64_t base)
{
    for (unsigned i = 0; i < F.ndma; i++)
        if (F.n[F.dma[i].frame].base == base)
            return (int)i;
    return -1;
}

static bool dma_overlaps(const struct mnode *f)
{
    for (unsigned i = 0; i < F.ndma; i++) {
        const struct mnode *r = &F.n[F.dma[i].frame];
        if (f->base < r->base + r->bytes && r->base < f->base + f->bytes)
            return true;
    }
    return false;
}

/* Another slot holding the same Frame as `f`, or NONE. */
static int same_object(int f)
{
    int found[PG_SLOTS + 1], n = 0;
    for (int i = 0; i <= N_RECV; i++)
        if (i != f && node_full(i) && model_same(i, f))
            found[n++] = i;
    return n ? found[rnd_below((uint64_t)n)] : NONE;
}

/* A Frame argument: mostly a Frame, sometimes another type or nothing. */
static int pick_frame_arg(capaddr_t *cptr, errval_t *pre)
{
    *pre = ERR_OK;
    int f = chance(90) ? pick_full(is_frame) : pick_any();
    if (f == NONE || chance(2)) {
        *cptr = pick_bad_cptr(pre);
        return NONE;
    }
    *cptr = node_cptr(f);
    if (F.n[f].type != CAP_FRAME)
        *pre = CAP_ERR_WRONG_TYPE;          /* an empty slot is no Frame either */
    return f;
}

/* A refusal that the kernel's cross-core forwarding may give instead:
 * another request from this core is still being served. */
static bool busy(errval_t got) { return err_no(got) == SYS_ERR_BUSY; }

static void op_dma(bool reg)
{
    int v = pick_vnic();
    capaddr_t fc;
    errval_t pre;
    int f = pick_frame_arg(&fc, &pre);
    if (!reg && chance(60) && F.ndma) {
        f = F.dma[rnd_below(F.ndma)].frame;
        int copy = chance(50) ? same_object(f) : NONE;
        fc = node_cptr(f = copy != NONE ? copy : f);    /* through a copy: by base */
        pre = ERR_OK;
    }
    errval_t want = reg && !(F.n[v].rights & CAP_RIGHT_WRITE) ? CAP_ERR_RIGHTS : pre;
    if (err_is_ok(want) && reg) {
        const struct mnode *m = &F.n[f];
        if ((m->rights & DMA_RIGHTS) != DMA_RIGHTS)
            want = CAP_ERR_RIGHTS;
        else if (dma_index(m->base) >= 0)
            want = MAP_ERR_ALREADY;
        else if (F.ndma >= VNIC_DMA_MAX)
            want = VNIC_ERR_TOO_MANY_DMA;
        else if (dma_overlaps(m))
            want = VTD_ERR_OVERLAP;         /* an IOMMU page is one frame's only */
    } else if (err_is_ok(want)) {
        want = dma_index(F.n[f].base) >= 0 ? ERR_OK : VNIC_ERR_NOT_REGISTERED;
    }
    errval_t got = invoke(node_cptr(v), reg ? VNIC_CMD_REGISTER_DMA : VNIC_CMD_UNREGISTER_DMA, fc,
                          0, 0, 0);
    if (busy(got))
        return;
    expect_err(reg ? "VNIC.register_dma" : "VNIC.unregister_dma", got, want);
    if (err_is_fail(got))
        return;
    /* Follow the kernel even where it disagreed: one mismatch, not a cascade. */
    if (reg && F.ndma < VNIC_DMA_MAX) {
        F.dma[F.ndma++].frame = (int16_t)f;
    } else if (!reg) {
        int i = dma_index(F.n[f].base);
        if (i >= 0)
            F.dma[i] = F.dma[--F.ndma];
    }
}

static void op_rate(void)
{
    int v = pick_vnic();
    uint64_t bps = chance(30) ? 0 : chance(50) ? rnd_below(200000000) : rnd();
    uint64_t mbps = bps * 8 / 1000000;
    errval_t want = !(F.n[v].rights & CAP_RIGHT_WRITE) ? CAP_ERR_RIGHTS
                  : bps && (mbps < 1 || mbps > 1000) ? RATE_ERR_RANGE : RATE_ERR_NO_HW_LIMITER;
    errval_t got = invoke(node_cptr(v), VNIC_CMD_RATE_SET, bps, 0, 0, 0);
    if (busy(got) || (want == RATE_ERR_NO_HW_LIMITER && err_is_ok(got)))
        return;                             /* a NIC that has a limiter may say yes */
    expect_err("VNIC.rate_set", got, want);
}

/* A destination slot for a Filter or Doorbell, and what cspace_put says. */
static int pick_new_slot(capaddr_t *cptr, errval_t *pre)
{
    *pre = ERR_OK;
    int d = chance(85) ? pick_empty() : pick_any();
    if (d == NONE || chance(3)) {
        *cptr = pick_bad_cptr(pre);
        return NONE;
    }
    *cptr = node_cptr(d);
    if (node_full(d))
        *pre = CAP_ERR_SLOT_NOT_EMPTY;
    return d;
}

static uint64_t fake_raw = 0xfeed0000;  /* names a Filter or Doorbell we made */

static void settle(int d, uint8_t type)
{
    struct mnode c = { .type = type, .rights = CAP_RIGHT_ALL, .raw = fake_raw++ };
    model_insert(NONE, d, &c);
}

static void op_filter(void)
{
    static const uint32_t flags[] = { FILTER_MAC, FILTER_BROADCAST, FILTER_MAC | FILTER_BROADCAST,
                                      FILTER_MAC | FILTER_VLAN, FILTER_ETHERTYPE | FILTER_MAC,
                                      FILTER_PORTS | FILTER_MAC, FILTER_VLAN, 0x80, 0 };
    int v = pick_vnic();
    struct filter_spec s = { .flags = flags[rnd_below(sizeof flags / sizeof flags[0])],
                             .vlan = (uint16_t)(chance(80) ? 1 + rnd_below(4094) : rnd()) };
    capaddr_t dc;
    errval_t want;
    int d = pick_new_slot(&dc, &want);
    bool good_ptr = chance(95);
    if (!(F.n[v].rights & CAP_RIGHT_WRITE))
        want = CAP_ERR_RIGHTS;
    else if (!good_ptr)
        want = SYS_ERR_BAD_USER_POINTER;
    bool shared = false;                    /* the answer depends on the NIC's tables */
    if (err_is_ok(want)) {
        if (s.flags & ~FILTER_KNOWN)
            want = FILTER_ERR_FLAGS;
        else if (s.flags & FILTER_ETHERTYPE)
            want = FILTER_ERR_NO_ETHERTYPE;
        else if (s.flags & (FILTER_PROTO | FILTER_PORTS | FILTER_PEERS))
            want = FILTER_ERR_NO_5TUPLE;
        else if (!(s.flags & (FILTER_MAC | FILTER_BROADCAST)))
            want = FILTER_ERR_FLAGS;
        else if ((s.flags & FILTER_VLAN) && (s.vlan == 0 || s.vlan > 4094))
            want = FILTER_ERR_VLAN;
        else
            shared = true;
    }
    errval_t got = invoke(node_cptr(v), VNIC_CMD_FILTER_CREATE, good_ptr ? (uint64_t)(uintptr_t)&s : 8,
                          dc, 0, 0);
    if (busy(got))
        return;
    if (shared && (err_no(got) == FILTER_ERR_INEXACT || err_no(got) == FILTER_ERR_TABLE_FULL))
        return;
    expect_err("VNIC.filter_create", got, want);
    if (err_is_ok(got) && err_is_ok(want))
        settle(d, CAP_FILTER);
}

static void op_doorbell(void)
{
    int v = pick_vnic();
    capaddr_t dc;
    errval_t want;
    int d = pick_new_slot(&dc, &want);
    uint64_t entry = chance(80) ? rnd_below(3) : chance(50) ? 3 + rnd_below(20) : 0x10000 + rnd_below(9);
    if (!(F.n[v].rights & CAP_RIGHT_WRITE))
        want = CAP_ERR_RIGHTS;
    else if (err_is_ok(want) && entry > 0xffff)
        want = SYS_ERR_ARG_RANGE;
    errval_t got = invoke(node_cptr(v), VNIC_CMD_DOORBELL_CREATE, entry, dc, 0, 0);
    if (busy(got))
        return;
    /* The VF's MSI-X table size and an existing doorbell are the NIC's to say. */
    if (err_is_ok(want) && (err_no(got) == DOORBELL_ERR_MSIX_ENTRY || err_no(got) == DOORBELL_ERR_EXISTS))
        return;
    expect_err("VNIC.doorbell_create", got, want);
    if (err_is_ok(got) && err_is_ok(want))
        settle(d, CAP_DOORBELL);
}

static void op_map_regs(void)
{
    int v = pick_vnic();
    struct mnode *m = &F.n[v];
    uint64_t va = FUZZ_VA_BASE + rnd_below((16ull << 20) / 4096) * 4096;
    if (chance(10))
        va = chance(50) ? va + 8 : 0x400000;
    errval_t want = !(m->rights & CAP_RIGHT_WRITE) ? CAP_ERR_RIGHTS
                  : va % 4096 || va < FUZZ_VA_BASE ? MAP_ERR_RANGE
                  : m->va ? MAP_ERR_ALREADY : F.maps >= F.map_cap ? MAP_ERR_TOO_MANY : ERR_OK;
    for (int i = 0; err_is_ok(want) && i < N_NODES; i++) {
        const struct mnode *o = &F.n[i];
        uint64_t len = o->type == CAP_VNIC ? VNIC_REGS_BYTES : o->bytes;
        if (o->va && va < o->va + len && o->va < va + VNIC_REGS_BYTES)
            want = MM_ERR_ALREADY_MAPPED;
    }
    errval_t got = invoke(node_cptr(v), VNIC_CMD_MAP_REGS, va, 0, 0, 0);
    expect_err("VNIC.map_regs", got, want);
    if (err_is_ok(got) && err_is_ok(want)) {
        m->va = va;
        m->writable = true;
        F.maps++;
    }
}

void op_vnic(void)
{
    unsigned r = (unsigned)rnd_below(100);
    if (r < 42)
        op_dma(true);
    else if (r < 74)
        op_dma(false);
    else if (r < 86)
        op_rate();
    else if (r < 88)
        op_filter();
    else if (r < 92)
        op_doorbell();
    else
        op_map_regs();
}
