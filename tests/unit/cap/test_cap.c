/*
 * test_cap.c: host unit tests of the capability system (kernel/cap).
 *
 * Each test starts from the same fixture: one core's database with a root
 * CNode of 256 slots (static storage, outside "RAM"), a RAM root cap in slot
 * 1 covering 1 MiB of fake physical memory (backed by fake_ram, so objects
 * that retype zeroes and CNodes made from RAM are real memory), and a
 * DevFrame root in slot 2 (not backed: device memory is never touched).
 * check_db() walks every reachable slot and checks the mdb invariants.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include <cap/cap.h>
#include <cap/mdb.h>
#include <kpi/syscall.h>

#define RAM_BASE    0x100000ull
#define RAM_BYTES   (1ull << 20)
#define DEV_BASE    0xfe000000ull
#define DEV_BYTES   (1ull << 20)
#define ROOT_PADDR  0x80000000ull
#define ROOT_SLOTS  256
#define PAGE        4096ull
#define RAM_SLOT    1
#define DEV_SLOT    2

static _Alignas(4096) uint8_t fake_ram[RAM_BYTES];

static struct {
    struct mdb mdb;
    struct cte rootcn;              /* holds the root CNode capability */
    struct cte slots[ROOT_SLOTS];   /* the root CNode's storage */
} fx;

static void *fake_kva(void *arg, uint64_t paddr, uint64_t bytes)
{
    if (paddr < RAM_BASE || bytes > RAM_BYTES || paddr - RAM_BASE > RAM_BYTES - bytes)
        return NULL;
    return fake_ram + (paddr - RAM_BASE);
}

static struct cte *S(unsigned i) { return &fx.slots[i]; }
static const struct capability *root(void) { return &fx.rootcn.cap; }

static int setup(void **state)
{
    memset(&fx, 0, sizeof(fx));
    memset(fake_ram, 0xa5, sizeof(fake_ram));
    mdb_init(&fx.mdb, 0, fake_kva, NULL);
    struct capability cn;
    cnode_init(fx.slots, ROOT_SLOTS, ROOT_PADDR, &cn);
    if (cap_create_root(&fx.mdb, &fx.rootcn, &cn) != ERR_OK)
        return -1;
    struct capability ram = { .type = CAP_RAM, .rights = CAP_RIGHT_ALL,
                              .base = RAM_BASE, .bytes = RAM_BYTES };
    struct capability dev = { .type = CAP_DEVFRAME, .rights = CAP_RIGHT_ALL,
                              .base = DEV_BASE, .bytes = DEV_BYTES };
    if (cap_create_root(&fx.mdb, S(RAM_SLOT), &ram) != ERR_OK ||
        cap_create_root(&fx.mdb, S(DEV_SLOT), &dev) != ERR_OK)
        return -1;
    return 0;
}

static errval_t retype_to(const struct capability *cn, struct cte *src, enum cap_type type,
                          uint64_t offset, uint64_t objbytes, uint32_t count, uint64_t dest)
{
    struct cap_retype_args a = { .type = type, .offset = offset, .objbytes = objbytes,
                                 .count = count, .dest_cnode = cn, .dest_slot = dest };
    return cap_retype(&fx.mdb, src, &a);
}

static errval_t retype(struct cte *src, enum cap_type type, uint64_t offset,
                       uint64_t objbytes, uint32_t count, uint64_t dest)
{
    return retype_to(root(), src, type, offset, objbytes, count, dest);
}

/* ---- database walk and invariants ------------------------------------- */

#define MAX_CTES 4096
/* A walk longer than the number of slots has met a cycle: fail, do not hang. */
#define WALK_GUARD(g) assert_true(++(g) < MAX_CTES)
static struct cte *all[MAX_CTES];
static size_t nall;

/* The preorder successor of n within the subtree of top, or NULL. */
static const struct cte *tree_next(const struct cte *top, const struct cte *n)
{
    if (n->mdb.first_child)
        return n->mdb.first_child;
    for (unsigned g = 0; n != top; n = n->mdb.parent) {
        WALK_GUARD(g);
        if (n->mdb.next_sibling)
            return n->mdb.next_sibling;
    }
    return NULL;
}

/* Every slot of every CNode this core has: the root CNode and all CNodes
 * retyped from RAM (found in the RAM root's subtree, which the tests never
 * delete, so CNodes that no slot reaches any more are counted too). */
static void collect(void)
{
    struct cte *stores[MAX_CTES / 64];
    uint64_t sizes[MAX_CTES / 64];
    size_t nst = 0;
    stores[nst] = fx.slots;
    sizes[nst++] = ROOT_SLOTS;
    unsigned g = 0;
    for (const struct cte *n = S(RAM_SLOT); n; n = tree_next(S(RAM_SLOT), n)) {
        WALK_GUARD(g);
        if (n->cap.type != CAP_CNODE)
            continue;
        bool seen = false;
        for (size_t k = 0; k < nst; k++)
            seen |= stores[k] == n->cap.u.cnode.slots;
        if (!seen) {
            assert_true(nst < MAX_CTES / 64);
            stores[nst] = n->cap.u.cnode.slots;
            sizes[nst++] = cnode_slot_count(&n->cap);
        }
    }
    nall = 0;
    all[nall++] = &fx.rootcn;
    for (size_t k = 0; k < nst; k++) {
        for (uint64_t i = 0; i < sizes[k]; i++) {
            assert_true(nall < MAX_CTES);
            all[nall++] = &stores[k][i];
        }
    }
}

static bool inside(const struct capability *in, const struct capability *out)
{
    return in->base >= out->base && in->bytes <= out->bytes &&
           in->base - out->base <= out->bytes - in->bytes;
}

/* Links of one slot agree with its parent's and children's links. */
static void check_links(const struct cte *s)
{
    if (s->cap.type == CAP_NULL) {
        assert_null(s->mdb.parent);
        assert_null(s->mdb.first_child);
        assert_null(s->mdb.next_sibling);
        assert_null(s->mdb.prev_sibling);
        return;
    }
    const struct cte *p = s->mdb.parent;
    if (p) {
        assert_int_not_equal(p->cap.type, CAP_NULL);
        bool found = false;
        unsigned g = 0;
        for (const struct cte *k = p->mdb.first_child; k; k = k->mdb.next_sibling) {
            WALK_GUARD(g);
            found |= k == s;
        }
        assert_true(found);
        /* I1: a copy, or inside the parent's memory. */
        assert_true(cap_same_object(&s->cap, &p->cap) || inside(&s->cap, &p->cap));
    } else {
        assert_null(s->mdb.prev_sibling);
        assert_null(s->mdb.next_sibling);
    }
    if (s->mdb.prev_sibling)
        assert_ptr_equal(s->mdb.prev_sibling->mdb.next_sibling, s);
    else if (p)
        assert_ptr_equal(p->mdb.first_child, s);
    unsigned g = 0;
    for (const struct cte *k = s->mdb.first_child; k; k = k->mdb.next_sibling) {
        WALK_GUARD(g);
        assert_ptr_equal(k->mdb.parent, s);
    }
}

