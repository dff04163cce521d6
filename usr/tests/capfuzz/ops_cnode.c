/*
 * ops_cnode.c: CNode.retype, copy, mint, delete, revoke and identify with
 * arguments drawn from the model, each answer predicted first.
 *
 * A prediction follows the order in which kernel/invoke_cnode.c and
 * kernel/cap/ check their arguments, because the first refusal is the one
 * returned; where the answer is success, the model is changed the way the
 * kernel changes its slots (retype children inserted in slot order, each
 * as its source's first child).
 */
#include "capfuzz.h"
#include <kpi/cspace.h>
#include <kpi/syscall.h>

#define T(type) (1u << (type))
/* kernel/cap/retype.c: what becomes what, and object sizes (restated here,
 * not shared: the model must not inherit a mistake in the kernel's tables). */
static const uint32_t targets[CAP_TYPE_COUNT] = {
    [CAP_RAM]   = T(CAP_RAM) | T(CAP_FRAME) | T(CAP_CNODE) | T(CAP_VNODE_PML4) |
                  T(CAP_VNODE_PDPT) | T(CAP_VNODE_PD) | T(CAP_VNODE_PT) |
                  T(CAP_DISPATCHER) | T(CAP_ENDPOINT),
    [CAP_FRAME] = T(CAP_FRAME),
    [CAP_DEVFRAME] = T(CAP_DEVFRAME),
};
static const struct { uint8_t min, max; bool clear; } sizes[CAP_TYPE_COUNT] = {
    [CAP_RAM] = { 12, 52, false },      [CAP_FRAME] = { 12, 52, true },
    [CAP_DEVFRAME] = { 12, 52, false }, [CAP_CNODE] = { 12, 30, true },
    [CAP_VNODE_PML4] = { 12, 12, true }, [CAP_VNODE_PDPT] = { 12, 12, true },
    [CAP_VNODE_PD] = { 12, 12, true },  [CAP_VNODE_PT] = { 12, 12, true },
    [CAP_DISPATCHER] = { 12, 12, true }, [CAP_ENDPOINT] = { 6, 6, true },
};
#define MAX_OBJBITS 40                  /* kernel/invoke_cnode.c */

static bool is_mem(const struct mnode *m) { return m->type == CAP_RAM || m->type == CAP_FRAME; }
static bool is_cnode(const struct mnode *m) { return m->type == CAP_CNODE; }

static unsigned log2_of(uint64_t v)
{
    unsigned b = 0;
    while (b < 63 && (1ull << (b + 1)) <= v)
        b++;
    return b;
}

/* The CNode capability to invoke: nearly always the root, sometimes a
 * read-only copy of it or a CNode retyped from RAM, whose rights the
 * kernel checks before any argument (kernel/invoke.c); sometimes a cptr
 * that names nothing. *pre is the refusal that comes first, or ERR_OK. */
static capaddr_t pick_cnode(uint8_t need, errval_t *pre)
{
    *pre = ERR_OK;
    unsigned r = (unsigned)rnd_below(100);
    if (r < 88)
        return node_cptr(N_ROOTCN);
    int c = r < 92 ? SLOT_ROOTRO : r < 97 ? pick_full(is_cnode) : NONE;
    if (c != NONE) {
        if ((F.n[c].rights & need) != need)
            *pre = CAP_ERR_RIGHTS;
        return node_cptr(c);
    }
    if (r < 98) {
        int e = pick_empty();
        if (e != NONE) {
            *pre = CAP_ERR_SLOT_EMPTY;
            return node_cptr(e);
        }
    }
    return pick_bad_cptr(pre);
}

/* A source slot: mostly one the model says holds `want`, else anything. */
static int pick_src(bool (*want)(const struct mnode *), capaddr_t *cptr, errval_t *lookup)
{
    *lookup = ERR_OK;
    if (chance(3)) {
        *cptr = pick_bad_cptr(lookup);
        return NONE;
    }
    int s = chance(93) ? pick_full(want) : NONE;
    if (s == NONE)
        s = pick_any();
    *cptr = node_cptr(s);
    return s;
}

