/*
 * socket_priv.h: what socket.c shares with select.c and epoll.c.
 */
#ifndef POSIX_SOCKET_PRIV_H
#define POSIX_SOCKET_PRIV_H
#include <stdbool.h>

/** Is `fd` in the range of socket numbers (open or not)? */
bool posix_is_socket_fd(int fd);
/** Called with a socket's fd just before it closes (epoll.c sets it). */
extern void (*posix_socket_close_hook)(int fd);
#endif
