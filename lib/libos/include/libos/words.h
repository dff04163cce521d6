/** \file words.h \brief Split a command line into words, in place (lib/libos/words.c). */
#ifndef LIBOS_WORDS_H
#define LIBOS_WORDS_H
/** Cut `line` at spaces (written over with NULs) into at most `max`
 *  words; returns how many. */
int words_split(char *line, char **argv, int max);
/** A whole word as a number: decimal, or hexadecimal after 0x; false if
 *  it is empty or has any other character. */
#include <stdbool.h>
#include <stdint.h>
bool words_u64(const char *s, uint64_t *v);
#endif
