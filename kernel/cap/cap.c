/*
 * cap.c: the capability itself: what object it names, how boot code creates
 * the first capabilities, and identify.
 *
 * Interface: cap_same_object (copy identity, used by the mdb), cap_create_root
 * (boot only: RAM and DevFrame regions, the Kernel cap, IRQ vectors and the
 * first CNode enter the database as roots), cap_identify.
 *
 * Invariants: a non-empty capability has a type in (CAP_NULL, CAP_TYPE_COUNT)
 * and a range base .. base + bytes that does not wrap; the boot code makes
 * sure that root memory ranges do not overlap each other (the database does
 * not check roots against each other).
 */
#include <cap/mdb.h>

bool cap_same_object(const struct capability *a, const struct capability *b)
{
    return a->type == b->type && a->base == b->base && a->bytes == b->bytes &&
           a->u.raw == b->u.raw;
}

static errval_t check_root(const struct cte *dest, const struct capability *cap)
{
    if (dest->cap.type != CAP_NULL)
        return CAP_ERR_SLOT_NOT_EMPTY;
    if (cap->type == CAP_NULL || cap->type >= CAP_TYPE_COUNT ||
        (cap->rights & ~CAP_RIGHT_ALL) != 0 || cap->base + cap->bytes < cap->base)
        return CAP_ERR_BAD_CAP;
    return ERR_OK;
}

errval_t cap_create_root(struct mdb *mdb, struct cte *dest, const struct capability *cap)
{
    errval_t err = check_root(dest, cap);
    if (err_is_fail(err))
        return err;
    mdb_insert(mdb, NULL, dest, cap);
    return ERR_OK;
}

errval_t cap_identify(const struct cte *slot, struct cap_identity *out)
{
    if (slot->cap.type == CAP_NULL)
        return CAP_ERR_SLOT_EMPTY;
    *out = (struct cap_identity){
        .type = slot->cap.type,
        .rights = slot->cap.rights,
        .base = slot->cap.base,
        .bytes = slot->cap.bytes,
    };
    return ERR_OK;
}