/* A destination of `count` consecutive slots: mostly empty ones. */
static int pick_dest(uint64_t *count, capaddr_t *cptr, errval_t *lookup)
{
    *lookup = ERR_OK;
    if (chance(2)) {
        *cptr = pick_bad_cptr(lookup);
        return NONE;
    }
    int d;
    if (chance(2) && *count > 1 && *count <= CAP_L2_SLOTS) {
        d = CAP_L2_SLOTS - 1 - (int)rnd_below(*count - 1);   /* runs past the CNode's end */
    } else {
        d = chance(90) ? pick_empty() : NONE;
        if (d == NONE)
            d = (int)rnd_below(FUZZ_SLOTS);
        if (*count <= CAP_L2_SLOTS && d + *count > FUZZ_SLOTS)
            *count = FUZZ_SLOTS - (uint64_t)d;      /* keep off the fuzzer's own slots */
    }
    *cptr = CAP_SLOT(d);
    return d;
}

static uint64_t pick_type(const struct mnode *src)
{
    static const uint8_t from_ram[] = {
        CAP_RAM, CAP_RAM, CAP_FRAME, CAP_FRAME, CAP_FRAME, CAP_FRAME, CAP_CNODE, CAP_VNODE_PML4,
        CAP_VNODE_PDPT, CAP_VNODE_PD, CAP_VNODE_PT, CAP_DISPATCHER, CAP_ENDPOINT, CAP_ENDPOINT,
    };
    if (chance(5))
        return rnd_below(chance(50) ? CAP_TYPE_COUNT + 4 : 256);
    if (src && src->type == CAP_RAM)
        return from_ram[rnd_below(sizeof from_ram)];
    return CAP_FRAME;
}

/* Object size: mostly small (cheap to map), within the type's limits and
 * the source; sometimes anything. */
static unsigned pick_bits(uint64_t type, const struct mnode *src)
{
    if (chance(4) || type >= CAP_TYPE_COUNT || !sizes[type].max)
        return (unsigned)rnd_below(46);
    unsigned lo = sizes[type].min, hi = sizes[type].max;
    unsigned top = src && src->bytes ? log2_of(src->bytes) : lo;
    if (hi > top)
        hi = top < lo ? lo : top;
    unsigned span = hi - lo + 1;
    return lo + (unsigned)(chance(70) ? rnd_below(span < 4 ? span : 4) : rnd_below(span));
}

static uint64_t pick_offset(const struct mnode *src, unsigned bits, uint64_t count)
{
    uint64_t bytes = src ? src->bytes : 0, obj = bits < 64 ? 1ull << bits : 0;
    unsigned r = (unsigned)rnd_below(100);
    if (r < 85 && obj && bytes >= obj * count)      /* aligned, fits */
        return rnd_below((bytes - obj * count) / obj + 1) * obj / 4096;
    if (r < 95 && bytes)                            /* any page of the source */
        return rnd_below(bytes / 4096 + 1);
    return chance(50) ? (1ull << 36) + 1 + rnd_below(1000) : rnd_below(1ull << 30);
}

