/**
 * \file sys/epoll.h
 * \brief epoll over sockets (lib/posix/epoll.c; Linux's values).
 *
 * An epoll instance is a file descriptor; its interest list holds sockets
 * (other fds are refused with EPERM, as Linux refuses regular files).
 * Events are level-triggered. EPOLLET is refused with EINVAL (not delivered level-
 * triggered too (a program written for edge triggering reads until EAGAIN,
 * so it sees at most an extra wake-up); EPOLLONESHOT disarms the fd after
 * one report until EPOLL_CTL_MOD. A closed socket leaves the list.
 */
#ifndef _SYS_EPOLL_H
#define _SYS_EPOLL_H
#include <stdint.h>

#define EPOLLIN         0x001
#define EPOLLPRI        0x002
#define EPOLLOUT        0x004
#define EPOLLERR        0x008
#define EPOLLHUP        0x010
#define EPOLLRDNORM     0x040
#define EPOLLRDBAND     0x080
#define EPOLLWRNORM     0x100
#define EPOLLWRBAND     0x200
#define EPOLLRDHUP      0x2000
#define EPOLLEXCLUSIVE  (1u << 28)
#define EPOLLONESHOT    (1u << 30)
#define EPOLLET         (1u << 31)

#define EPOLL_CTL_ADD   1
#define EPOLL_CTL_DEL   2
#define EPOLL_CTL_MOD   3

#define EPOLL_CLOEXEC   02000000

typedef union epoll_data {
    void *ptr;
    int fd;
    uint32_t u32;
    uint64_t u64;
} epoll_data_t;

struct epoll_event {
    uint32_t events;
    epoll_data_t data;
} __attribute__((__packed__));

int epoll_create(int size);
int epoll_create1(int flags);
int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event);
int epoll_wait(int epfd, struct epoll_event *events, int max, int timeout_ms);
#endif