/* Is b, or one of b's ancestors, a copy of a? */
static bool derived_from(const struct cte *a, const struct cte *b)
{
    for (unsigned g = 0; b; b = b->mdb.parent) {
        WALK_GUARD(g);
        if (cap_same_object(&a->cap, &b->cap))
            return true;
    }
    return false;
}

static bool overlap(const struct capability *a, const struct capability *b)
{
    return a->bytes && b->bytes && a->base < b->base + b->bytes && b->base < a->base + a->bytes;
}

static void check_db(bool pairs)
{
    collect();
    uint64_t live = 0;
    for (size_t i = 0; i < nall; i++) {
        check_links(all[i]);
        live += all[i]->cap.type != CAP_NULL;
    }
    assert_int_equal(live, fx.mdb.live);
    if (!pairs)
        return;
    /* No memory handed out twice: overlapping objects are related. */
    for (size_t i = 0; i < nall; i++) {
        for (size_t j = i + 1; j < nall; j++) {
            const struct cte *a = all[i], *b = all[j];
            if (a->cap.type == CAP_NULL || b->cap.type == CAP_NULL || !overlap(&a->cap, &b->cap))
                continue;
            if (!derived_from(a, b) && !derived_from(b, a))
                fail_msg("unrelated %s [%#lx+%#lx] and %s [%#lx+%#lx] overlap",
                         cap_type_name(a->cap.type), (unsigned long)a->cap.base,
                         (unsigned long)a->cap.bytes, cap_type_name(b->cap.type),
                         (unsigned long)b->cap.base, (unsigned long)b->cap.bytes);
        }
    }
}

static size_t children(const struct cte *s)
{
    size_t n = 0;
    for (const struct cte *k = s->mdb.first_child; k; k = k->mdb.next_sibling)
        assert_true(++n < MAX_CTES);
    return n;
}

/* ---- retype ------------------------------------------------------------ */

/* Does a retype fill consecutive slots with zeroed, aligned child objects? */
static void test_retype_makes_children(void **state)
{
    assert_int_equal(retype(S(RAM_SLOT), CAP_FRAME, 2 * PAGE, PAGE, 3, 10), ERR_OK);
    for (unsigned i = 0; i < 3; i++) {
        assert_int_equal(S(10 + i)->cap.type, CAP_FRAME);
        assert_int_equal(S(10 + i)->cap.base, RAM_BASE + (2 + i) * PAGE);
        assert_int_equal(S(10 + i)->cap.bytes, PAGE);
        assert_ptr_equal(S(10 + i)->mdb.parent, S(RAM_SLOT));
    }
    assert_int_equal(children(S(RAM_SLOT)), 3);
    assert_int_equal(fake_ram[2 * PAGE], 0);
    assert_int_equal(fake_ram[5 * PAGE - 1], 0);
    assert_int_equal(fake_ram[5 * PAGE], 0xa5);     /* past the objects: untouched */
    assert_int_equal(fx.mdb.live, 6);
    check_db(true);
}

/* Is a retype overlapping an earlier one from the same RAM refused? */
static void test_retype_overlap_refused(void **state)
{
    assert_int_equal(retype(S(RAM_SLOT), CAP_FRAME, 0, 2 * PAGE, 1, 10), ERR_OK);
    assert_int_equal(retype(S(RAM_SLOT), CAP_RAM, PAGE, PAGE, 1, 11), CAP_ERR_RETYPE_OVERLAP);
    assert_int_equal(retype(S(RAM_SLOT), CAP_RAM, 0, 4 * PAGE, 1, 11), CAP_ERR_RETYPE_OVERLAP);
    assert_int_equal(S(11)->cap.type, CAP_NULL);
    assert_int_equal(retype(S(RAM_SLOT), CAP_RAM, 2 * PAGE, 2 * PAGE, 1, 11), ERR_OK);
    check_db(true);
}

/* Is retyping the same range twice refused, also through a copy or a parent? */
static void test_retype_twice_refused(void **state)
{
    assert_int_equal(cap_copy(&fx.mdb, S(RAM_SLOT), S(3)), ERR_OK);
    assert_int_equal(cap_copy(&fx.mdb, S(RAM_SLOT), S(4)), ERR_OK);
    assert_int_equal(retype(S(3), CAP_RAM, 0, 16 * PAGE, 1, 10), ERR_OK);
    assert_int_equal(retype(S(3), CAP_RAM, 0, 16 * PAGE, 1, 11), CAP_ERR_RETYPE_OVERLAP);
    assert_int_equal(retype(S(4), CAP_RAM, 0, 16 * PAGE, 1, 11), CAP_ERR_RETYPE_OVERLAP);
    assert_int_equal(retype(S(RAM_SLOT), CAP_FRAME, 0, PAGE, 1, 11), CAP_ERR_RETYPE_OVERLAP);
    /* the retyped child itself may be split further */
    assert_int_equal(retype(S(10), CAP_FRAME, 0, PAGE, 1, 11), ERR_OK);
    assert_int_equal(retype(S(10), CAP_FRAME, 0, PAGE, 1, 12), CAP_ERR_RETYPE_OVERLAP);
    check_db(true);
}

/* Is an object base that is not aligned to the object size refused? */
static void test_retype_misaligned_refused(void **state)
{
    assert_int_equal(retype(S(RAM_SLOT), CAP_FRAME, PAGE, 2 * PAGE, 1, 10),
                     CAP_ERR_RETYPE_MISALIGNED);
    assert_int_equal(retype(S(RAM_SLOT), CAP_ENDPOINT, 32, 64, 1, 10),
                     CAP_ERR_RETYPE_MISALIGNED);
    assert_int_equal(fx.mdb.live, 3);
}