static errval_t predict_retype(int src, uint64_t type, unsigned bits, uint64_t off_pages,
                               uint64_t count, int dest)
{
    const struct mnode *s = &F.n[src];
    if (s->type == CAP_NULL)
        return CAP_ERR_SLOT_EMPTY;
    if (!targets[s->type])
        return CAP_ERR_WRONG_TYPE;
    if (type >= CAP_TYPE_COUNT || !(targets[s->type] & T(type)))
        return CAP_ERR_RETYPE_INVALID_TYPE;
    if (bits < sizes[type].min || bits > sizes[type].max)
        return CAP_ERR_RETYPE_SIZE;
    uint64_t obj = 1ull << bits, off = off_pages * 4096;
    if (off > s->bytes || count > (s->bytes - off) / obj)
        return CAP_ERR_RETYPE_FIT;
    if ((s->base + off) & (obj - 1))
        return CAP_ERR_RETYPE_MISALIGNED;
    if (type == s->type && obj == s->bytes)
        return CAP_ERR_RETYPE_WHOLE;
    if (model_range_in_use(src, s->base + off, count * obj))
        return CAP_ERR_RETYPE_OVERLAP;
    if (count > (uint64_t)(CAP_L2_SLOTS - dest))
        return err_push(CAP_ERR_SLOT_OUT_OF_RANGE, CAP_ERR_RETYPE_DEST);
    for (uint64_t i = 0; i < count; i++)
        if (node_full(dest + (int)i))
            return err_push(CAP_ERR_SLOT_NOT_EMPTY, CAP_ERR_RETYPE_DEST);
    return ERR_OK;
}

static void apply_retype(int src, uint64_t type, unsigned bits, uint64_t off_pages,
                         uint64_t count, int dest)
{
    const struct mnode *s = &F.n[src];
    uint64_t obj = 1ull << bits, base = s->base + off_pages * 4096;
    for (uint64_t i = 0; i < count; i++) {
        struct mnode c = { .type = (uint8_t)type, .rights = s->rights, .base = base + i * obj,
                           .bytes = obj };
        model_insert(src, dest + (int)i, &c);
    }
    if (s->type != CAP_RAM || !sizes[type].clear)
        return;
    for (uint64_t p = (base + 4095) & ~4095ull; p < base + count * obj; p += 4096)
        F.tags[(p - F.anchor_base) / 4096] = 0;     /* the kernel zeroes what it hands out */
}

void op_retype(void)
{
    errval_t pre, src_err, dest_err;
    capaddr_t cn = pick_cnode(CAP_RIGHT_WRITE, &pre), src_cptr, dest_cptr;
    int src = pick_src(is_mem, &src_cptr, &src_err);
    const struct mnode *s = src != NONE ? &F.n[src] : NULL;
    uint64_t type = pick_type(s);
    unsigned bits = pick_bits(type, s);
    uint64_t count = chance(70) ? 1 : chance(90) ? 2 + rnd_below(3) : rnd_below(300);
    int dest = pick_dest(&count, &dest_cptr, &dest_err);
    uint64_t off = pick_offset(s, bits, count);

    errval_t want = pre;
    if (err_is_ok(want))
        want = src_err;
    if (err_is_ok(want) && (bits > MAX_OBJBITS || off > (1ull << 36) || count == 0 ||
                            count > CAP_L2_SLOTS))
        want = SYS_ERR_ARG_RANGE;
    if (err_is_ok(want))
        want = dest_err;
    if (err_is_ok(want))
        want = predict_retype(src, type, bits, off, count, dest);
    errval_t got = invoke(cn, CNODE_CMD_RETYPE, src_cptr, type | (uint64_t)bits << 8 | off << 16,
                          count, dest_cptr);
    expect_err("retype", got, want);
    if (err_is_ok(got) && err_is_ok(want))
        apply_retype(src, type, bits, off, count, dest);
}

/* Task capabilities worth copying: they are not below the anchor and so
 * survive its revoke (the batch check deletes their copies). */
static int pick_task_cap(void)
{
    static const int caps[] = { N_SELFEP, N_DISP };
    if (F.vnic && chance(30))
        return SLOT_VNIC;
    return caps[rnd_below(2)];
}

