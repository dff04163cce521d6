/* stdio.h: newlib's, plus getline and getdelim under their POSIX names
 * (newlib has them as __getline/__getdelim: lib/posix/libgen.c). */
#ifndef POSIX_STDIO_H
#define POSIX_STDIO_H
#include_next <stdio.h>
ssize_t getline(char **line, size_t *n, FILE *f);
ssize_t getdelim(char **line, size_t *n, int delim, FILE *f);
#endif
