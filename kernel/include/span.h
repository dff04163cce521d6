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
/** A secondary ends its domain (exit, kill, fault): stop it here, tell
 *  the origin's core (END). */
void span_end_from_secondary(struct dcb *d, enum domain_state how);
/** An origin that spanned ends: stop running it, ask every core it
 *  spanned to to stop its dispatcher (STOP); span_tick frees it once all
 *  have answered. */
void span_end_origin(struct dcb *d, enum domain_state how);
/** SYS_WAKE(core): wake d's domain's dispatcher on `core` (an IPI
 *  through this file's cross-core service when it is another core). */
struct sysret span_wake(struct dcb *d, uint64_t core);
/** Timer tick: send what ending dispatchers still owe, finish an origin
 *  whose other dispatchers have all stopped. */
void span_tick(void);
#endif
