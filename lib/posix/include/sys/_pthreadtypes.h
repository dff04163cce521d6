/*
 * sys/_pthreadtypes.h: the POSIX thread types of this OS (lib/posix),
 * replacing newlib's, which are RTEMS's 32-bit object ids. <sys/types.h>
 * includes it. Everything is a plain struct in the program's memory, so
 * the static initialisers are all zeroes and the objects work between
 * threads on different cores (lib/posix/pthread_sync.c). The field names
 * are the library's; use the calls.
 */
#ifndef _SYS__PTHREADTYPES_H_
#define _SYS__PTHREADTYPES_H_
#include <sys/sched.h>

struct posix_thread;
typedef struct posix_thread *pthread_t;

typedef struct {
    int __detach;               /* PTHREAD_CREATE_JOINABLE or _DETACHED */
    int __core;                 /* -1: the creator's core; see pthread.h */
    __SIZE_TYPE__ __stacksize;  /* ignored: libos stacks are 64 KiB */
} pthread_attr_t;

/* Layout of libos's struct sync_mutex first (asserted in pthread_sync.c). */
typedef struct {
    unsigned int __locked, __depth;
    void *__owner;
    _Bool __recursive;
    int __type;                 /* PTHREAD_MUTEX_* */
} pthread_mutex_t;

typedef struct {
    int __type;
} pthread_mutexattr_t;

typedef struct {
    unsigned int __seq;         /* bumped by every signal and broadcast */
    int __clock;                /* for timedwait deadlines */
} pthread_cond_t;

typedef struct {
    int __clock;
} pthread_condattr_t;

typedef struct {
    int __state;                /* readers holding it, or -1: a writer */
    unsigned int __writers;     /* writers waiting: new readers hold back */
    unsigned int __seq;         /* bumped by unlocks that may let a waiter in */
} pthread_rwlock_t;

typedef struct {
    int __unused;
} pthread_rwlockattr_t;

typedef unsigned int pthread_key_t;

typedef struct {
    int __state;                /* 0 not run, 1 running, 2 done */
} pthread_once_t;
#endif
