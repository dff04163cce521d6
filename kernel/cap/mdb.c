/*
 * mdb.c: the mapping database of one core, a tree of capability derivations
 * threaded through the slots themselves (struct mdb_node in each cte).
 *
 * Interface: mdb_init, mdb_insert (a new capability as a child or a root),
 * mdb_remove (take one out, keeping its children), mdb_move (to another
 * slot, same place in the tree), mdb_is_last_copy, and
 * mdb_range_in_use (the retype check that memory is handed out only once).
 *
 * Invariants, for every non-empty slot c with parent p:
 *   I1  c is a copy of p (cap_same_object), or c's object lies inside p's
 *       memory and was made by retype from it (a "retype child").
 *   I2  The copies of one object form a connected subtree ("family"): its
 *       head is the one member whose parent is not a copy (or which is a
 *       root), and every other member's parent is a member.
 *   I3  Retype children of one family never overlap each other.
 * Retype does not make an object equal to its source (same type and size is
 * refused), so I1's two cases cannot be confused. mdb_remove keeps I2: a
 * removed copy hands its children to its parent; a removed family head hands
 * its place and its children to one of its copies if it has one, and
 * otherwise its children to its own parent (they still lie inside it, I1).
 *
 * Cost: insert O(1); remove O(children); last-copy O(children); the range
 * check O(family members and their children). No recursion: walks use the
 * parent/sibling links, so the kernel stack stays bounded.
 */
#include <cap/mdb.h>
#include <string.h>

void mdb_init(struct mdb *mdb, uint32_t core, mdb_kva_fn kva, void *kva_arg)
{
    memset(mdb, 0, sizeof(*mdb));
    mdb->core = core;
    mdb->kva = kva;
    mdb->kva_arg = kva_arg;
}

static bool is_copy_of(const struct cte *a, const struct cte *b)
{
    return cap_same_object(&a->cap, &b->cap);
}

/* Make c the first child of parent (or a lone root when parent is NULL). */
static void link_child(struct cte *parent, struct cte *c)
{
    c->mdb.parent = parent;
    c->mdb.prev_sibling = NULL;
    c->mdb.next_sibling = parent ? parent->mdb.first_child : NULL;
    if (c->mdb.next_sibling)
        c->mdb.next_sibling->mdb.prev_sibling = c;
    if (parent)
        parent->mdb.first_child = c;
}

/* Take c out of its parent's child list (its own children stay). */
static void unlink_child(struct cte *c)
{
    struct cte *next = c->mdb.next_sibling, *prev = c->mdb.prev_sibling;
    if (prev)
        prev->mdb.next_sibling = next;
    else if (c->mdb.parent)
        c->mdb.parent->mdb.first_child = next;
    if (next)
        next->mdb.prev_sibling = prev;
    c->mdb.parent = c->mdb.next_sibling = c->mdb.prev_sibling = NULL;
}

/* The first child of c that is a copy of c, or NULL. */
static struct cte *first_copy_child(const struct cte *c)
{
    for (struct cte *k = c->mdb.first_child; k; k = k->mdb.next_sibling)
        if (is_copy_of(k, c))
            return k;
    return NULL;
}

void mdb_insert(struct mdb *mdb, struct cte *parent, struct cte *dest,
                const struct capability *cap)
{
    dest->cap = *cap;
    dest->mdb = (struct mdb_node){ 0 };
    link_child(parent, dest);
    mdb->live++;
}

void mdb_remove(struct mdb *mdb, struct cte *slot)
{
    if (mdb->on_remove)
        mdb->on_remove(slot);
    struct cte *parent = slot->mdb.parent;
    struct cte *heir;

    if (parent && is_copy_of(slot, parent)) {
        heir = parent;
    } else if ((heir = first_copy_child(slot)) != NULL) {
        unlink_child(heir);
        link_child(parent, heir);
    } else {
        heir = parent;
    }
    for (struct cte *c; (c = slot->mdb.first_child) != NULL;) {
        unlink_child(c);
        link_child(heir, c);
    }
    unlink_child(slot);
    memset(slot, 0, sizeof(*slot));
    mdb->live--;
}

void mdb_move(struct mdb *mdb, struct cte *src, struct cte *dest)
{
    (void)mdb;
    *dest = *src;
    struct mdb_node *n = &dest->mdb;
    if (n->prev_sibling)
        n->prev_sibling->mdb.next_sibling = dest;
    else if (n->parent)
        n->parent->mdb.first_child = dest;
    if (n->next_sibling)
        n->next_sibling->mdb.prev_sibling = dest;
    for (struct cte *c = n->first_child; c; c = c->mdb.next_sibling)
        c->mdb.parent = dest;
    memset(src, 0, sizeof(*src));
}

bool mdb_is_last_copy(const struct cte *slot)
{
    const struct cte *parent = slot->mdb.parent;
    return !(parent && is_copy_of(slot, parent)) && first_copy_child(slot) == NULL;
}

static bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return alen && blen && a < b + blen && b < a + alen;
}

/* The next family member after `m` in a preorder walk of the family of
 * `head` (copies only), or NULL when the walk is done. */
static const struct cte *family_next(const struct cte *head, const struct cte *m)
{
    const struct cte *k = first_copy_child(m);
    if (k)
        return k;
    for (; m != head; m = m->mdb.parent) {
        for (k = m->mdb.next_sibling; k; k = k->mdb.next_sibling)
            if (is_copy_of(k, head))
                return k;
    }
    return NULL;
}

bool mdb_range_in_use(const struct cte *src, uint64_t base, uint64_t bytes)
{
    const struct cte *head = src;
    while (head->mdb.parent && is_copy_of(head->mdb.parent, head))
        head = head->mdb.parent;

    for (const struct cte *m = head; m; m = family_next(head, m)) {
        for (const struct cte *k = m->mdb.first_child; k; k = k->mdb.next_sibling) {
            if (!is_copy_of(k, head) &&
                ranges_overlap(k->cap.base, k->cap.bytes, base, bytes))
                return true;
        }
    }
    return false;
}
