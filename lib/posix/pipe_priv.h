/*
 * pipe_priv.h: what pipe.c (pipes and socket pairs) shares with socket.c.
 */
#ifndef POSIX_PIPE_PRIV_H
#define POSIX_PIPE_PRIV_H
#include <stdbool.h>
#include <sys/types.h>

/** Is `fd` one end of a socketpair()? */
bool posix_pipe_is_pair(int fd);
/** send/recv on a socket pair's end: MSG_DONTWAIT and MSG_NOSIGNAL; other
 *  flags are EOPNOTSUPP. As the POSIX calls return, with errno. */
ssize_t posix_pair_send(int fd, const void *buf, size_t n, int flags);
ssize_t posix_pair_recv(int fd, void *buf, size_t n, int flags);
int posix_pair_shutdown(int fd, int how);
/** FIONREAD on a pipe or pair end: 0 with *n the bytes waiting, or -1
 *  if `fd` is neither. */
int posix_pipe_nread(int fd, int *n);
#endif
