/*
 * socket_priv.h: what socket.c shares with select.c and epoll.c.
 */
#ifndef POSIX_SOCKET_PRIV_H
#define POSIX_SOCKET_PRIV_H
#include <stdint.h>
#include <posix/libc.h>

/** The fd table's object for an lwIP socket; its file is lwIP's number. */
extern const struct vfs_ops posix_sock_ops;
/** lwIP's number for socket `fd`, or -1 with errno EBADF (not open) or
 *  ENOTSOCK (open, not an lwIP socket). */
int posix_sock_lw(int fd);
/** For epoll (select.c): 1 if `fd` can become ready (a socket or a native
 *  object), 0 if it cannot (a file, the console), -1 if it is not open. */
int posix_poll_waitable(int fd);
struct pollfd;
struct timespec;
/** poll() until *deadline (NULL: for ever), or until *epoch is no longer
 *  `seen` (epoch NULL: never), when it returns 0. */
int posix_poll_wait(struct pollfd *fds, unsigned long n, const struct timespec *deadline,
                    const uint64_t *epoch, uint64_t seen);
#endif
