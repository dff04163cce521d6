/**
 * \file stagetab.h
 * \brief One row of a stage-stamp table (reqstage.c, cyclestat.c): a
 * stage's samples in TSC cycles printed as n, median, p99 and mean in
 * microseconds with two decimals (the console has no %f).
 */
#ifndef LIBOS_STAGETAB_H
#define LIBOS_STAGETAB_H
#include <stdint.h>

/** Cycles as microseconds with two decimals, into buf. */
void stagetab_us(char *buf, unsigned n, uint64_t cycles, uint64_t hz);
/** Print "WHO:   NAME  n  median  p99  mean" for n samples (sorted in
 *  place; "-" if there are none) and return their sum. */
uint64_t stagetab_row(const char *who, const char *name, uint64_t *samples, unsigned n,
                      uint64_t hz);
#endif
