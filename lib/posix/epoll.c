/*
 * epoll.c: epoll_create/epoll_ctl/epoll_wait (<sys/epoll.h>) over
 * posix_poll_wait (select.c).
 *
 * An instance is a file descriptor of the fd table (glue_fd_install) whose
 * file is a struct epoll_inst: the interest list, an array of (fd, events,
 * data) under the instance's mutex. Any fd that can become ready may join
 * it: lwIP sockets, pipes, socket pairs (regular files cannot: EPERM, as on
 * Linux). epoll_wait copies the armed entries into a poll set and waits in
 * posix_poll_wait, which wakes at once for a change to a pipe or pair and
 * for a change to this interest list when the set holds no socket (within
 * select.c's slice when it holds both); a wait on sockets alone sleeps in
 * lwIP and sees entries another thread adds only when it wakes.
 * Level-triggered: an fd stays reported while it is ready. EPOLLET is
 * refused (EINVAL, and said once on the console): delivering it level-
 * triggered would pretend. Ready fds beyond `maxevents` are reported first
 * next time (a rotating start), so none starves. EPOLLONESHOT disarms an
 * entry when it is reported.
 *
 * Closing an fd takes it out of every instance (the fd table calls
 * epoll_forget through glue_fd_close_hook). Linux keys an entry by the
 * open file and keeps it while a dup() of the fd lives; here it goes with
 * the fd it was added under.
 */
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>

#include <libos/cyclestat.h>
#include <posix/libc.h>
#include "ready.h"
#include "socket_priv.h"

#define EPOLL_STACK_SET 64

_Static_assert(EPOLLIN == POLLIN && EPOLLPRI == POLLPRI && EPOLLOUT == POLLOUT &&
               EPOLLERR == POLLERR && EPOLLHUP == POLLHUP && EPOLLRDNORM == POLLRDNORM &&
               EPOLLWRNORM == POLLWRNORM && EPOLLRDHUP == POLLRDHUP,
               "epoll's event bits are poll's, as on Linux");
#define EPOLL_POLL_BITS (EPOLLIN | EPOLLPRI | EPOLLOUT | EPOLLRDNORM | EPOLLWRNORM | EPOLLRDHUP)

struct epoll_item {
    int fd;
    uint32_t events;            /* what the caller asked for, with the flags */
    bool disarmed;              /* EPOLLONESHOT reported */
    epoll_data_t data;
};

struct epoll_inst {
    pthread_mutex_t lock;
    struct epoll_item *items;
    int n, cap;
    int start;                  /* rotating first entry of the next report */
    uint64_t epoch;             /* moves at every change of the list (atomic) */
    struct epoll_inst *next;    /* epoll_all */
};

/* All instances, for epoll_forget. */
static pthread_mutex_t epoll_all_lock = PTHREAD_MUTEX_INITIALIZER;
static struct epoll_inst *epoll_all;

static int epoll_fail(int err)
{
    errno = err;
    return -1;
}

static int epoll_find(struct epoll_inst *ep, int fd)
{
    for (int i = 0; i < ep->n; i++)
        if (ep->items[i].fd == fd)
            return i;
    return -1;
}

static void epoll_remove(struct epoll_inst *ep, int i)
{
    ep->items[i] = ep->items[--ep->n];
}

/* The list changed (the caller holds ep->lock): a waiter looks again. */
static void epoll_changed(struct epoll_inst *ep)
{
    __atomic_add_fetch(&ep->epoch, 1, __ATOMIC_RELEASE);
}

/* glue_fd_close_hook: `fd` is gone from the table. */
static void epoll_forget(int fd)
{
    pthread_mutex_lock(&epoll_all_lock);
    for (struct epoll_inst *ep = epoll_all; ep; ep = ep->next) {
        pthread_mutex_lock(&ep->lock);
        int i = epoll_find(ep, fd);
        if (i >= 0) {
            epoll_remove(ep, i);
            epoll_changed(ep);
        }
        pthread_mutex_unlock(&ep->lock);
    }
    pthread_mutex_unlock(&epoll_all_lock);
}

static int epoll_close(void *file)
{
    struct epoll_inst *ep = file;
    pthread_mutex_lock(&epoll_all_lock);
    for (struct epoll_inst **pp = &epoll_all; *pp; pp = &(*pp)->next)
        if (*pp == ep) {
            *pp = ep->next;
            break;
        }
    pthread_mutex_unlock(&epoll_all_lock);
    free(ep->items);
    free(ep);
    return 0;
}

static ssize_t epoll_r(void *file, void *buf, size_t n, off_t pos, int flags) { return -EINVAL; }
static ssize_t epoll_w(void *file, const void *buf, size_t n, off_t pos, int flags) { return -EINVAL; }
static int epoll_fstat(void *file, struct stat *st)
{
    *st = (struct stat){ .st_mode = 0600, .st_nlink = 1 };
    return 0;
}

static const struct vfs_ops epoll_ops = {
    .name = "epoll", .kind = VFS_STREAM, .read = epoll_r, .write = epoll_w,
    .fstat = epoll_fstat, .close = epoll_close,
};

int epoll_create1(int flags)
{
    if (flags & ~EPOLL_CLOEXEC)
        return epoll_fail(EINVAL);
    struct epoll_inst *ep = calloc(1, sizeof *ep);
    if (!ep)
        return epoll_fail(ENOMEM);
    pthread_mutex_init(&ep->lock, NULL);
    int fd = glue_fd_install(&epoll_ops, ep, O_RDWR | (flags & EPOLL_CLOEXEC ? O_CLOEXEC : 0));
    if (fd < 0) {
        free(ep);
        return epoll_fail(-fd);
    }
    pthread_mutex_lock(&epoll_all_lock);
    ep->next = epoll_all;
    epoll_all = ep;
    pthread_mutex_unlock(&epoll_all_lock);
    __atomic_store_n(&glue_fd_close_hook, epoll_forget, __ATOMIC_RELEASE);
    return fd;
}

