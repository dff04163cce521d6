/*
 * ops_frame.c: Frame.map and Frame.unmap at addresses drawn from the
 * model, and touching mapped memory.
 *
 * Addresses mostly fall in a small hot part of the fuzz window (so maps
 * collide with earlier ones), sometimes on top of an existing mapping, and
 * sometimes outside the map window or misaligned. Every page the fuzzer
 * writes gets a tag in its first word, remembered per physical page of the
 * anchor: reading a mapped page must give the last tag written to that
 * physical page (0 after a retype from RAM, which the kernel zeroes). A
 * mapping that points at the wrong memory, or memory that another domain
 * or the kernel scribbled on, shows up as a wrong tag.
 */
#include "capfuzz.h"
#include <kpi/dispatcher.h>
#include <kpi/syscall.h>

#define HOT_BYTES (16ull << 20)

static bool is_frame(const struct mnode *m) { return m->type == CAP_FRAME; }
static bool is_mapped(const struct mnode *m) { return m->va != 0 && m->type == CAP_FRAME; }

static uint64_t pick_va(uint64_t bytes)
{
    unsigned r = (unsigned)rnd_below(100);
    if (r < 20) {
        int k = pick_full(is_mapped);
        if (k != NONE)          /* on top of (or next to) a mapping */
            return F.n[k].va + (rnd_below(F.n[k].bytes / 4096 + 2) - 1) * 4096;
    }
    if (r < 90 || bytes > HOT_BYTES) {
        uint64_t room = bytes < HOT_BYTES ? HOT_BYTES - bytes : 0;
        return FUZZ_VA_BASE + rnd_below(room / 4096 + 1) * 4096;
    }
    static const uint64_t bad[] = {
        0x400000, USER_MAP_BASE - 4096, USER_MAP_END, USER_MAP_END - 4096, FUZZ_VA_BASE + 8,
        FUZZ_VA_BASE + 2048, 0xffff800000000000ull, UINT64_MAX & ~4095ull,
    };
    return bad[rnd_below(sizeof bad / sizeof bad[0])];
}

static bool overlaps_mapping(uint64_t va, uint64_t bytes)
{
    for (int i = 0; i < N_NODES; i++) {
        const struct mnode *m = &F.n[i];
        uint64_t len = m->type == CAP_VNIC ? 16 * 1024 : m->bytes;
        if (m->va && va < m->va + len && m->va < va + bytes)
            return true;
    }
    return false;
}

static errval_t predict_map(const struct mnode *m, uint64_t va, uint64_t flags)
{
    if (!(m->rights & CAP_RIGHT_READ))
        return CAP_ERR_RIGHTS;              /* kernel/invoke.c: Frame.map needs read */
    if (flags & ~(uint64_t)(FRAME_MAP_WRITE | FRAME_MAP_EXEC))
        return SYS_ERR_ARG_RANGE;
    if (((flags & FRAME_MAP_WRITE) && !(m->rights & CAP_RIGHT_WRITE)) ||
        ((flags & FRAME_MAP_EXEC) && !(m->rights & CAP_RIGHT_EXECUTE)))
        return CAP_ERR_RIGHTS;
    if (va % 4096 || va < USER_MAP_BASE || va >= USER_MAP_END || m->bytes > USER_MAP_END - va)
        return MAP_ERR_RANGE;
    if (m->va)
        return MAP_ERR_ALREADY;
    if (F.maps >= F.map_cap)
        return MAP_ERR_TOO_MANY;
    if (overlaps_mapping(va, m->bytes))
        return MM_ERR_ALREADY_MAPPED;
    return ERR_OK;
}

/* Read one page of a mapped Frame, compare its tag, write a new one. */
static void touch(int n)
{
    const struct mnode *m = &F.n[n];
    uint64_t k = rnd_below(m->bytes / 4096), page = (m->base - F.anchor_base) / 4096 + k;
    if (m->base < F.anchor_base || page >= ANCHOR_PAGES) {
        mismatch("touch slot %d: Frame base %#lx is outside the anchor", n, m->base);
        return;
    }
    volatile uint64_t *w = (volatile uint64_t *)(uintptr_t)(m->va + k * 4096);
    uint64_t seen = *w;
    if (seen != F.tags[page])
        mismatch("touch slot %d page %lu (phys %#lx): read %#lx, last written %#lx", n, k,
                 m->base + k * 4096, seen, F.tags[page]);
    if (m->writable) {
        uint64_t tag = (rnd() << 12) | page | 1;
        *w = tag;
        F.tags[page] = tag;
    }
}

void op_map(void)
{
    int n = pick_full(is_frame);
    if (n == NONE) {
        op_retype();                        /* nothing to map yet: make something */
        return;
    }
    struct mnode *m = &F.n[n];
    uint64_t va = pick_va(m->bytes);
    uint64_t flags = chance(3) ? rnd() & ~3ull : rnd_below(4);
    errval_t want = predict_map(m, va, flags);
    errval_t got = invoke(node_cptr(n), FRAME_CMD_MAP, va, flags, 0, 0);
    if (err_no(got) == MM_ERR_OUT_OF_MEMORY && err_is_ok(want)) {
        F.oom++;                            /* page tables: not the model's to say */
        return;
    }
    expect_err("Frame.map", got, want);
    if (err_is_ok(got) && err_is_ok(want)) {
        m->va = va;
        m->writable = flags & FRAME_MAP_WRITE;
        F.maps++;
        touch(n);
    }
}

void op_unmap(void)
{
    int n = chance(75) ? pick_full(is_mapped) : NONE;
    if (n == NONE)
        n = pick_full(is_frame);
    if (n == NONE) {
        op_retype();
        return;
    }
    errval_t want = F.n[n].va ? ERR_OK : MAP_ERR_NOT_MAPPED;
    errval_t got = invoke(node_cptr(n), FRAME_CMD_UNMAP, 0, 0, 0, 0);
    expect_err("Frame.unmap", got, want);
    if (err_is_ok(got) && err_is_ok(want))
        model_unmapped(n);
}

void op_touch(void)
{
    int n = pick_full(is_mapped);
    if (n != NONE)
        touch(n);
}
