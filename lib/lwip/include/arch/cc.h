/**
 * \file arch/cc.h
 * \brief lwIP's compiler and C library glue: newlib on x86-64 (lib/lwip).
 *
 * lwIP takes the standard headers (stdint.h, inttypes.h, limits.h...) by
 * itself; here is what it needs beyond them. errno and its values are
 * newlib's (per thread). <fcntl.h> comes first so that lwip/sockets.h sees
 * newlib's O_NONBLOCK and F_GETFL/F_SETFL and does not define its own:
 * lwip_fcntl() must use the values programs pass. struct timeval is
 * newlib's (LWIP_TIMEVAL_PRIVATE 0 in lwipopts.h). Byte order comes from
 * newlib's <machine/endian.h> (little endian). newlib has ssize_t (a long)
 * but no SSIZE_MAX, without which lwip/arch.h would typedef its own.
 */
#ifndef LWIP_ARCH_CC_H
#define LWIP_ARCH_CC_H

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <sys/types.h>

#define LWIP_ERRNO_STDINCLUDE 1
#ifndef SSIZE_MAX
#define SSIZE_MAX LONG_MAX
#endif

/** A random number for lwIP's ports and identifiers (sys_arch.c). */
uint32_t lwip_port_rand(void);
#define LWIP_RAND() lwip_port_rand()

/** Prints "lwip: assertion ... failed" and ends the domain (sys_arch.c). */
void lwip_port_assert(const char *msg, const char *file, int line) __attribute__((__noreturn__));
#define LWIP_PLATFORM_DIAG(x) do { printf x; } while (0)
#define LWIP_PLATFORM_ASSERT(x) lwip_port_assert((x), __FILE__, __LINE__)

#endif
