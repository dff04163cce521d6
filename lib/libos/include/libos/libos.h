/**
 * \file libos.h
 * \brief The library OS as a whole: start-up, facts about this dispatcher,
 * and exit.
 *
 * crt0.S calls libos_init() on the kernel's initial stack with the
 * dispatcher disabled; when it returns, the dispatcher is enabled, the
 * calling code is the domain's initial thread (thread id 0), and
 * libos_argc/libos_argv hold the spawn arguments for main().
 */
#ifndef LIBOS_LIBOS_H
#define LIBOS_LIBOS_H
#include <stdint.h>
#include <kpi/dispatcher.h>

/* argv as main() gets it: NULL-terminated, at most 16 entries. */
#define LIBOS_ARGV_MAX 16
extern int libos_argc;
extern char *libos_argv[LIBOS_ARGV_MAX + 1];

/** Sets up the dispatcher (upcall entry, stack, critical region), the
 *  initial thread and argv, then enables the dispatcher. Called once, by
 *  _start. */
void libos_init(struct dispatcher_shared *shared, struct spawn_args *args);

/** The page this dispatcher shares with the kernel. */
struct dispatcher_shared *libos_disp(void);
uint32_t libos_core_id(void);
uint32_t libos_domain_id(void);
/** The TSC frequency the kernel measured, in Hz. */
uint64_t libos_tsc_hz(void);
/** Cores the system runs on. */
uint64_t libos_ncores(void);

/** The program's entry point, called by _start on the initial thread. */
int main(int argc, char *argv[]);

/** The C library's start-up hook: _start calls it after libos_init() and
 *  before main(). libos_minic's does nothing; newlib's glue
 *  (lib/newlib/syscalls.c) runs constructors and registers destructors. */
void libos_libc_init(void);

/** Ends the domain (all its threads, on every core it spans) with
 *  `status`, at once: no atexit handlers, no stdio flush. Any thread on
 *  any core may call it. */
_Noreturn void libos_exit(int status);

/** exit() belongs to the C library the program links (MODULE_LIBC):
 *  minic's is libos_exit(); newlib's runs atexit handlers and flushes
 *  stdio, then ends through _exit() -> libos_exit(). The prototype is
 *  <stdlib.h>'s, so this declaration agrees with newlib's. */
_Noreturn void exit(int status);
#endif
