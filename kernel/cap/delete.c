/*
 * delete.c: delete and revoke.
 *
 * Interface: cap_delete(mdb, slot) empties one slot; the capability's
 * children stay in the database (see mdb_remove for where they go).
 * cap_revoke(mdb, slot) deletes every descendant of the capability on this
 * core (its copies, everything retyped from it, and recursively theirs) and
 * keeps the capability itself. Copies that are not below it (its parent, or
 * siblings copied from that parent) survive.
 *
 * Deleting the last capability to a CNode also deletes everything stored in
 * that CNode, since nothing can reach those slots any more; this can cascade
 * through CNodes whose last capability sat in the dying one. The cascade is
 * a loop, not recursion: take the first full slot of the dying CNode, follow
 * "last capability to a non-empty CNode" links down to a slot that can go
 * at once, delete it, repeat. Each step removes one capability, and the
 * chain cannot cycle because each CNode on it has exactly one capability
 * left and it sits in the CNode before it.
 *
 * Invariant: neither operation can fail once the slot is known to be full;
 * on return no slot of this core references a deleted slot.
 */
#include <cap/mdb.h>

/* The first full slot of a CNode, starting at *cursor (advanced past it). */
static struct cte *first_full(const struct capability *cnode, uint64_t *cursor)
{
    uint64_t n = cnode_slot_count(cnode);
    for (; *cursor < n; (*cursor)++) {
        struct cte *s = &cnode->u.cnode.slots[*cursor];
        if (s->cap.type != CAP_NULL)
            return s;
    }
    return NULL;
}

/* If `s` holds the last capability to a CNode with something in it, that
 * something (the first full slot); otherwise NULL. */
static struct cte *dying_content(const struct cte *s)
{
    if (s->cap.type != CAP_CNODE || !mdb_is_last_copy(s))
        return NULL;
    uint64_t cursor = 0;
    return first_full(&s->cap, &cursor);
}

/* Delete everything in a CNode whose last capability is already gone. */
static void cnode_empty(struct mdb *mdb, const struct capability *cnode)
{
    uint64_t cursor = 0;    /* slots before it are empty and stay empty */
    for (struct cte *s; (s = first_full(cnode, &cursor)) != NULL;) {
        for (struct cte *in; (in = dying_content(s)) != NULL;)
            s = in;
        mdb_remove(mdb, s);
    }
}

/* Delete one capability and, if it was the last one to a CNode, its contents. */
static void delete_invoke(struct mdb *mdb, struct cte *slot)
{
    struct capability cap = slot->cap;
    bool last = mdb_is_last_copy(slot);
    mdb_remove(mdb, slot);
    if (cap.type == CAP_CNODE && last)
        cnode_empty(mdb, &cap);
}

errval_t cap_delete(struct mdb *mdb, struct cte *slot)
{
    if (slot->cap.type == CAP_NULL)
        return CAP_ERR_SLOT_EMPTY;
    delete_invoke(mdb, slot);
    return ERR_OK;
}

/* Deletes leaves first, so no deletion has to move children around. The
 * slot may itself be emptied by a CNode cascade (it lived in a CNode that
 * only its own descendants named); then there is nothing left to revoke. */
static void revoke_invoke(struct mdb *mdb, struct cte *slot)
{
    while (slot->cap.type != CAP_NULL && slot->mdb.first_child) {
        struct cte *leaf = slot->mdb.first_child;
        while (leaf->mdb.first_child)
            leaf = leaf->mdb.first_child;
        delete_invoke(mdb, leaf);
    }
}

errval_t cap_revoke(struct mdb *mdb, struct cte *slot)
{
    if (slot->cap.type == CAP_NULL)
        return CAP_ERR_SLOT_EMPTY;
    revoke_invoke(mdb, slot);
    return ERR_OK;
}
