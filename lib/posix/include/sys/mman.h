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

void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset);
int munmap(void *addr, size_t length);
#endif
