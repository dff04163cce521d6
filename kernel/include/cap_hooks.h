/**
 * \file cap_hooks.h
 * \brief What drivers want to hear from the capability database: a slot of
 * a given type is being emptied (kernel/cap_hooks.c). The kernel's own
 * reaction (taking mappings down, kernel/mapping.c) comes after the hooks.
 *
 * Like seL4's per-type finalise, but registered: a driver that serves a
 * type (a VNIC, a Filter) or follows one (the Frames a VF may reach)
 * registers a hook at boot, so the kernel names no driver.
 */
#ifndef KERNEL_CAP_HOOKS_H
#define KERNEL_CAP_HOOKS_H
struct cte;

typedef void (*cap_removed_fn)(struct cte *slot);

#define CAP_HOOKS_PER_TYPE 4

/** Call `fn` whenever a slot holding a capability of `type` is emptied
 *  (delete, revoke, the domain's end). At boot, before user space runs;
 *  more than CAP_HOOKS_PER_TYPE hooks on a type is a kernel bug (panic). */
void cap_removed_register(unsigned type, cap_removed_fn fn);
/** Run the hooks of slot->cap.type (from mapping_slot_removed). */
void cap_removed_run(struct cte *slot);
#endif