/* Are sizes that are not powers of two, or outside the type's limits, refused? */
static void test_retype_bad_size_refused(void **state)
{
    assert_int_equal(retype(S(RAM_SLOT), CAP_FRAME, 0, 3 * PAGE, 1, 10), CAP_ERR_RETYPE_SIZE);
    assert_int_equal(retype(S(RAM_SLOT), CAP_FRAME, 0, 2048, 1, 10), CAP_ERR_RETYPE_SIZE);
    assert_int_equal(retype(S(RAM_SLOT), CAP_FRAME, 0, 0, 1, 10), CAP_ERR_RETYPE_SIZE);
    assert_int_equal(retype(S(RAM_SLOT), CAP_VNODE_PT, 0, 2 * PAGE, 1, 10), CAP_ERR_RETYPE_SIZE);
    assert_int_equal(retype(S(RAM_SLOT), CAP_ENDPOINT, 0, 128, 1, 10), CAP_ERR_RETYPE_SIZE);
    assert_int_equal(retype(S(RAM_SLOT), CAP_FRAME, 0, PAGE, 0, 10), CAP_ERR_RETYPE_COUNT);
    assert_int_equal(retype(S(RAM_SLOT), CAP_FRAME, 0, 2 * RAM_BYTES, 1, 10), CAP_ERR_RETYPE_FIT);
    assert_int_equal(retype(S(RAM_SLOT), CAP_FRAME, RAM_BYTES - PAGE, PAGE, 2, 10),
                     CAP_ERR_RETYPE_FIT);
    assert_int_equal(retype(S(RAM_SLOT), CAP_FRAME, RAM_BYTES + PAGE, PAGE, 1, 10),
                     CAP_ERR_RETYPE_FIT);
    assert_int_equal(retype(S(RAM_SLOT), CAP_FRAME, 0, PAGE, UINT32_MAX, 10), CAP_ERR_RETYPE_FIT);
    assert_int_equal(retype(S(RAM_SLOT), CAP_RAM, 0, RAM_BYTES, 1, 10), CAP_ERR_RETYPE_WHOLE);
    assert_int_equal(retype(S(RAM_SLOT), CAP_FRAME, 0, RAM_BYTES, 1, 10), ERR_OK);
    assert_int_equal(fx.mdb.live, 4);
}

/* Does a retype into a full slot fail and leave every slot and byte as it was? */
static void test_retype_into_full_slot_changes_nothing(void **state)
{
    assert_int_equal(cap_copy(&fx.mdb, S(DEV_SLOT), S(12)), ERR_OK);
    static struct cte before[ROOT_SLOTS];
    memcpy(before, fx.slots, sizeof(before));
    struct mdb mdb_before = fx.mdb;

    errval_t err = retype(S(RAM_SLOT), CAP_FRAME, 0, PAGE, 4, 10);
    assert_int_equal(err_no(err), CAP_ERR_RETYPE_DEST);
    assert_int_equal(err_no(err_pop(err)), CAP_ERR_SLOT_NOT_EMPTY);
    assert_memory_equal(before, fx.slots, sizeof(before));
    assert_memory_equal(&mdb_before, &fx.mdb, sizeof(mdb_before));
    assert_int_equal(fake_ram[0], 0xa5);
}

/* Are destination slots past the end of the CNode refused? */
static void test_retype_dest_out_of_range(void **state)
{
    errval_t err = retype(S(RAM_SLOT), CAP_FRAME, 0, PAGE, 4, ROOT_SLOTS - 2);
    assert_int_equal(err_no(err), CAP_ERR_RETYPE_DEST);
    assert_int_equal(err_no(err_pop(err)), CAP_ERR_SLOT_OUT_OF_RANGE);
    err = retype(S(RAM_SLOT), CAP_FRAME, 0, PAGE, 1, ROOT_SLOTS);
    assert_int_equal(err_no(err_pop(err)), CAP_ERR_SLOT_OUT_OF_RANGE);
    err = retype_to(&S(DEV_SLOT)->cap, S(RAM_SLOT), CAP_FRAME, 0, PAGE, 1, 0);
    assert_int_equal(err_no(err_pop(err)), CAP_ERR_WRONG_TYPE);
    assert_int_equal(fx.mdb.live, 3);
}

/* Can device memory never become RAM or a Frame, nor RAM a DevFrame? */
static void test_devframe_never_ram_or_frame(void **state)
{
    assert_int_equal(retype(S(DEV_SLOT), CAP_RAM, 0, PAGE, 1, 10), CAP_ERR_RETYPE_INVALID_TYPE);
    assert_int_equal(retype(S(DEV_SLOT), CAP_FRAME, 0, PAGE, 1, 10), CAP_ERR_RETYPE_INVALID_TYPE);
    assert_int_equal(retype(S(DEV_SLOT), CAP_CNODE, 0, PAGE, 1, 10), CAP_ERR_RETYPE_INVALID_TYPE);
    assert_int_equal(retype(S(RAM_SLOT), CAP_DEVFRAME, 0, PAGE, 1, 10),
                     CAP_ERR_RETYPE_INVALID_TYPE);
    assert_int_equal(retype(S(DEV_SLOT), CAP_DEVFRAME, PAGE, PAGE, 2, 10), ERR_OK);
    assert_int_equal(retype(S(10), CAP_FRAME, 0, PAGE, 1, 12), CAP_ERR_RETYPE_INVALID_TYPE);
    assert_int_equal(S(10)->cap.type, CAP_DEVFRAME);
    assert_int_equal(S(11)->cap.base, DEV_BASE + 2 * PAGE);
    assert_int_equal(fx.mdb.live, 5);
}

/* Is retype from a capability that is not memory refused, and a reserved type? */
static void test_retype_wrong_source_type(void **state)
{
    assert_int_equal(retype(S(RAM_SLOT), CAP_ENDPOINT, 0, 64, 1, 10), ERR_OK);
    assert_int_equal(retype(S(10), CAP_ENDPOINT, 0, 64, 1, 11), CAP_ERR_WRONG_TYPE);
    assert_int_equal(retype(S(RAM_SLOT), CAP_VNIC, 0, PAGE, 1, 11), CAP_ERR_RETYPE_INVALID_TYPE);
    assert_int_equal(retype(S(RAM_SLOT), (enum cap_type)99, 0, PAGE, 1, 11),
                     CAP_ERR_RETYPE_INVALID_TYPE);
    assert_int_equal(retype(S(20), CAP_FRAME, 0, PAGE, 1, 11), CAP_ERR_SLOT_EMPTY);
}

/* Is RAM that the kernel cannot reach refused for objects it must clear? */
static void test_retype_unmapped_refused(void **state)
{
    struct capability far = { .type = CAP_RAM, .rights = CAP_RIGHT_ALL,
                              .base = 0x40000000, .bytes = 1 << 20 };
    assert_int_equal(cap_create_root(&fx.mdb, S(5), &far), ERR_OK);
    assert_int_equal(retype(S(5), CAP_FRAME, 0, PAGE, 1, 10), CAP_ERR_RETYPE_NO_MAPPING);
    assert_int_equal(retype(S(5), CAP_RAM, 0, PAGE, 1, 10), ERR_OK);   /* not cleared */
    assert_int_equal(cap_create_root(&fx.mdb, S(5), &far), CAP_ERR_SLOT_NOT_EMPTY);
}

