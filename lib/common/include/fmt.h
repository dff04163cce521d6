/**
 * \file fmt.h
 * \brief printf-style formatting with no libc (lib/common/fmt.c): the
 * kernel console's and every user program's (lib/common is built once for
 * each world); this one header serves both.
 *
 * Supports %d %i %u %x %X %o %p %s %c %% with flags '-', '0', '+', ' ',
 * '#', a width and precision (numbers or '*'), and the length modifiers
 * hh h l ll z t j. No floating point: the kernel has no FPU state.
 */
#ifndef SHARED_FMT_H
#define SHARED_FMT_H
#include <stdarg.h>
#include <stddef.h>

typedef void (*fmt_out_fn)(char c, void *arg);

/** Format to a character sink; returns the number of characters produced. */
int fmt_vformat(fmt_out_fn out, void *arg, const char *fmt, va_list ap);
/** Like vsnprintf: always NUL-terminates when size > 0; returns full length. */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#endif
