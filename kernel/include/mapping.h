/**
 * \file mapping.h
 * \brief Frames a domain maps into its own address space (kernel/mapping.c).
 */
#ifndef KERNEL_MAPPING_H
#define KERNEL_MAPPING_H
#include <kpi/syscall.h>
struct invocation;
struct cte;
struct sysret invoke_frame_map(struct invocation *inv);
struct sysret invoke_frame_unmap(struct invocation *inv);
struct dcb;
/** Map [pa, pa + bytes) at va for the capability in `slot`, recorded so
 *  the mapping goes when the slot is emptied. */
errval_t mapping_add(struct dcb *d, struct cte *slot, uint64_t va, uint64_t pa, uint64_t bytes,
                     unsigned vflags);
/** The same without the Frame.map window, for addresses the kernel picks
 *  (the channel frame at spawn). */
errval_t mapping_record(struct dcb *d, struct cte *slot, uint64_t va, uint64_t pa, uint64_t bytes,
                        unsigned vflags);
/** True if `slot` has a mapping in d's address space. */
#include <stdbool.h>
bool mapping_slot_is_mapped(struct dcb *d, const struct cte *slot);
/** The capability database's hook: a slot is about to be emptied. */
void mapping_slot_removed(struct cte *slot);
#endif