/* ---- revoke and delete --------------------------------------------------- */

/* A tree under RAM: 10 RAM 64K -> 11,12 Frames -> 13 copy, 14 mint of 11;
 * 15 copy of 10 -> 16 Frame retyped through the copy. */
static void build_tree(void)
{
    assert_int_equal(retype(S(RAM_SLOT), CAP_RAM, 0, 16 * PAGE, 1, 10), ERR_OK);
    assert_int_equal(retype(S(10), CAP_FRAME, 0, PAGE, 2, 11), ERR_OK);
    assert_int_equal(cap_copy(&fx.mdb, S(11), S(13)), ERR_OK);
    assert_int_equal(cap_mint(&fx.mdb, S(13), S(14), CAP_RIGHT_READ), ERR_OK);
    assert_int_equal(cap_copy(&fx.mdb, S(10), S(15)), ERR_OK);
    assert_int_equal(retype(S(15), CAP_FRAME, 8 * PAGE, 8 * PAGE, 1, 16), ERR_OK);
    assert_int_equal(fx.mdb.live, 10);
    check_db(true);
}

/* Does revoke delete every descendant, at every depth, and keep the cap? */
static void test_revoke_deletes_all_descendants(void **state)
{
    build_tree();
    assert_int_equal(cap_revoke(&fx.mdb, S(RAM_SLOT)), ERR_OK);
    for (unsigned i = 10; i <= 16; i++)
        assert_int_equal(S(i)->cap.type, CAP_NULL);
    assert_int_equal(S(RAM_SLOT)->cap.type, CAP_RAM);
    assert_int_equal(S(RAM_SLOT)->cap.bytes, RAM_BYTES);
    assert_null(S(RAM_SLOT)->mdb.first_child);
    assert_int_equal(fx.mdb.live, 3);
    check_db(true);
    /* the memory is free again */
    assert_int_equal(retype(S(RAM_SLOT), CAP_FRAME, 0, RAM_BYTES, 1, 10), ERR_OK);
}

/* Does revoking a middle node keep its parent and its unrelated siblings? */
static void test_revoke_middle(void **state)
{
    build_tree();
    assert_int_equal(cap_revoke(&fx.mdb, S(11)), ERR_OK);
    assert_int_equal(S(11)->cap.type, CAP_FRAME);
    assert_int_equal(S(13)->cap.type, CAP_NULL);
    assert_int_equal(S(14)->cap.type, CAP_NULL);
    assert_int_equal(S(12)->cap.type, CAP_FRAME);
    assert_int_equal(S(16)->cap.type, CAP_FRAME);
    assert_int_equal(fx.mdb.live, 8);
    check_db(true);
    assert_int_equal(cap_revoke(&fx.mdb, S(20)), CAP_ERR_SLOT_EMPTY);
}

/* After deleting a middle node, are its children still found and protected? */
static void test_delete_middle_keeps_db_consistent(void **state)
{
    build_tree();
    assert_int_equal(cap_delete(&fx.mdb, S(13)), ERR_OK);      /* copy with a child */
    assert_ptr_equal(S(14)->mdb.parent, S(11));
    assert_int_equal(cap_delete(&fx.mdb, S(10)), ERR_OK);      /* head with a copy */
    assert_ptr_equal(S(15)->mdb.parent, S(RAM_SLOT));          /* the copy took its place */
    assert_ptr_equal(S(11)->mdb.parent, S(15));
    assert_ptr_equal(S(16)->mdb.parent, S(15));
    check_db(true);
    /* the range is still handed out (through 15) */
    assert_int_equal(retype(S(RAM_SLOT), CAP_FRAME, 0, PAGE, 1, 20), CAP_ERR_RETYPE_OVERLAP);
    assert_int_equal(cap_delete(&fx.mdb, S(15)), ERR_OK);      /* last copy: kids move up */
    assert_ptr_equal(S(11)->mdb.parent, S(RAM_SLOT));
    assert_ptr_equal(S(16)->mdb.parent, S(RAM_SLOT));
    check_db(true);
    assert_int_equal(retype(S(RAM_SLOT), CAP_FRAME, 0, PAGE, 1, 20), CAP_ERR_RETYPE_OVERLAP);
    assert_int_equal(retype(S(RAM_SLOT), CAP_FRAME, 2 * PAGE, PAGE, 1, 20), ERR_OK);
    assert_int_equal(cap_revoke(&fx.mdb, S(RAM_SLOT)), ERR_OK);
    assert_int_equal(fx.mdb.live, 3);
    check_db(true);
    assert_int_equal(cap_delete(&fx.mdb, S(10)), CAP_ERR_SLOT_EMPTY);
}

/* Does deleting the last cap to a CNode delete what it holds, nested too? */
static void test_delete_last_cnode_cap_empties_it(void **state)
{
    assert_int_equal(retype(S(RAM_SLOT), CAP_CNODE, 0, PAGE, 2, 20), ERR_OK);
    const struct capability *k1 = &S(20)->cap, *k2 = &S(21)->cap;
    assert_int_equal(cnode_slot_count(k1), 64);
    assert_int_equal(retype_to(k1, S(RAM_SLOT), CAP_FRAME, 4 * PAGE, PAGE, 2, 5), ERR_OK);
    struct cte *in1;
    assert_int_equal(cnode_slot(k1, 7, &in1), ERR_OK);
    assert_int_equal(cap_copy(&fx.mdb, S(21), in1), ERR_OK);  /* k2 inside k1 */
    assert_int_equal(cap_delete(&fx.mdb, S(21)), ERR_OK);     /* not the last k2 cap */
    assert_int_equal(retype_to(&in1->cap, S(RAM_SLOT), CAP_ENDPOINT, 8 * PAGE, 64, 3, 0), ERR_OK);
    assert_int_equal(cap_copy(&fx.mdb, S(20), S(22)), ERR_OK);
    assert_int_equal(fx.mdb.live, 11);
    check_db(true);

    assert_int_equal(cap_delete(&fx.mdb, S(20)), ERR_OK);     /* a copy remains */
    assert_int_equal(fx.mdb.live, 10);
    assert_int_equal(cap_delete(&fx.mdb, S(22)), ERR_OK);     /* last: k1, k2 and contents go */
    assert_int_equal(fx.mdb.live, 3);
    assert_null(S(RAM_SLOT)->mdb.first_child);
    check_db(true);
    (void)k2;
}

