/*
 * select.c: poll() and select() over every kind of fd.
 *
 * poll() looks at each fd's object: an lwIP socket goes into a set for
 * lwip_poll(), which sleeps until a socket event or the timeout; a native
 * object (pipe, socket pair) answers its vfs_ops poll now; a regular file
 * or directory is always ready, as POSIX says; the console is ready for
 * writing, never reported ready for reading (its read waits for a key); an
 * fd that is not open is POLLNVAL. With no socket in the set, the wait is
 * posix_ready_wait (ready.h), which a change to any native object ends at
 * once. With both, the wait is lwip_poll, and a change to a native object
 * ends it at once too (posix_ready_mixed_enter: ready.c wakes lwIP's
 * waiters); a change in the instant between the look at the native objects
 * and lwIP's taking the waiter on its list is seen within POLL_SLICE_MS,
 * the longest such a wait sleeps. epoll_wait waits here too (posix_poll_wait), and
 * stops early when its interest list changes. select() is
 * poll() on the fds its sets name, and EBADF for one that is not open.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <posix/libc.h>
#include "ready.h"
#include "sock_priv.h"
#include "socket_priv.h"

#define POLL_SLICE_MS   10      /* lwIP sleeps this long at most while native objects wait too */
#define POLL_STACK_SET  32

_Static_assert(FD_SETSIZE >= GLUE_FD_MAX, "select() covers every fd");

/* Linux's poll bits into lwIP's and back. */
static short poll_to_lw(short ev)
{
    return (short)((ev & (POLLIN | POLLRDNORM) ? LW_POLLIN : 0) |
                   (ev & (POLLOUT | POLLWRNORM) ? LW_POLLOUT : 0));
}

static short poll_from_lw(short lw, short asked)
{
    short ev = 0;
    if (lw & LW_POLLIN) ev |= asked & (POLLIN | POLLRDNORM);
    if (lw & LW_POLLOUT) ev |= asked & (POLLOUT | POLLWRNORM);
    if (lw & LW_POLLERR) ev |= POLLERR;
    if (lw & LW_POLLHUP) ev |= POLLHUP;
    if (lw & LW_POLLNVAL) ev |= POLLNVAL;
    return ev;
}

/* What an object that is not a socket is ready for, of `asked` (POLLHUP
 * and POLLERR always count). */
static short poll_native(struct glue_ofile *of, short asked)
{
    int ev;
    if (of->ops->poll) {
        ev = of->ops->poll(of->file);
    } else {
        struct stat st;
        if (of->ops->fstat(of->file, &st) != 0)
            ev = POLLERR;
        else if (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))
            ev = POLLIN | POLLOUT;
        else if (S_ISCHR(st.st_mode))
            ev = POLLOUT;
        else
            ev = 0;                 /* an epoll instance: never ready here */
    }
    if (ev & POLLIN) ev |= POLLRDNORM;
    if (ev & POLLOUT) ev |= POLLWRNORM;
    return (short)(ev & (asked | POLLHUP | POLLERR));
}

int posix_poll_waitable(int fd)
{
    struct glue_ofile *of = glue_fd_get(fd);
    if (!of)
        return -1;
    int ok = of->ops == &posix_sock_ops || of->ops->poll != NULL;
    glue_fd_put(of);
    return ok;
}

