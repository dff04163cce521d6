/**
 * \file span.h
 * \brief Domains that span cores (kernel/span.c): one address space, one
 * dispatcher per core. The first dispatcher (the origin) owns the address
 * space and the cspace; the others share its page tables.
 */
#ifndef KERNEL_SPAN_H
#define KERNEL_SPAN_H
#include <stdint.h>
#include <stdbool.h>
#include <kpi/syscall.h>

struct invocation;
struct dcb;

/** Dispatcher.span(core, entry, stack, arg), on the origin's core. */
struct sysret span_invoke(struct invocation *inv);
/** On the target core (span.c's cross-core service): make the new dispatcher. */
void span_start_secondary(uint32_t origin, uint64_t root, uint64_t page, const char *name);
/** On the target core: stop this core's dispatchers of domain `origin`. */
void span_stop_secondaries(uint32_t origin);
/** The origin ends: the caller must not free its address space if this
 *  returns true (span_tick frees it once every other core has let go). */
bool span_defer_teardown(struct dcb *d);
/** SYS_WAKE(core): wake d's domain's dispatcher on `core` (an IPI
 *  through this file's cross-core service when it is another core). */
struct sysret span_wake(struct dcb *d, uint64_t core);
/** Timer tick: ask other cores to stop dispatchers, free what they let go. */
void span_tick(void);
#endif