/* Is a cap whose only home is a CNode it owns deleted along with that CNode? */
static void test_delete_cnode_holding_its_parent(void **state)
{
    assert_int_equal(retype(S(RAM_SLOT), CAP_RAM, 0, 16 * PAGE, 1, 10), ERR_OK);
    assert_int_equal(retype(S(10), CAP_CNODE, 0, PAGE, 1, 11), ERR_OK);
    struct cte *x;
    assert_int_equal(cnode_slot(&S(11)->cap, 0, &x), ERR_OK);
    assert_int_equal(cap_copy(&fx.mdb, S(10), x), ERR_OK);
    assert_int_equal(cap_delete(&fx.mdb, S(10)), ERR_OK);  /* x heads the family, owns 11 */
    assert_ptr_equal(S(11)->mdb.parent, x);
    assert_int_equal(cap_delete(&fx.mdb, S(11)), ERR_OK);  /* x is now reachable from nowhere */
    assert_int_equal(fx.mdb.live, 3);
    check_db(true);
    assert_int_equal(retype(S(RAM_SLOT), CAP_RAM, 0, 16 * PAGE, 1, 10), ERR_OK);
}

/* Does revoke stop cleanly when a descendant CNode holds the revoked cap? */
static void test_revoke_root_inside_descendant(void **state)
{
    assert_int_equal(retype(S(RAM_SLOT), CAP_RAM, 0, 16 * PAGE, 1, 10), ERR_OK);
    assert_int_equal(retype(S(10), CAP_CNODE, 0, PAGE, 1, 11), ERR_OK);
    struct cte *x;
    assert_int_equal(cnode_slot(&S(11)->cap, 0, &x), ERR_OK);
    assert_int_equal(cap_copy(&fx.mdb, S(10), x), ERR_OK);
    assert_int_equal(cap_delete(&fx.mdb, S(10)), ERR_OK);
    assert_int_equal(cap_copy(&fx.mdb, S(11), S(12)), ERR_OK);
    assert_int_equal(cap_delete(&fx.mdb, S(11)), ERR_OK);   /* 12 keeps the CNode alive */
    assert_int_equal(cap_revoke(&fx.mdb, x), ERR_OK);       /* deletes 12, whose CNode holds x */
    assert_int_equal(x->cap.type, CAP_NULL);
    assert_int_equal(S(12)->cap.type, CAP_NULL);
    assert_int_equal(fx.mdb.live, 3);
    check_db(true);
}

/* ---- copy and mint ------------------------------------------------------- */

/* Is a mint that would add a right refused, leaving the slot empty? */
static void test_mint_cannot_add_rights(void **state)
{
    assert_int_equal(cap_mint(&fx.mdb, S(RAM_SLOT), S(3), CAP_RIGHT_READ), ERR_OK);
    assert_int_equal(cap_mint(&fx.mdb, S(3), S(4), CAP_RIGHT_READ | CAP_RIGHT_WRITE),
                     CAP_ERR_RIGHTS);
    assert_int_equal(cap_mint(&fx.mdb, S(3), S(4), 0x80), CAP_ERR_RIGHTS);
    assert_int_equal(S(4)->cap.type, CAP_NULL);
    assert_int_equal(fx.mdb.live, 4);
}

/* Does a mint drop rights, and do objects retyped from it keep that? */
static void test_mint_drops_rights(void **state)
{
    assert_int_equal(cap_mint(&fx.mdb, S(RAM_SLOT), S(3), CAP_RIGHT_READ | CAP_RIGHT_GRANT),
                     ERR_OK);
    assert_int_equal(S(3)->cap.rights, CAP_RIGHT_READ | CAP_RIGHT_GRANT);
    assert_ptr_equal(S(3)->mdb.parent, S(RAM_SLOT));
    assert_int_equal(cap_mint(&fx.mdb, S(3), S(4), CAP_RIGHT_READ), ERR_OK);
    assert_int_equal(S(4)->cap.rights, CAP_RIGHT_READ);
    assert_int_equal(retype(S(4), CAP_FRAME, 0, PAGE, 1, 10), ERR_OK);
    assert_int_equal(S(10)->cap.rights, CAP_RIGHT_READ);
    assert_int_equal(S(RAM_SLOT)->cap.rights, CAP_RIGHT_ALL);
    check_db(true);
}

/* Is a copy into a full slot, or from an empty one, refused? */
static void test_copy_refusals(void **state)
{
    assert_int_equal(cap_copy(&fx.mdb, S(RAM_SLOT), S(DEV_SLOT)), CAP_ERR_SLOT_NOT_EMPTY);
    assert_int_equal(cap_copy(&fx.mdb, S(RAM_SLOT), S(RAM_SLOT)), CAP_ERR_SLOT_NOT_EMPTY);
    assert_int_equal(cap_copy(&fx.mdb, S(30), S(31)), CAP_ERR_SLOT_EMPTY);
    assert_int_equal(S(DEV_SLOT)->cap.type, CAP_DEVFRAME);
    assert_int_equal(fx.mdb.live, 3);
    assert_int_equal(cap_copy(&fx.mdb, S(DEV_SLOT), S(31)), ERR_OK);
    assert_true(cap_same_object(&S(31)->cap, &S(DEV_SLOT)->cap));
}

/* ---- provenance, lent capabilities, moves, pins ------------------------- */

/* Do retype, copy and mint keep the provenance flags (a holder cannot
 * shed "imported" by deriving something from it)? */
static void test_flags_survive_retype_copy_mint(void **state)
{
    assert_int_equal(retype(S(RAM_SLOT), CAP_FRAME, 0, 4 * PAGE, 1, 3), ERR_OK);
    S(3)->cap._reserved[CAP_FLAGS] = 0x80;      /* a flag that allows derivation */
    assert_int_equal(retype(S(3), CAP_FRAME, 0, PAGE, 2, 4), ERR_OK);
    assert_int_equal(S(4)->cap._reserved[CAP_FLAGS], 0x80);
    assert_int_equal(S(5)->cap._reserved[CAP_FLAGS], 0x80);
    assert_int_equal(cap_copy(&fx.mdb, S(4), S(6)), ERR_OK);
    assert_int_equal(cap_mint(&fx.mdb, S(4), S(7), CAP_RIGHT_READ), ERR_OK);
    assert_int_equal(S(6)->cap._reserved[CAP_FLAGS], 0x80);
    assert_int_equal(S(7)->cap._reserved[CAP_FLAGS], 0x80);
    check_db(true);
}

/* Is a capability lent by another core never copied, minted or retyped,
 * so that one delete takes it back whole? */
