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
/** The capability database's hook: a slot is about to be emptied. */
void mapping_slot_removed(struct cte *slot);
#endif
