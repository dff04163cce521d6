/**
 * \file forge.h
 * \brief forge: an ordinary domain that tries, as a hostile application
 * would, to get what it was never given (usr/tests/forge). Each attempt
 * prints one line "forge: WHAT: RESULT"; main prints how many were
 * refused as they must be.
 */
#ifndef USR_TESTS_FORGE_H
#define USR_TESTS_FORGE_H
#include <stdbool.h>
#include <stdint.h>
#include <kpi/errors.h>

/** One attempt: print it; true if it came back as `expect`. */
bool forge_report(const char *what, errval_t got, enum err_code expect);

/** The monitor's privileged operations, asked for by an ordinary domain. */
int forge_monitor(uint32_t victim, uint64_t victim_pa, int *tried);
/** Rewrite the save area from another core while this dispatcher is resumed. */
int forge_iopl(unsigned rounds, int *tried);
#endif
