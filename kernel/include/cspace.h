/**
 * \file cspace.h
 * \brief Creating and destroying a domain's cspace (kernel/cspace.c), and
 * looking up the capabilities a syscall names.
 */
#ifndef KERNEL_CSPACE_H
#define KERNEL_CSPACE_H
#include <kpi/errors.h>
#include <kpi/cspace.h>
#include <cap/cap.h>
#include <stdbool.h>

struct dcb;

/** Build the cspace of kpi/cspace.h for `d` (d->disp_pa, d->ram_* set);
 *  its monitor endpoint carries `monitor_badge` (MONITOR_BADGE_*). */
errval_t cspace_create(struct dcb *d, bool kernel_cap, uint32_t monitor_badge);
/** Revoke and delete everything the domain holds. */
void cspace_destroy(struct dcb *d);
/** The slot a level-2 cptr names in d's cspace. */
errval_t cspace_lookup(struct dcb *d, capaddr_t cptr, struct cte **slot);
/** Put `cap` (a new root in this core's database) into the empty slot
 *  `cptr` (a user argument: range-checked) names; with cap NULL, only check
 *  that the slot exists and is empty. */
errval_t cspace_put(struct dcb *d, uint64_t cptr, const struct capability *cap);
/** The slot a level-1 cptr names (an L2 CNode, typically). */
errval_t cspace_lookup_l1(struct dcb *d, capaddr_t cptr, struct cte **slot);
#endif
