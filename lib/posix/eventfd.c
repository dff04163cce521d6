/*
 * eventfd.c: eventfd, eventfd_read, eventfd_write (<sys/eventfd.h>): a
 * 64-bit counter behind an fd, as Linux's eventfd(2) says.
 *
 * write(8 bytes) adds to the counter (waiting, or EAGAIN, while the sum
 * would pass 2^64 - 2; 2^64 - 1 itself is EINVAL); read(8 bytes) takes
 * the whole counter, or 1 of it with EFD_SEMAPHORE, waiting (or EAGAIN)
 * while it is 0; a buffer under 8 bytes is EINVAL. It is readable while
 * the counter is not 0 and writable while 1 more fits. Like pipes
 * (pipe.c), it is a stream of the fd table with a poll op, and every
 * change calls posix_ready_notify, so poll/select/epoll see it and a
 * write on one thread ends a wait on another.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <posix/libc.h>
#include "ready.h"

#define EVENTFD_MAX UINT64_C(0xfffffffffffffffe)

struct eventfd {
    pthread_mutex_t lock;
    uint64_t count;             /* under lock */
    bool semaphore;
};

static ssize_t eventfd_rd(void *file, void *buf, size_t n, off_t pos, int flags)
{
    struct eventfd *e = file;
    if (n < sizeof(uint64_t))
        return -EINVAL;
    for (;;) {
        uint64_t gen = posix_ready_gen(), got = 0;
        pthread_mutex_lock(&e->lock);
        if (e->count) {
            got = e->semaphore ? 1 : e->count;
            e->count -= got;
        }
        pthread_mutex_unlock(&e->lock);
        if (got) {
            memcpy(buf, &got, sizeof got);
            posix_ready_notify();       /* room for writers */
            return sizeof got;
        }
        if (flags & O_NONBLOCK)
            return -EAGAIN;
        posix_ready_wait(gen, NULL);
    }
}

static ssize_t eventfd_wr(void *file, const void *buf, size_t n, off_t pos, int flags)
{
    struct eventfd *e = file;
    uint64_t add;
    if (n < sizeof add)
        return -EINVAL;
    memcpy(&add, buf, sizeof add);
    if (add == UINT64_MAX)
        return -EINVAL;
    for (;;) {
        uint64_t gen = posix_ready_gen();
        pthread_mutex_lock(&e->lock);
        bool fits = add <= EVENTFD_MAX - e->count;
        if (fits)
            e->count += add;
        pthread_mutex_unlock(&e->lock);
        if (fits) {
            if (add)
                posix_ready_notify();
            return sizeof add;
        }
        if (flags & O_NONBLOCK)
            return -EAGAIN;
        posix_ready_wait(gen, NULL);
    }
}

static int eventfd_poll(void *file)
{
    struct eventfd *e = file;
    pthread_mutex_lock(&e->lock);
    int ev = (e->count ? POLLIN : 0) | (e->count < EVENTFD_MAX ? POLLOUT : 0);
    pthread_mutex_unlock(&e->lock);
    return ev;
}

static int eventfd_fstat(void *file, struct stat *st)
{
    *st = (struct stat){ .st_mode = 0600, .st_nlink = 1 };     /* Linux: an anonymous inode */
    return 0;
}

static int eventfd_close(void *file)
{
    struct eventfd *e = file;
    pthread_mutex_destroy(&e->lock);
    free(e);
    return 0;
}

static const struct vfs_ops eventfd_ops = {
    .name = "eventfd", .kind = VFS_STREAM, .read = eventfd_rd, .write = eventfd_wr,
    .fstat = eventfd_fstat, .close = eventfd_close, .poll = eventfd_poll,
};

int eventfd(unsigned int initval, int flags)
{
    if (flags & ~(EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK)) {
        errno = EINVAL;
        return -1;
    }
    struct eventfd *e = calloc(1, sizeof *e);
    if (!e) {
        errno = ENOMEM;
        return -1;
    }
    pthread_mutex_init(&e->lock, NULL);
    e->count = initval;
    e->semaphore = flags & EFD_SEMAPHORE;
    int fl = O_RDWR | (flags & EFD_NONBLOCK ? O_NONBLOCK : 0) | (flags & EFD_CLOEXEC ? O_CLOEXEC : 0);
    int fd = glue_fd_install(&eventfd_ops, e, fl);
    if (fd < 0) {
        eventfd_close(e);
        errno = -fd;
        return -1;
    }
    return fd;
}

int eventfd_read(int fd, eventfd_t *value)
{
    return read(fd, value, sizeof *value) == sizeof *value ? 0 : -1;
}

int eventfd_write(int fd, eventfd_t value)
{
    return write(fd, &value, sizeof value) == sizeof value ? 0 : -1;
}
