/*
 * copy.c: copy and mint, the two ways to make another capability to the
 * same object.
 *
 * Interface: cap_copy(mdb, src, dest) puts an identical capability into the
 * empty slot dest; cap_mint(mdb, src, dest, rights) does the same with the
 * given rights, which must be a subset of src's (a mint never adds a right).
 * The new capability is a child of src in the mapping database, so revoking
 * src (or deleting it and revoking its parent) also removes the copy.
 *
 * A capability lent by another core (CAP_FLAG_IMPORTED) is refused: it
 * must stay the only one of its kind here, so that one delete, asked for
 * by its owner core, takes it back whole (kernel/capmove.c).
 *
 * cap_move(mdb, src, dest) moves a capability to an empty slot, keeping its
 * place in the database (no new capability; imported ones may move).
 *
 * Invariant kept: dest names exactly src's object (cap_same_object), so the
 * memory checks of retype treat it as one more member of src's family.
 */
#include <cap/mdb.h>

static errval_t copy_check(const struct cte *src, const struct cte *dest, unsigned rights)
{
    if (src->cap.type == CAP_NULL)
        return CAP_ERR_SLOT_EMPTY;
    if (src->cap._reserved[CAP_FLAGS] & CAP_FLAG_IMPORTED)
        return CAP_ERR_IMPORTED;
    if (dest->cap.type != CAP_NULL)
        return CAP_ERR_SLOT_NOT_EMPTY;
    if ((rights & ~(unsigned)src->cap.rights) != 0)
        return CAP_ERR_RIGHTS;
    return ERR_OK;
}

static void copy_invoke(struct mdb *mdb, struct cte *src, struct cte *dest, unsigned rights)
{
    struct capability cap = src->cap;
    cap.rights = (uint8_t)rights;
    mdb_insert(mdb, src, dest, &cap);
}

errval_t cap_copy(struct mdb *mdb, struct cte *src, struct cte *dest)
{
    return cap_mint(mdb, src, dest, src->cap.rights);
}

errval_t cap_mint(struct mdb *mdb, struct cte *src, struct cte *dest, unsigned rights)
{
    errval_t err = copy_check(src, dest, rights);
    if (err_is_fail(err))
        return err;
    copy_invoke(mdb, src, dest, rights);
    return ERR_OK;
}

errval_t cap_move(struct mdb *mdb, struct cte *src, struct cte *dest)
{
    if (src->cap.type == CAP_NULL)
        return CAP_ERR_SLOT_EMPTY;
    if (dest->cap.type != CAP_NULL)
        return CAP_ERR_SLOT_NOT_EMPTY;
    if (src != dest)
        mdb_move(mdb, src, dest);
    return ERR_OK;
}
