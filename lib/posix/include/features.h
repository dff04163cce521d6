/* features.h: glibc's name for the feature-test header; newlib's
 * sys/features.h (with this OS's POSIX options) is the real one. No
 * __GLIBC__: programs must not take glibc-only paths. */
#ifndef POSIX_FEATURES_H
#define POSIX_FEATURES_H
#include <sys/features.h>
#endif
