/* sched.h: newlib's, with cpu_set_t (sys/cpuset.h) so that its affinity
 * calls are declared, as glibc's <sched.h> does. */
#ifndef POSIX_SCHED_H
#define POSIX_SCHED_H
#include <sys/cpuset.h>
#include_next <sched.h>
#endif
