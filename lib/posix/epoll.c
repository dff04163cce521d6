/*
 * epoll.c: epoll_create/epoll_ctl/epoll_wait (<sys/epoll.h>) over lwIP's
 * poll.
 *
 * An instance is a file descriptor of the fd table (glue_fd_install) whose
 * file is a struct epoll_inst: the interest list, an array of (socket,
 * events, data) under the instance's mutex. epoll_wait copies the armed
 * entries into a poll set, lets lwip_poll() sleep on all of them (lwIP
 * wakes it from its socket event callback), and reports what is ready:
 * level-triggered, so an fd stays reported while it is ready. EPOLLET is
 * refused (EINVAL, and said once on the console): delivering it level-
 * triggered would pretend. Ready fds beyond
 * `maxevents` are reported first next time (a rotating start), so none
 * starves. EPOLLONESHOT disarms an entry when it is reported.
 *
 * Closing a socket takes it out of every instance (socket.c calls
 * epoll_forget through posix_socket_close_hook), as Linux does when the
 * last reference goes. A wait already sleeping does not see entries
 * added by another thread until it wakes (at most its timeout, or the
 * next event on what it watches).
 */
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>

#include <posix/libc.h>
#include "sock_priv.h"
#include "socket_priv.h"

#define EPOLL_STACK_SET 64
#define EPOLL_EMPTY_MS  10      /* an empty interest list is looked at this often */

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

/* posix_socket_close_hook: `fd` is closing. */
static void epoll_forget(int fd)
{
    pthread_mutex_lock(&epoll_all_lock);
    for (struct epoll_inst *ep = epoll_all; ep; ep = ep->next) {
        pthread_mutex_lock(&ep->lock);
        int i = epoll_find(ep, fd);
        if (i >= 0)
            epoll_remove(ep, i);
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

static ssize_t epoll_rw(void *file, void *buf, size_t n, off_t pos) { return -EINVAL; }
static ssize_t epoll_w(void *file, const void *buf, size_t n, off_t pos) { return -EINVAL; }
static int epoll_fstat(void *file, struct stat *st)
{
    *st = (struct stat){ .st_mode = 0600, .st_nlink = 1 };
    return 0;
}

static const struct vfs_ops epoll_ops = {
    .name = "epoll", .read = epoll_rw, .write = epoll_w, .fstat = epoll_fstat,
    .close = epoll_close,
};

int epoll_create1(int flags)
{
    if (flags & ~EPOLL_CLOEXEC)
        return epoll_fail(EINVAL);
    struct epoll_inst *ep = calloc(1, sizeof *ep);
    if (!ep)
        return epoll_fail(ENOMEM);
    pthread_mutex_init(&ep->lock, NULL);
    int fd = glue_fd_install(&epoll_ops, ep, O_RDWR);
    if (fd < 0) {
        free(ep);
        return epoll_fail(-fd);
    }
    pthread_mutex_lock(&epoll_all_lock);
    ep->next = epoll_all;
    epoll_all = ep;
    pthread_mutex_unlock(&epoll_all_lock);
    __atomic_store_n(&posix_socket_close_hook, epoll_forget, __ATOMIC_RELEASE);
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
    if (fd == epfd)
        return epoll_fail(EINVAL);
    if (!posix_is_socket_fd(fd))
        return epoll_fail(fcntl(fd, F_GETFD) < 0 ? EBADF : EPERM);
    if (lwip_fcntl(fd, F_GETFL, 0) < 0)
        return epoll_fail(EBADF);
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
    pthread_mutex_unlock(&ep->lock);
    return err ? epoll_fail(err) : 0;
}

static short epoll_to_lw(uint32_t ev)
{
    return (short)((ev & (EPOLLIN | EPOLLRDNORM) ? LW_POLLIN : 0) |
                   (ev & (EPOLLOUT | EPOLLWRNORM) ? LW_POLLOUT : 0));
}

static uint32_t epoll_from_lw(short lw, uint32_t asked)
{
    uint32_t ev = 0;
    if (lw & LW_POLLIN) ev |= asked & (EPOLLIN | EPOLLRDNORM);
    if (lw & LW_POLLOUT) ev |= asked & (EPOLLOUT | EPOLLWRNORM);
    if (lw & LW_POLLERR) ev |= EPOLLERR;
    if (lw & LW_POLLHUP) ev |= EPOLLHUP;
    return ev;
}

int epoll_wait(int epfd, struct epoll_event *events, int max, int timeout_ms)
{
    struct epoll_inst *ep = glue_fd_file(epfd, &epoll_ops);
    if (!ep)
        return epoll_fail(fcntl(epfd, F_GETFD) < 0 ? EBADF : EINVAL);
    if (max <= 0 || !events)
        return epoll_fail(EINVAL);
    struct sk_pollfd stack[EPOLL_STACK_SET], *set = stack;
    int cap = EPOLL_STACK_SET;
    for (;;) {
        /* The poll set: armed entries, from the rotating start. */
        pthread_mutex_lock(&ep->lock);
        if (ep->n > cap) {
            if (set != stack)
                free(set);
            cap = ep->n;
            set = malloc((size_t)cap * sizeof *set);
            if (!set) {
                pthread_mutex_unlock(&ep->lock);
                return epoll_fail(ENOMEM);
            }
        }
        int n = 0, start = ep->n ? ep->start % ep->n : 0;
        for (int k = 0; k < ep->n; k++) {
            const struct epoll_item *it = &ep->items[(start + k) % ep->n];
            if (!it->disarmed)
                set[n++] = (struct sk_pollfd){ it->fd, epoll_to_lw(it->events), 0 };
        }
        pthread_mutex_unlock(&ep->lock);

        int r;
        if (n) {
            r = sk_poll(set, (unsigned)n, timeout_ms);
        } else {
            /* Nothing to watch: look again every EPOLL_EMPTY_MS for
             * entries another thread adds, until the timeout. */
            int ms = timeout_ms < 0 || timeout_ms > EPOLL_EMPTY_MS ? EPOLL_EMPTY_MS : timeout_ms;
            if (ms) {
                struct timespec ts = { 0, ms * 1000000L };
                nanosleep(&ts, NULL);
            }
            if (timeout_ms > 0)
                timeout_ms -= ms;
            if (timeout_ms != 0)
                continue;
            r = 0;
        }
        if (r < 0 && errno == EBADF)
            continue;           /* closed meanwhile: epoll_forget took it out */
        if (r < 0) {
            if (set != stack)
                free(set);
            return -1;
        }

        /* Report, in set order, what is still in the list and armed. */
        int got = 0;
        pthread_mutex_lock(&ep->lock);
        for (int k = 0; k < n && got < max; k++) {
            if (!set[k].revents)
                continue;
            int i = epoll_find(ep, set[k].fd);
            if (i < 0 || ep->items[i].disarmed)
                continue;
            struct epoll_item *it = &ep->items[i];
            uint32_t ev = epoll_from_lw(set[k].revents, it->events);
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
        if (set != stack)
            free(set);
        if (got || timeout_ms >= 0 || !r)
            return got;
        set = stack;
        cap = EPOLL_STACK_SET;
    }
}
