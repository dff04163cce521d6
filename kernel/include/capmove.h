/**
 * \file capmove.h
 * \brief Frames lent from one core to another (kernel/capmove.c): the
 * owner core's exports (a kernel-held copy and a pin on the memory), the
 * importing core's imports, and RAM whose free waits for a pin to go.
 */
#ifndef KERNEL_CAPMOVE_H
#define KERNEL_CAPMOVE_H
#include <stdbool.h>
#include <stdint.h>
#include <kpi/syscall.h>
#include <cap/cap.h>

#define CAPMOVE_EXPORTS  32
#define CAPMOVE_IMPORTS  32
#define CAPMOVE_DEFERRED 16

struct capmove_export {
    uint32_t id;                /* 0: free */
    uint32_t dest;              /* the core it was lent to */
    bool revoking;              /* the copy below is gone: waiting for release */
    bool releasing;             /* capmove is deleting the copy itself */
    bool notify_pending;        /* EXPORT_REVOKED not yet in the monitor's ring */
    uint64_t base, bytes;       /* pinned until released */
    struct cte copy;            /* the kernel's copy, a child of the lent Frame */
};

struct capmove_import {
    bool used;
    bool notify_pending;        /* IMPORT_GONE not yet in the monitor's ring */
    struct cte *slot;           /* where the capability is; NULL once gone */
    uint32_t owner, export_id;
};

struct capmove_deferred {
    uint64_t pa, pages;         /* pages == 0: free entry */
};

/** One core's share (in struct core; touched by that core only). */
struct capmove_core {
    uint32_t next_id;
    struct capmove_export exports[CAPMOVE_EXPORTS];
    struct capmove_import imports[CAPMOVE_IMPORTS];
    struct capmove_deferred deferred[CAPMOVE_DEFERRED];
};

struct invocation;
struct sysret capmove_invoke_export(struct invocation *inv);
struct sysret capmove_invoke_import(struct invocation *inv);
struct sysret capmove_invoke_drop(struct invocation *inv);
struct sysret capmove_invoke_release(struct invocation *inv);

/** The mdb's hook: is any of [base, base + bytes) lent out from here? */
bool capmove_pinned(uint64_t base, uint64_t bytes);
/** A slot is being emptied: an export's copy (revoked) or an import (gone). */
void capmove_slot_removed(struct cte *slot);
/** A capability moved from `from` to `to` (cap_move): follow it. */
void capmove_slot_moved(const struct cte *from, struct cte *to);
/** Give a domain's RAM back to the allocator, or hold it while lent out. */
void capmove_free_ram(uint64_t pa, uint64_t pages);
/** Timer tick: retry telling the monitor what it missed (a full ring). */
void capmove_tick(void);
#endif