int epoll_create(int size)
{
    return size <= 0 ? epoll_fail(EINVAL) : epoll_create1(0);
}

int epoll_ctl(int epfd, int op, int fd, struct epoll_event *ev)
{
    struct epoll_inst *ep = glue_fd_file(epfd, &epoll_ops);
    if (!ep)
        return epoll_fail(fcntl(epfd, F_GETFD) < 0 ? EBADF : EINVAL);
    int waitable = posix_poll_waitable(fd);
    if (waitable < 0)
        return epoll_fail(EBADF);
    if (fd == epfd)
        return epoll_fail(EINVAL);
    if (!waitable)
        return epoll_fail(EPERM);       /* a regular file, the console, an epoll instance */
    if (op != EPOLL_CTL_DEL && !ev)
        return epoll_fail(EFAULT);
    if (op != EPOLL_CTL_DEL && (ev->events & EPOLLET)) {
        static bool said;
        if (!said)
            printf("epoll: EPOLLET refused (EINVAL): only level-triggered events are implemented\n");
        said = true;
        return epoll_fail(EINVAL);
    }
    int err = 0;
    pthread_mutex_lock(&ep->lock);
    int i = epoll_find(ep, fd);
    switch (op) {
    case EPOLL_CTL_ADD:
        if (i >= 0) {
            err = EEXIST;
            break;
        }
        if (ep->n == ep->cap) {
            int cap = ep->cap ? 2 * ep->cap : 16;
            struct epoll_item *items = realloc(ep->items, (size_t)cap * sizeof *items);
            if (!items) {
                err = ENOMEM;
                break;
            }
            ep->items = items;
            ep->cap = cap;
        }
        ep->items[ep->n++] = (struct epoll_item){ .fd = fd, .events = ev->events, .data = ev->data };
        break;
    case EPOLL_CTL_MOD:
        if (i < 0)
            err = ENOENT;
        else
            ep->items[i] = (struct epoll_item){ .fd = fd, .events = ev->events, .data = ev->data };
        break;
    case EPOLL_CTL_DEL:
        if (i < 0)
            err = ENOENT;
        else
            epoll_remove(ep, i);
        break;
    default:
        err = EINVAL;
        break;
    }
    if (!err)
        epoll_changed(ep);
    pthread_mutex_unlock(&ep->lock);
    if (!err)
        posix_ready_notify();           /* a waiter on native objects looks again */
    return err ? epoll_fail(err) : 0;
}

int epoll_wait(int epfd, struct epoll_event *events, int max, int timeout_ms)
{
    struct epoll_inst *ep = glue_fd_file(epfd, &epoll_ops);
    if (!ep)
        return epoll_fail(fcntl(epfd, F_GETFD) < 0 ? EBADF : EINVAL);
    if (max <= 0 || !events)
        return epoll_fail(EINVAL);
    struct pollfd stack[EPOLL_STACK_SET], *set = stack;
    int cap = EPOLL_STACK_SET;
    struct timespec when;
    const struct timespec *deadline = posix_deadline(timeout_ms, &when);
    int got = 0;
    cyclestat_stamp(CYC_POLL);
    for (;;) {
        /* The poll set: armed entries, from the rotating start. */
        pthread_mutex_lock(&ep->lock);
        if (ep->n > cap) {
            struct pollfd *bigger = malloc((size_t)ep->n * sizeof *bigger);
            if (!bigger) {
                pthread_mutex_unlock(&ep->lock);
                got = epoll_fail(ENOMEM);
                break;
            }
            if (set != stack)
                free(set);
            set = bigger;
            cap = ep->n;
        }
        uint64_t seen = ep->epoch;
        int n = 0, start = ep->n ? ep->start % ep->n : 0;
        for (int k = 0; k < ep->n; k++) {
            const struct epoll_item *it = &ep->items[(start + k) % ep->n];
            if (!it->disarmed)
                set[n++] = (struct pollfd){ .fd = it->fd, .events = (short)(it->events & EPOLL_POLL_BITS) };
        }
        pthread_mutex_unlock(&ep->lock);

        int r = posix_poll_wait(set, (unsigned long)n, deadline, &ep->epoch, seen);
        if (r < 0) {
            got = -1;
            break;
        }

        /* Report, in set order, what is still in the list and armed. */
        pthread_mutex_lock(&ep->lock);
        for (int k = 0; k < n && got < max; k++) {
            short rev = set[k].revents & ~POLLNVAL;     /* NVAL: closed meanwhile, forgotten */
            if (!rev)
                continue;
            int i = epoll_find(ep, set[k].fd);
            if (i < 0 || ep->items[i].disarmed)
                continue;
            struct epoll_item *it = &ep->items[i];
            uint32_t ev = (uint32_t)rev & (it->events | EPOLLERR | EPOLLHUP);
            if (!ev)
                continue;
            events[got].events = ev;
            events[got].data = it->data;
            got++;
            if (it->events & EPOLLONESHOT)
                it->disarmed = true;
            ep->start = i + 1;  /* next time, begin after the last reported */
        }
        pthread_mutex_unlock(&ep->lock);
        if (got || posix_ms_left(deadline) == 0)
            break;
    }
    if (set != stack)
        free(set);
    if (cyclestat_every) {
        cyclestat_stamp(CYC_POLLED);
        cyclestat_add(CYCN_POLLS, 1);
        cyclestat_add(CYCN_READY, got > 0 ? (unsigned)got : 0);
    }
    return got;
}