void op_copy(bool mint)
{
    errval_t pre, src_err = ERR_OK, dest_err;
    capaddr_t cn = pick_cnode(CAP_RIGHT_WRITE, &pre), src_cptr, dest_cptr;
    int src;
    if (chance(6)) {
        src = pick_task_cap();
        src_cptr = node_cptr(src);
    } else {
        src = pick_src(NULL, &src_cptr, &src_err);
    }
    uint64_t one = 1;
    int dest = chance(4) ? N_RECV : pick_dest(&one, &dest_cptr, &dest_err);
    if (dest == N_RECV) {
        dest_cptr = node_cptr(N_RECV);
        dest_err = ERR_OK;
    }
    uint8_t have = src != NONE ? F.n[src].rights : 0;
    uint64_t rights = chance(70) ? have & rnd() : chance(85) ? rnd() & CAP_RIGHT_ALL : rnd() & 0xff;

    errval_t want = pre;
    if (err_is_ok(want))
        want = src_err;
    if (err_is_ok(want))
        want = dest_err;
    if (err_is_ok(want) && mint && (rights & ~(uint64_t)CAP_RIGHT_ALL))
        want = SYS_ERR_ARG_RANGE;
    if (err_is_ok(want) && !node_full(src))
        want = CAP_ERR_SLOT_EMPTY;
    if (err_is_ok(want) && node_full(dest))
        want = CAP_ERR_SLOT_NOT_EMPTY;
    if (err_is_ok(want) && mint && (rights & ~(uint64_t)have))
        want = CAP_ERR_RIGHTS;
    errval_t got = mint ? invoke(cn, CNODE_CMD_MINT, src_cptr, dest_cptr, rights, 0)
                        : invoke(cn, CNODE_CMD_COPY, src_cptr, dest_cptr, 0, 0);
    expect_err(mint ? "mint" : "copy", got, want);
    if (err_is_ok(got) && err_is_ok(want)) {
        struct mnode c = F.n[src];
        if (mint)
            c.rights = (uint8_t)rights;
        model_insert(src, dest, &c);
    }
}

/* The anchor's last capability stays: without it what was retyped from
 * it would hang below the domain's own RAM, which the fuzzer must not
 * revoke (see main.c). */
static bool deletable(const struct mnode *m)
{
    int a = model_anchor();
    return a == NONE || !(m == &F.n[a] && model_last_copy(a));
}

void op_delete(bool revoke)
{
    errval_t pre, lookup = ERR_OK;
    capaddr_t cn = pick_cnode(CAP_RIGHT_WRITE, &pre), cptr;
    unsigned r = (unsigned)rnd_below(100);
    int n = r < 85 ? pick_full(revoke ? NULL : deletable) : r < 97 ? pick_empty() : NONE;
    if (n == NONE && r < 99) {
        n = SLOT_ROOTCOPY;
    } else if (n == NONE) {
        cptr = pick_bad_cptr(&lookup);
    }
    if (n != NONE)
        cptr = node_cptr(n);
    errval_t want = pre;
    if (err_is_ok(want))
        want = lookup;
    if (err_is_ok(want) && F.n[n].type == CAP_CNODE && F.n[n].base == F.n[N_ROOTCN].base)
        want = CAP_ERR_WRONG_TYPE;              /* a domain keeps its own root */
    if (err_is_ok(want) && !node_full(n))
        want = CAP_ERR_SLOT_EMPTY;
    errval_t got = invoke(cn, revoke ? CNODE_CMD_REVOKE : CNODE_CMD_DELETE, cptr, 0, 0, 0);
    expect_err(revoke ? "revoke" : "delete", got, want);
    if (err_is_ok(got) && err_is_ok(want)) {
        if (revoke)
            model_revoke(n);
        else
            model_delete(n);
    }
}

/* A pointer identify may not write to: unmapped, kernel, or read-only. */
static uint64_t bad_pointer(void)
{
    for (int i = 0; i < FUZZ_SLOTS && chance(70); i++) {
        int k = (int)rnd_below(FUZZ_SLOTS);
        if (F.n[k].va && !F.n[k].writable && F.n[k].type == CAP_FRAME)
            return F.n[k].va + rnd_below(F.n[k].bytes / 8) * 8;
    }
    static const uint64_t bad[] = { 0, 0x1000, 0xffff800000000000ull, 0xffffffff80100000ull,
                                    FUZZ_VA_BASE - 8, 0x00007ffffffffff8ull };
    return bad[rnd_below(sizeof bad / sizeof bad[0])];
}