static void test_imported_is_the_only_one(void **state)
{
    struct capability lent = { .type = CAP_FRAME, .rights = CAP_RIGHT_ALL,
                               .base = 0x40000000, .bytes = 4 * PAGE };
    lent._reserved[CAP_FLAGS] = CAP_FLAG_IMPORTED;
    assert_int_equal(cap_create_root(&fx.mdb, S(3), &lent), ERR_OK);
    uint64_t live = fx.mdb.live;
    assert_int_equal(cap_copy(&fx.mdb, S(3), S(4)), CAP_ERR_IMPORTED);
    assert_int_equal(cap_mint(&fx.mdb, S(3), S(4), CAP_RIGHT_READ), CAP_ERR_IMPORTED);
    assert_int_equal(retype(S(3), CAP_FRAME, 0, PAGE, 1, 4), CAP_ERR_IMPORTED);
    assert_int_equal(S(4)->cap.type, CAP_NULL);
    assert_int_equal(fx.mdb.live, live);
    assert_int_equal(cap_delete(&fx.mdb, S(3)), ERR_OK);
    assert_int_equal(fx.mdb.live, live - 1);
    check_db(true);
}

/* Does a move keep the capability's place in the tree (revoking its
 * parent still reaches it; its children follow it)? */
static void test_move_keeps_place(void **state)
{
    assert_int_equal(retype(S(RAM_SLOT), CAP_FRAME, 0, 4 * PAGE, 1, 3), ERR_OK);
    assert_int_equal(cap_copy(&fx.mdb, S(3), S(4)), ERR_OK);
    assert_int_equal(cap_copy(&fx.mdb, S(4), S(5)), ERR_OK);
    uint64_t live = fx.mdb.live;
    assert_int_equal(cap_move(&fx.mdb, S(4), S(DEV_SLOT)), CAP_ERR_SLOT_NOT_EMPTY);
    assert_int_equal(cap_move(&fx.mdb, S(30), S(31)), CAP_ERR_SLOT_EMPTY);
    assert_int_equal(cap_move(&fx.mdb, S(4), S(20)), ERR_OK);
    assert_int_equal(S(4)->cap.type, CAP_NULL);
    assert_ptr_equal(S(20)->mdb.parent, S(3));
    assert_ptr_equal(S(5)->mdb.parent, S(20));
    assert_int_equal(fx.mdb.live, live);
    check_db(true);
    assert_int_equal(cap_revoke(&fx.mdb, S(RAM_SLOT)), ERR_OK);
    assert_int_equal(S(20)->cap.type, CAP_NULL);
    assert_int_equal(S(5)->cap.type, CAP_NULL);
    check_db(true);
}

static uint64_t pin_base, pin_bytes;
static bool pinned_here(uint64_t base, uint64_t bytes)
{
    return bytes && pin_bytes && base < pin_base + pin_bytes && pin_base < base + bytes;
}

/* Is memory lent to another core, whose revoke is in flight, kept from
 * becoming anything new, and free again once the pin goes? */
static void test_pinned_memory_not_retyped(void **state)
{
    fx.mdb.pinned = pinned_here;
    pin_base = RAM_BASE + 8 * PAGE;
    pin_bytes = PAGE;
    assert_int_equal(retype(S(RAM_SLOT), CAP_CNODE, 8 * PAGE, PAGE, 1, 3), CAP_ERR_RETYPE_PINNED);
    assert_int_equal(retype(S(RAM_SLOT), CAP_FRAME, 0, 16 * PAGE, 1, 3), CAP_ERR_RETYPE_PINNED);
    assert_int_equal(S(3)->cap.type, CAP_NULL);
    assert_int_equal(retype(S(RAM_SLOT), CAP_FRAME, 0, 8 * PAGE, 1, 3), ERR_OK);  /* beside it */
    pin_bytes = 0;
    assert_int_equal(retype(S(RAM_SLOT), CAP_CNODE, 8 * PAGE, PAGE, 1, 4), ERR_OK);
    fx.mdb.pinned = NULL;
    check_db(true);
}

/* ---- cnode addressing and identify --------------------------------------- */

/* Are indices past a CNode's end refused at both levels, and good ones found? */
static void test_slot_out_of_range(void **state)
{
    struct cte *s;
    assert_int_equal(cnode_slot(root(), ROOT_SLOTS, &s), CAP_ERR_SLOT_OUT_OF_RANGE);
    assert_int_equal(cnode_slot(root(), ROOT_SLOTS - 1, &s), ERR_OK);
    assert_ptr_equal(s, S(ROOT_SLOTS - 1));
    assert_int_equal(cnode_slot(&S(RAM_SLOT)->cap, 0, &s), CAP_ERR_WRONG_TYPE);

    assert_int_equal(retype(S(RAM_SLOT), CAP_CNODE, 0, PAGE, 1, 7), ERR_OK);  /* 64 slots */
    errval_t err = cnode_lookup(root(), CAP_CPTR(ROOT_SLOTS, 0), CAP_LEVEL_L1, &s);
    assert_int_equal(err_no(err), CAP_ERR_LOOKUP_L1);
    assert_int_equal(err_no(err_pop(err)), CAP_ERR_SLOT_OUT_OF_RANGE);
    err = cnode_lookup(root(), CAP_CPTR(7, 64), CAP_LEVEL_L2, &s);
    assert_int_equal(err_no(err), CAP_ERR_LOOKUP_L2);
    assert_int_equal(err_no(err_pop(err)), CAP_ERR_SLOT_OUT_OF_RANGE);
    err = cnode_lookup(root(), CAP_CPTR(RAM_SLOT, 0), CAP_LEVEL_L2, &s);
    assert_int_equal(err_no(err_pop(err)), CAP_ERR_WRONG_TYPE);
    err = cnode_lookup(root(), CAP_CPTR(8, 0), CAP_LEVEL_L2, &s);
    assert_int_equal(err_no(err_pop(err)), CAP_ERR_SLOT_EMPTY);
    assert_int_equal(cnode_lookup(root(), 0, 3, &s), CAP_ERR_LOOKUP_LEVEL);

    assert_int_equal(cnode_lookup(root(), CAP_CPTR(7, 63), CAP_LEVEL_L2, &s), ERR_OK);
    assert_ptr_equal(s, &S(7)->cap.u.cnode.slots[63]);
    assert_ptr_equal((uint8_t *)s, fake_ram + 63 * CAP_SLOT_BYTES);
    assert_int_equal(cnode_lookup(root(), CAP_CPTR(7, 63), CAP_LEVEL_L1, &s), ERR_OK);
    assert_ptr_equal(s, S(7));
}

