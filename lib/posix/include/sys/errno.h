/* sys/errno.h: newlib's, with its Linux extensions (ENONET,
 * ESOCKTNOSUPPORT...), which programs written for Linux name, and glibc's
 * program_invocation_name/_short_name with _GNU_SOURCE (set from argv[0]
 * by lib/newlib/env.c). */
#ifndef __LINUX_ERRNO_EXTENSIONS__
#define __LINUX_ERRNO_EXTENSIONS__ 1
#endif
#include_next <sys/errno.h>
#ifdef _GNU_SOURCE
extern char *program_invocation_name, *program_invocation_short_name;
#endif