/* The node whose mapping covers `va`, or NONE. */
static int mapped_at(uint64_t va)
{
    for (int i = 0; i < N_NODES; i++) {
        uint64_t len = F.n[i].type == CAP_VNIC ? 16 * 1024 : F.n[i].bytes;
        if (F.n[i].va && va >= F.n[i].va && va < F.n[i].va + len)
            return i;
    }
    return NONE;
}

/* A pointer 8 bytes before the end of a writable mapping: the answer
 * (24 bytes) runs into the next page, which the kernel must check too.
 * *next is the node mapped there, or NONE; *ok whether it may be written. */
static uint64_t straddling_pointer(int *next, bool *ok)
{
    int k = NONE;
    for (int tries = 0; tries < 8 && k == NONE; tries++) {
        int c = (int)rnd_below(FUZZ_SLOTS);
        if (F.n[c].va && F.n[c].writable && F.n[c].type == CAP_FRAME)
            k = c;
    }
    if (k == NONE)
        return 0;
    uint64_t end = F.n[k].va + F.n[k].bytes;
    *next = mapped_at(end);
    if (*next != NONE && F.n[*next].type != CAP_FRAME)
        return 0;                       /* device registers: not a place to write to */
    *ok = *next != NONE && F.n[*next].writable;
    return end - 8;
}

void op_identify(void)
{
    errval_t pre, lookup = ERR_OK;
    capaddr_t cn = pick_cnode(CAP_RIGHT_READ, &pre), cptr;
    unsigned r = (unsigned)rnd_below(100);
    int n = r < 60 ? pick_any() : r < 90 ? pick_full(NULL) : r < 95 ? pick_task_cap() : NONE;
    if (n == NONE && r < 95)
        n = pick_any();
    if (n == NONE)
        cptr = pick_bad_cptr(&lookup);
    else
        cptr = node_cptr(n);
    struct cap_identity id = { 0 };
    bool good_ptr = chance(95);
    uint64_t ptr = good_ptr ? (uint64_t)(uintptr_t)&id : bad_pointer();
    int next = NONE;
    uint64_t across = chance(5) ? straddling_pointer(&next, &good_ptr) : 0;
    if (across)
        ptr = across;
    errval_t want = pre;
    if (err_is_ok(want))
        want = lookup;
    if (err_is_ok(want) && !node_full(n))
        want = CAP_ERR_SLOT_EMPTY;
    if (err_is_ok(want) && !good_ptr)
        want = SYS_ERR_BAD_USER_POINTER;
    errval_t got = invoke(cn, CNODE_CMD_IDENTIFY, cptr, ptr, 0, 0);
    expect_err("identify", got, want);
    if (err_is_ok(got) && across && next != NONE) {
        /* The answer's base landed on the next page's tag word. */
        const struct mnode *m = &F.n[next];
        uint64_t page = (m->base + (across + 8 - m->va) - F.anchor_base) / 4096;
        id.base = *(volatile uint64_t *)(uintptr_t)(across + 8);
        if (m->base >= F.anchor_base && page < ANCHOR_PAGES)
            F.tags[page] = id.base;
        id.type = (uint32_t)*(volatile uint64_t *)(uintptr_t)across;
        id.rights = (uint32_t)(*(volatile uint64_t *)(uintptr_t)across >> 32);
        id.bytes = *(volatile uint64_t *)(uintptr_t)(across + 16);
    }
    if (err_is_ok(got) && err_is_ok(want)) {
        const struct mnode *m = &F.n[n];
        if (id.type != m->type || id.rights != m->rights || id.base != m->base || id.bytes != m->bytes)
            mismatch("identify slot %d: %s rights %#x base %#lx bytes %#lx, model %s rights %#x "
                     "base %#lx bytes %#lx", n, cap_type_name(id.type), id.rights, id.base, id.bytes,
                     cap_type_name(m->type), m->rights, m->base, m->bytes);
    }
}
