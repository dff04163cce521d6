/**
 * \file sys/mman.h
 * \brief Anonymous memory mappings (lib/posix/mman.c): private, anonymous
 * and read/write only, backed by Frames from the domain's RAM capability.
 * File mappings, shared mappings and protection changes return ENOSYS or
 * EINVAL.
 */
#ifndef POSIX_SYS_MMAN_H
#define POSIX_SYS_MMAN_H
#include <stddef.h>
#include <sys/types.h>

#define PROT_NONE  0x0
#define PROT_READ  0x1
#define PROT_WRITE 0x2
#define PROT_EXEC  0x4
#define MAP_SHARED    0x01
#define MAP_PRIVATE   0x02
#define MAP_FIXED     0x10
#define MAP_ANONYMOUS 0x20
#define MAP_ANON      MAP_ANONYMOUS
#define MAP_FAILED ((void *)-1)

#define MS_ASYNC      1
#define MS_INVALIDATE 2
#define MS_SYNC       4
#define MCL_CURRENT   1
#define MCL_FUTURE    2
#define MCL_ONFAULT   4
#define MADV_NORMAL     0
#define MADV_RANDOM     1
#define MADV_SEQUENTIAL 2
#define MADV_WILLNEED   3
#define MADV_DONTNEED   4

void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset);
/* Memory here is never paged out and there are no file mappings, so
 * msync and the lock calls have nothing to do once their arguments are
 * checked; madvise takes the hints, and MADV_DONTNEED zeroes the pages as
 * Linux does for private anonymous memory (lib/posix/mman.c). */
int msync(void *addr, size_t length, int flags);
int mlock(const void *addr, size_t length);
int munlock(const void *addr, size_t length);
int mlockall(int flags);
int munlockall(void);
int madvise(void *addr, size_t length, int advice);
int munmap(void *addr, size_t length);
#endif
