/*
 * model.c: what the fuzzer believes its slots hold.
 *
 * A mirror of kernel/cap/mdb.c and delete.c over model nodes: insert makes
 * a node the first child of its parent; remove hands a copy's children to
 * its parent, and a family head's place and children to its first copy
 * child (or, with no copy, its children to its own parent); revoke deletes
 * leaves first. Mirroring the rules (not the code's memory) is the point:
 * when the kernel's slots stop following them, a prediction made here
 * fails and the fuzzer reports it.
 *
 * Removing a node also drops what hangs off its slot in the kernel: its
 * mapping (recorded as a probe: the batch check maps there again to prove
 * nothing stayed) and its VNIC DMA registration.
 */
#include "capfuzz.h"
#include <string.h>
#include <kpi/cspace.h>

capaddr_t node_cptr(int n)
{
    switch (n) {
    case N_RECV:    return CAP_TASK(TASKCN_SLOT_RECV);
    case N_TASKRAM: return CAP_TASK(TASKCN_SLOT_RAM);
    case N_SELFEP:  return CAP_TASK(TASKCN_SLOT_SELFEP);
    case N_DISP:    return CAP_TASK(TASKCN_SLOT_DISPATCHER);
    case N_ROOTCN:  return CAP_TASK(TASKCN_SLOT_ROOTCN);
    default:        return CAP_SLOT(n);
    }
}

bool node_full(int n)
{
    return n >= 0 && n < N_NODES && F.n[n].type != CAP_NULL;
}

static void clear(int n)
{
    F.n[n] = (struct mnode){ .parent = NONE, .first_child = NONE, .next = NONE, .prev = NONE };
}

void model_init(void)
{
    for (int i = 0; i < N_NODES; i++)
        clear(i);
}

bool model_same(int a, int b)
{
    const struct mnode *x = &F.n[a], *y = &F.n[b];
    return x->type == y->type && x->base == y->base && x->bytes == y->bytes && x->raw == y->raw;
}

static void link_child(int parent, int c)
{
    struct mnode *m = &F.n[c];
    m->parent = (int16_t)parent;
    m->prev = NONE;
    m->next = parent != NONE ? F.n[parent].first_child : NONE;
    if (m->next != NONE)
        F.n[m->next].prev = (int16_t)c;
    if (parent != NONE)
        F.n[parent].first_child = (int16_t)c;
}

static void unlink_child(int c)
{
    struct mnode *m = &F.n[c];
    if (m->prev != NONE)
        F.n[m->prev].next = m->next;
    else if (m->parent != NONE)
        F.n[m->parent].first_child = m->next;
    if (m->next != NONE)
        F.n[m->next].prev = m->prev;
    m->parent = m->next = m->prev = NONE;
}

static int first_copy_child(int c)
{
    for (int k = F.n[c].first_child; k != NONE; k = F.n[k].next)
        if (model_same(k, c))
            return k;
    return NONE;
}

void model_insert(int parent, int dest, const struct mnode *cap)
{
    F.n[dest] = *cap;
    F.n[dest].first_child = F.n[dest].next = F.n[dest].prev = NONE;
    F.n[dest].va = 0;
    F.n[dest].writable = false;
    link_child(parent, dest);
}

void model_unmapped(int n)
{
    struct mnode *m = &F.n[n];
    if (!m->va)
        return;
    unsigned i = F.nprobes < 64 ? F.nprobes++ : (unsigned)rnd_below(64);
    F.probes[i].va = m->va;
    F.probes[i].bytes = m->type == CAP_VNIC ? 16 * 1024 : m->bytes;
    m->va = 0;
    F.maps--;
}

/* What the kernel's removal hooks do for this slot (mapping.c, vnic.c). */
static void on_remove(int n)
{
    model_unmapped(n);
    if (F.n[n].type != CAP_FRAME)
        return;
    for (unsigned i = 0; i < F.ndma;)
        if (F.dma[i].frame == n)
            F.dma[i] = F.dma[--F.ndma];
        else
            i++;
}

static void model_remove(int n)
{
    on_remove(n);
    int parent = F.n[n].parent, heir;
    if (parent != NONE && model_same(n, parent)) {
        heir = parent;
    } else if ((heir = first_copy_child(n)) != NONE) {
        unlink_child(heir);
        link_child(parent, heir);
    } else {
        heir = parent;
    }
    for (int c; (c = F.n[n].first_child) != NONE;) {
        unlink_child(c);
        link_child(heir, c);
    }
    unlink_child(n);
    clear(n);
}

bool model_last_copy(int n)
{
    int parent = F.n[n].parent;
    return !(parent != NONE && model_same(n, parent)) && first_copy_child(n) == NONE;
}

/* Retyped CNodes can hold nothing (no cptr reaches their slots), so the
 * kernel's cascade over a dying CNode's contents has nothing to do here. */
void model_delete(int n)
{
    model_remove(n);
}

void model_revoke(int n)
{
    while (F.n[n].type != CAP_NULL && F.n[n].first_child != NONE) {
        int leaf = F.n[n].first_child;
        while (F.n[leaf].first_child != NONE)
            leaf = F.n[leaf].first_child;
        model_delete(leaf);
    }
}

int model_family_head(int n)
{
    while (F.n[n].parent != NONE && model_same(F.n[n].parent, n))
        n = F.n[n].parent;
    return n;
}

static int family_next(int head, int m)
{
    int k = first_copy_child(m);
    if (k != NONE)
        return k;
    for (; m != head; m = F.n[m].parent)
        for (k = F.n[m].next; k != NONE; k = F.n[k].next)
            if (model_same(k, head))
                return k;
    return NONE;
}

static bool overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return alen && blen && a < b + blen && b < a + alen;
}

bool model_range_in_use(int src, uint64_t base, uint64_t bytes)
{
    int head = model_family_head(src);
    for (int m = head; m != NONE; m = family_next(head, m))
        for (int k = F.n[m].first_child; k != NONE; k = F.n[k].next)
            if (!model_same(k, head) && overlap(F.n[k].base, F.n[k].bytes, base, bytes))
                return true;
    return false;
}

/* The node holding the anchor's family head: a RAM capability retyped
 * straight from the domain's RAM (the only such child the fuzzer makes). */
int model_anchor(void)
{
    for (int k = F.n[N_TASKRAM].first_child; k != NONE; k = F.n[k].next)
        if (F.n[k].type == CAP_RAM && F.n[k].base == F.anchor_base && F.n[k].bytes == ANCHOR_BYTES)
            return k;
    return NONE;
}
