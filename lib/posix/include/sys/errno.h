/* sys/errno.h: newlib's, with its Linux extensions (ENONET,
 * ESOCKTNOSUPPORT...), which programs written for Linux name. */
#ifndef __LINUX_ERRNO_EXTENSIONS__
#define __LINUX_ERRNO_EXTENSIONS__ 1
#endif
#include_next <sys/errno.h>
