/*
 * sock_stacks.h: sock_stacks.c's calls with lwIP's types (for
 * sock_lwip.c; sock_priv.h has those with plain types).
 */
#ifndef POSIX_SOCK_STACKS_H
#define POSIX_SOCK_STACKS_H
#include "lwip/sockets.h"

int skx_bind(int s, const struct sockaddr *a, socklen_t len);
int skx_connect(int s, const struct sockaddr *a, socklen_t len);
int skx_accept(int s, struct sockaddr *a, socklen_t *len);
int skx_getsockname(int s, struct sockaddr *a, socklen_t *len);
int skx_getpeername(int s, struct sockaddr *a, socklen_t *len);
ssize_t skx_sendto(int s, const void *p, size_t n, int f, const struct sockaddr *to, socklen_t tolen);
ssize_t skx_recvfrom(int s, void *p, size_t n, int f, struct sockaddr *from, socklen_t *fromlen);
ssize_t skx_sendmsg(int s, const struct msghdr *m, int f);
ssize_t skx_recvmsg(int s, struct msghdr *m, int f);
int skx_poll(struct pollfd *fds, nfds_t n, int timeout);
void skx_wake_all(void);
#endif