/* Does identify report the type, rights, base and size of the object? */
static void test_identify(void **state)
{
    assert_int_equal(retype(S(RAM_SLOT), CAP_FRAME, 8 * PAGE, 2 * PAGE, 2, 10), ERR_OK);
    assert_int_equal(cap_mint(&fx.mdb, S(11), S(12), CAP_RIGHT_READ | CAP_RIGHT_EXECUTE), ERR_OK);
    struct cap_identity id;
    assert_int_equal(cap_identify(S(12), &id), ERR_OK);
    assert_int_equal(id.type, CAP_FRAME);
    assert_int_equal(id.rights, CAP_RIGHT_READ | CAP_RIGHT_EXECUTE);
    assert_int_equal(id.base, RAM_BASE + 10 * PAGE);
    assert_int_equal(id.bytes, 2 * PAGE);
    assert_int_equal(cap_identify(S(DEV_SLOT), &id), ERR_OK);
    assert_int_equal(id.type, CAP_DEVFRAME);
    assert_int_equal(id.base, DEV_BASE);
    assert_int_equal(cap_identify(S(40), &id), CAP_ERR_SLOT_EMPTY);
    assert_string_equal(cap_type_name(CAP_FRAME), "Frame");
    assert_string_equal(cap_type_name(CAP_VSIC), "VSIC");
    assert_string_equal(cap_type_name(CAP_TYPE_COUNT), "?");
    assert_string_equal(err_name(CAP_ERR_RETYPE_OVERLAP), "CAP_ERR_RETYPE_OVERLAP");
}

/* ---- VSA capabilities (kernel/cap/vsa.c) ----------------------------------- */

static uint64_t vsa_name(const char *n)
{
    uint64_t v = 0;
    memcpy(&v, n, strlen(n) < 8 ? strlen(n) : 8);
    return v;
}

/* Which spawn grants are refused? A name must be 1-8 printable bytes
 * with nothing after its end; rights r or rw; no holes in the list. */
static void test_vsa_grants_check(void **state)
{
    const uint32_t R = CAP_RIGHT_READ, RW = CAP_RIGHT_READ | CAP_RIGHT_WRITE;
    struct spawn_vsa ok[TASKCN_VSAS] = { { vsa_name("big"), RW, 0 }, { vsa_name("12345678"), R, 0 } };
    assert_int_equal(cap_vsa_grants_check(ok, TASKCN_VSAS), ERR_OK);
    struct spawn_vsa none[TASKCN_VSAS];
    memset(none, 0, sizeof(none));
    assert_int_equal(cap_vsa_grants_check(none, TASKCN_VSAS), ERR_OK);
    const struct { uint64_t name; uint32_t rights; } bad[] = {
        { vsa_name("big"), 0 },                                 /* no right */
        { vsa_name("big"), CAP_RIGHT_WRITE },                   /* write without read */
        { vsa_name("big"), RW | CAP_RIGHT_EXECUTE },            /* beyond r/rw */
        { vsa_name("big"), CAP_RIGHT_ALL },
        { vsa_name("a b"), RW },                                /* not printable */
        { vsa_name("a\x7f"), RW },
        { vsa_name("ab") | 0x42ull << 32, RW },                 /* bytes after the end */
        { 0x4100ull, RW },                                      /* empty, then a byte */
    };
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct spawn_vsa v[TASKCN_VSAS];
        memset(v, 0, sizeof(v));
        v[0].name = bad[i].name;
        v[0].rights = bad[i].rights;
        assert_int_equal(cap_vsa_grants_check(v, TASKCN_VSAS), SPAWN_ERR_VSA);
    }
    struct spawn_vsa hole[TASKCN_VSAS];
    memset(hole, 0, sizeof(hole));
    hole[0] = (struct spawn_vsa){ vsa_name("a"), R, 0 };
    hole[2] = (struct spawn_vsa){ vsa_name("b"), R, 0 };
    assert_int_equal(cap_vsa_grants_check(hole, TASKCN_VSAS), SPAWN_ERR_VSA);
}

/* A VSA capability: identify tells its name; a mint only removes rights
 * (read-only cannot be minted back to read-write); two grants of one name
 * are two objects; RAM is never retyped into one. */
static void test_vsa_capability(void **state)
{
    const uint32_t RW = CAP_RIGHT_READ | CAP_RIGHT_WRITE;
    struct capability a = cap_vsa(vsa_name("redis"), RW, 1), b = cap_vsa(vsa_name("redis"), RW, 2);
    assert_int_equal(cap_create_root(&fx.mdb, S(20), &a), ERR_OK);
    assert_int_equal(cap_create_root(&fx.mdb, S(21), &b), ERR_OK);
    struct cap_identity id;
    assert_int_equal(cap_identify(S(20), &id), ERR_OK);
    assert_int_equal(id.type, CAP_VSA);
    assert_int_equal(id.rights, RW);
    assert_int_equal(id.base, vsa_name("redis"));
    assert_int_equal(id.bytes, 0);
    assert_int_equal(cap_mint(&fx.mdb, S(20), S(22), CAP_RIGHT_READ), ERR_OK);
    assert_int_equal(cap_mint(&fx.mdb, S(22), S(23), RW), CAP_ERR_RIGHTS);
    assert_int_equal(cap_mint(&fx.mdb, S(22), S(23), CAP_RIGHT_READ), ERR_OK);
    assert_false(mdb_is_last_copy(S(20)));
    assert_true(mdb_is_last_copy(S(21)));       /* the other grant is not a copy */
    assert_int_equal(cap_revoke(&fx.mdb, S(20)), ERR_OK);
    assert_int_equal(S(22)->cap.type, CAP_NULL);    /* the mints went with it */
    assert_int_equal(S(23)->cap.type, CAP_NULL);
    assert_int_equal(S(21)->cap.type, CAP_VSA);     /* the other grant stays */
    assert_int_equal(retype(S(RAM_SLOT), CAP_VSA, 0, PAGE, 1, 30), CAP_ERR_RETYPE_INVALID_TYPE);
    assert_string_equal(cap_type_name(CAP_VSA), "VSA");
}

/* ---- randomized ------------------------------------------------------------ */

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(uint64_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng % n;
}

static struct cte *random_slot(bool full)
{
    for (int tries = 0; tries < 64; tries++) {
        struct cte *s = all[1 + rnd(nall - 1)];     /* never the root CNode cap */
        if ((s->cap.type != CAP_NULL) == full)
            return s;
    }
    return NULL;
}

static const struct capability *random_cnode(void)
{
    for (int tries = 0; tries < 16; tries++) {
        struct cte *s = all[rnd(nall)];
        if (s->cap.type == CAP_CNODE)
            return &s->cap;
    }
    return root();
}

static const enum cap_type rtypes[] = { CAP_RAM, CAP_RAM, CAP_FRAME, CAP_FRAME, CAP_CNODE,
                                        CAP_ENDPOINT, CAP_VNODE_PT, CAP_DEVFRAME };

