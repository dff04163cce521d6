/**
 * \file fmt.h
 * \brief printf-style formatting for user programs: the kernel's engine
 * (kernel/lib/fmt.c, compiled into libos), declared here because user code
 * does not see kernel/include. The prototypes are exactly those of
 * kernel/include/fmt.h; keep the two in step.
 *
 * Supports %d %i %u %x %X %o %p %s %c %% with flags, width, precision and
 * the length modifiers hh h l ll z t j. No floating point.
 */
#ifndef LIBOS_FMT_H
#define LIBOS_FMT_H
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
