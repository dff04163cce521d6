/**
 * \file mdb.h
 * \brief The mapping database's tree operations, used by the files of kernel/cap
 * (and checked directly by the unit tests). See mdb.c for the invariants.
 */
#ifndef KERNEL_CAP_MDB_H
#define KERNEL_CAP_MDB_H
#include <cap/cap.h>

/** Put `cap` into the empty slot `dest` as a child of `parent` (NULL: a root). */
void mdb_insert(struct mdb *mdb, struct cte *parent, struct cte *dest,
                const struct capability *cap);
/** Take the capability out of `slot` and empty it; its children stay (see mdb.c). */
void mdb_remove(struct mdb *mdb, struct cte *slot);
/** Move the capability in `src` to the empty slot `dest`, links and all. */
void mdb_move(struct mdb *mdb, struct cte *src, struct cte *dest);
/** True if no other slot holds a capability to the same object. */
bool mdb_is_last_copy(const struct cte *slot);
/**
 * True if an object retyped from src's memory (through src or any copy of
 * it) overlaps [base, base + bytes).
 */
bool mdb_range_in_use(const struct cte *src, uint64_t base, uint64_t bytes);
#endif
