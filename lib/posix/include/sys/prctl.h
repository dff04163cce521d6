/* sys/prctl.h: prctl with Linux's option numbers (lib/posix/refused.c):
 * PR_SET_NAME/PR_GET_NAME name the calling thread; the rest is EINVAL. */
#ifndef POSIX_SYS_PRCTL_H
#define POSIX_SYS_PRCTL_H
#define PR_SET_PDEATHSIG    1
#define PR_GET_DUMPABLE     3
#define PR_SET_DUMPABLE     4
#define PR_SET_NAME         15
#define PR_GET_NAME         16
#define PR_SET_THP_DISABLE  41
#define PR_GET_THP_DISABLE  42

int prctl(int option, ...);
#endif