static struct cte *random_memory_slot(void)
{
    for (int tries = 0; tries < 16; tries++) {
        struct cte *s = random_slot(true);
        if (s && (s->cap.type == CAP_RAM || s->cap.type == CAP_FRAME ||
                  s->cap.type == CAP_DEVFRAME))
            return s;
    }
    return random_slot(true);
}

/* Mostly well-formed requests (so many succeed and many overlap), sometimes
 * arbitrary ones. */
static errval_t random_retype(void)
{
    struct cte *src = random_memory_slot();
    if (!src)
        return CAP_ERR_SLOT_EMPTY;
    bool wild = rnd(4) == 0;
    const struct capability *cn = random_cnode();
    enum cap_type t = rtypes[rnd(sizeof(rtypes) / sizeof(rtypes[0]))];
    uint64_t objbytes = t == CAP_CNODE ? PAGE : t == CAP_ENDPOINT ? 64 : PAGE << rnd(5);
    uint64_t max = src->cap.bytes / objbytes;
    uint64_t offset = max ? rnd(max) * objbytes : 0;
    uint32_t count = 1 + (uint32_t)rnd(3);
    uint64_t dest = rnd(cnode_slot_count(cn));
    if (wild) {
        objbytes = 1ull << (6 + rnd(11));
        offset = rnd(src->cap.bytes + 1);
        dest = rnd(cnode_slot_count(cn) + 2);
    }

    errval_t err = retype_to(cn, src, t, offset, objbytes, count, dest);
    if (err_is_ok(err)) {
        for (uint32_t i = 0; i < count; i++) {
            const struct cte *d = &cn->u.cnode.slots[dest + i];
            assert_int_equal(d->cap.type, t);
            assert_int_equal(d->cap.base, src->cap.base + offset + i * objbytes);
            assert_ptr_equal(d->mdb.parent, src);
        }
    }
    return err;
}

static unsigned cascades;      /* deletes that emptied a CNode */

static errval_t random_op(unsigned op)
{
    struct cte *a = random_slot(true), *b = random_slot(false);
    if (op == 0)
        return random_retype();
    if (!a || !b)
        return CAP_ERR_SLOT_EMPTY;
    switch (op) {
    case 1:
        return cap_copy(&fx.mdb, a, b);
    case 2:
        return cap_mint(&fx.mdb, a, b, (unsigned)rnd(16));
    case 3: {
        if (a == S(RAM_SLOT) || a == S(DEV_SLOT))   /* keep the memory roots */
            return cap_revoke(&fx.mdb, a);
        uint64_t live = fx.mdb.live;
        errval_t err = cap_delete(&fx.mdb, a);
        assert_int_equal(a->cap.type, CAP_NULL);
        cascades += fx.mdb.live + 1 < live;
        return err;
    }
    default: {
        uint8_t type = a->cap.type;
        errval_t err = cap_revoke(&fx.mdb, a);
        assert_true(a->cap.type == type || a->cap.type == CAP_NULL);
        assert_null(a->mdb.first_child);
        return err;
    }
    }
}

/* Over a few thousand random operations, do the mdb links stay consistent and
 * is no memory ever handed out to two unrelated objects? */
static void test_random_operations(void **state)
{
    static const unsigned weights[] = { 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 3, 4 };
    unsigned ok[5] = { 0 }, tried[5] = { 0 };
    static uint8_t ram_before[RAM_BYTES];
    static struct cte slots_before[ROOT_SLOTS];

    for (unsigned step = 0; step < 4000; step++) {
        check_db(step % 8 == 0);
        memcpy(ram_before, fake_ram, sizeof(ram_before));
        memcpy(slots_before, fx.slots, sizeof(slots_before));
        uint64_t live_before = fx.mdb.live;

        unsigned op = weights[rnd(sizeof(weights) / sizeof(weights[0]))];
        errval_t err = random_op(op);
        tried[op]++;
        if (err_is_ok(err)) {
            ok[op]++;
        } else {    /* a refusal changes nothing */
            assert_int_equal(fx.mdb.live, live_before);
            assert_memory_equal(slots_before, fx.slots, sizeof(slots_before));
            assert_memory_equal(ram_before, fake_ram, sizeof(ram_before));
        }
    }
    check_db(true);
    for (unsigned op = 0; op < 5; op++) {
        print_message("op %u: %u of %u succeeded\n", op, ok[op], tried[op]);
        assert_true(ok[op] >= 50);
    }
    assert_true(tried[0] - ok[0] >= 200);   /* plenty of refused retypes too */
    print_message("%u deletes emptied a CNode\n", cascades);
    assert_true(cascades >= 10);
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_retype_makes_children, setup),
        cmocka_unit_test_setup(test_retype_overlap_refused, setup),
        cmocka_unit_test_setup(test_retype_twice_refused, setup),
        cmocka_unit_test_setup(test_retype_misaligned_refused, setup),
        cmocka_unit_test_setup(test_retype_bad_size_refused, setup),
        cmocka_unit_test_setup(test_retype_into_full_slot_changes_nothing, setup),
        cmocka_unit_test_setup(test_retype_dest_out_of_range, setup),
        cmocka_unit_test_setup(test_devframe_never_ram_or_frame, setup),
        cmocka_unit_test_setup(test_retype_wrong_source_type, setup),
        cmocka_unit_test_setup(test_retype_unmapped_refused, setup),
        cmocka_unit_test_setup(test_revoke_deletes_all_descendants, setup),
        cmocka_unit_test_setup(test_revoke_middle, setup),
        cmocka_unit_test_setup(test_delete_middle_keeps_db_consistent, setup),
        cmocka_unit_test_setup(test_delete_last_cnode_cap_empties_it, setup),
        cmocka_unit_test_setup(test_delete_cnode_holding_its_parent, setup),
        cmocka_unit_test_setup(test_revoke_root_inside_descendant, setup),
        cmocka_unit_test_setup(test_mint_cannot_add_rights, setup),
        cmocka_unit_test_setup(test_mint_drops_rights, setup),
        cmocka_unit_test_setup(test_copy_refusals, setup),
        cmocka_unit_test_setup(test_flags_survive_retype_copy_mint, setup),
        cmocka_unit_test_setup(test_imported_is_the_only_one, setup),
        cmocka_unit_test_setup(test_move_keeps_place, setup),
        cmocka_unit_test_setup(test_pinned_memory_not_retyped, setup),
        cmocka_unit_test_setup(test_slot_out_of_range, setup),
        cmocka_unit_test_setup(test_identify, setup),
        cmocka_unit_test_setup(test_vsa_grants_check, setup),
        cmocka_unit_test_setup(test_vsa_capability, setup),
        cmocka_unit_test_setup(test_random_operations, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
