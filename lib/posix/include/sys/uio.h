/**
 * \file sys/uio.h
 * \brief struct iovec, and readv()/writev() on sockets and files
 * (lib/posix/socket.c).
 */
#ifndef _SYS_UIO_H
#define _SYS_UIO_H
#include <stddef.h>
#include <sys/types.h>

struct iovec {
    void *iov_base;
    size_t iov_len;
};

#define IOV_MAX 1024

ssize_t readv(int fd, const struct iovec *iov, int n);
ssize_t writev(int fd, const struct iovec *iov, int n);
#endif
