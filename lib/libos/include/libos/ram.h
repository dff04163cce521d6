/**
 * \file ram.h
 * \brief Memory from the domain's own RAM capability, as Frames it can
 * map (lib/libos/ram.c): what the C library's heap grows by.
 *
 * Frames are cut from the top of CAP_TASK(TASKCN_SLOT_RAM) downwards and
 * their capabilities put in the top slots of the SLOTCN CNode downwards, so
 * programs that retype the low end themselves (captest, the monitors) and
 * this allocator do not meet until memory runs out.
 */
#ifndef LIBOS_RAM_H
#define LIBOS_RAM_H
#include <stddef.h>
#include <stdint.h>
#include <kpi/caps.h>
#include <kpi/errors.h>

/** A Frame of `bytes` (a power of two, >= 4 KiB) from the domain's RAM,
 *  mapped read/write at `va` (in [USER_MAP_BASE, USER_MAP_END)). */
errval_t ram_map_new(uint64_t va, size_t bytes, capaddr_t *slot);
/** The size of the domain's RAM capability (what spawn's mem= gave). */
uint64_t ram_bytes(void);
#endif