int posix_poll_wait(struct pollfd *fds, nfds_t n, const struct timespec *deadline,
                    const uint64_t *epoch, uint64_t seen)
{
    struct sk_pollfd stack[POLL_STACK_SET], *sk = n <= POLL_STACK_SET ? stack : malloc(n * sizeof *sk);
    unsigned idx_stack[POLL_STACK_SET], *idx = n <= POLL_STACK_SET ? idx_stack : malloc(n * sizeof *idx);
    if (!sk || !idx) {
        if (sk != stack)
            free(sk);
        if (idx != idx_stack)
            free(idx);
        errno = ENOMEM;
        return -1;
    }
    int ready;
    bool mixed = false;                 /* posix_ready_mixed_enter done */
    for (;;) {
        uint64_t gen = posix_ready_gen();
        unsigned ns = 0;
        bool natives = false;
        ready = 0;
        for (nfds_t i = 0; i < n; i++) {
            struct pollfd *p = &fds[i];
            p->revents = 0;
            if (p->fd < 0)
                continue;
            struct glue_ofile *of = glue_fd_get(p->fd);
            if (!of) {
                p->revents = POLLNVAL;
            } else if (of->ops == &posix_sock_ops) {
                sk[ns] = (struct sk_pollfd){ (int)(intptr_t)of->file, poll_to_lw(p->events), 0 };
                idx[ns++] = (unsigned)i;
            } else {
                natives |= of->ops->poll != NULL;
                p->revents = poll_native(of, p->events);
            }
            if (of)
                glue_fd_put(of);
            if (p->revents)
                ready++;
        }
        int left = posix_ms_left(deadline);
        if (ns) {
            int wait = ready ? 0 : natives && (left < 0 || left > POLL_SLICE_MS) ? POLL_SLICE_MS : left;
            if (natives && wait != 0 && !mixed) {
                posix_ready_mixed_enter(sk_wake_pollers);
                mixed = true;
                continue;               /* look at the native objects once more, now seen */
            }
            if (mixed && posix_ready_gen() != gen)
                wait = 0;               /* a native object changed since the look */
            int r = sk_poll(sk, ns, wait);
            if (r < 0 && errno == EBADF)
                continue;           /* closed meanwhile: POLLNVAL next time round */
            if (r < 0) {
                ready = -1;
                break;
            }
            for (unsigned j = 0; j < ns; j++) {
                fds[idx[j]].revents = poll_from_lw(sk[j].revents, fds[idx[j]].events);
                if (fds[idx[j]].revents)
                    ready++;
            }
            left = posix_ms_left(deadline);
        } else if (!ready && left != 0) {
            posix_ready_wait(gen, deadline);
            left = posix_ms_left(deadline);
        }
        if (ready || left == 0 || (epoch && __atomic_load_n(epoch, __ATOMIC_ACQUIRE) != seen))
            break;
    }
    if (mixed)
        posix_ready_mixed_leave();
    if (sk != stack)
        free(sk);
    if (idx != idx_stack)
        free(idx);
    return ready;
}

int poll(struct pollfd *fds, nfds_t n, int timeout_ms)
{
    if (n > GLUE_FD_MAX) {
        errno = EINVAL;
        return -1;
    }
    if (n && !fds) {
        errno = EFAULT;
        return -1;
    }
    struct timespec when;
    return posix_poll_wait(fds, n, posix_deadline(timeout_ms, &when), NULL, 0);
}

int select(int nfds, fd_set *r, fd_set *w, fd_set *e, struct timeval *tv)
{
    if (nfds < 0 || nfds > FD_SETSIZE || (tv && (tv->tv_sec < 0 || tv->tv_usec < 0))) {
        errno = EINVAL;
        return -1;
    }
    struct pollfd *p = malloc((nfds ? (size_t)nfds : 1) * sizeof *p);
    if (!p) {
        errno = ENOMEM;
        return -1;
    }
    nfds_t n = 0;
    for (int fd = 0; fd < nfds; fd++) {
        short ev = (short)((r && FD_ISSET(fd, r) ? POLLIN : 0) | (w && FD_ISSET(fd, w) ? POLLOUT : 0) |
                           (e && FD_ISSET(fd, e) ? POLLPRI : 0));
        if (ev)
            p[n++] = (struct pollfd){ .fd = fd, .events = ev };
    }
    long long ms = tv ? tv->tv_sec * 1000LL + (tv->tv_usec + 999) / 1000 : -1;
    int got = poll(p, n, ms > 0x7fffffff ? 0x7fffffff : (int)ms);
    for (nfds_t i = 0; got >= 0 && i < n; i++)
        if (p[i].revents & POLLNVAL) {
            errno = EBADF;
            got = -1;
        }
    if (got >= 0) {
        if (r) FD_ZERO(r);
        if (w) FD_ZERO(w);
        if (e) FD_ZERO(e);
        got = 0;
        for (nfds_t i = 0; i < n; i++) {
            short ev = p[i].revents, asked = p[i].events;
            if ((asked & POLLIN) && (ev & (POLLIN | POLLHUP | POLLERR))) { FD_SET(p[i].fd, r); got++; }
            if ((asked & POLLOUT) && (ev & (POLLOUT | POLLERR))) { FD_SET(p[i].fd, w); got++; }
            if ((asked & POLLPRI) && (ev & POLLPRI)) { FD_SET(p[i].fd, e); got++; }
        }
    }
    free(p);
    return got;
}
