/* limits.h: newlib's (and gcc's), plus SSIZE_MAX, which newlib leaves out. */
#ifndef POSIX_LIMITS_H
#define POSIX_LIMITS_H
#include_next <limits.h>
#ifndef SSIZE_MAX
#define SSIZE_MAX LONG_MAX
#endif
#ifndef IOV_MAX
#define IOV_MAX 1024
#endif
#endif
