/**
 * \file debug.h
 * \brief Console output for user programs: a printf, an error-stack
 * printer and a panic, all straight to SYS_PRINT (no buffering across
 * calls, so a line from one thread is not split by another when it fits
 * DEBUG_PRINT_CHUNK bytes).
 */
#ifndef LIBOS_DEBUG_H
#define LIBOS_DEBUG_H
#include <kpi/errors.h>

/* Output goes to the kernel in pieces of at most this many bytes. */
#define DEBUG_PRINT_CHUNK 256

/* The exit status of a domain that called debug_panic(). */
#define DEBUG_PANIC_STATUS 134

/** printf to the console (formats as fmt.h); returns the characters written. */
int debug_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** Prints "what: NAME (message) <- NAME (message) ..." for an error stack. */
void debug_err(const char *what, errval_t err);
/** Prints "PANIC (domain D, core C): ..." and exits with DEBUG_PANIC_STATUS. */
_Noreturn void debug_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#endif
