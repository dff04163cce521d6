/*
 * select.c: select() and poll() over sockets and the fd table's files.
 *
 * Sockets go to lwIP's lwip_select()/lwip_poll(), which sleep until a
 * socket event or the timeout. Files of the fd table (memfs) are always
 * ready, as regular files are; the console (fds 0-2) is ready for writing,
 * never reported ready for reading (its read() waits for a key anyway).
 * When a file is ready, the sockets are only looked at (timeout 0). A fd
 * that is not open is EBADF for select() and POLLNVAL for poll().
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
#include "sock_priv.h"
#include "socket_priv.h"

/* lwIP's highest socket number + 1 (LWIP_SOCKET_OFFSET + MEMP_NUM_NETCONN). */
#define SELECT_LWIP_MAXFD 240

static bool sel_open(int fd)
{
    struct stat st;
    return fstat(fd, &st) == 0;
}

/* Sleep for a select/poll with nothing to watch; `ms` < 0: for ever. */
static void sel_sleep(long long ms)
{
    struct timespec ts = { .tv_sec = ms < 0 ? 3600 : ms / 1000, .tv_nsec = ms < 0 ? 0 : (ms % 1000) * 1000000 };
    do
        nanosleep(&ts, NULL);
    while (ms < 0);
}

int select(int nfds, fd_set *r, fd_set *w, fd_set *e, struct timeval *tv)
{
    if (nfds < 0 || nfds > FD_SETSIZE || (tv && (tv->tv_sec < 0 || tv->tv_usec < 0))) {
        errno = EINVAL;
        return -1;
    }
    fd_set fr, fw, fe;          /* the files' answer */
    FD_ZERO(&fr);
    FD_ZERO(&fw);
    FD_ZERO(&fe);
    int files_ready = 0;
    bool sockets = false;
    for (int fd = 0; fd < nfds; fd++) {
        bool in_r = r && FD_ISSET(fd, r), in_w = w && FD_ISSET(fd, w), in_e = e && FD_ISSET(fd, e);
        if (!in_r && !in_w && !in_e)
            continue;
        if (posix_is_socket_fd(fd)) {
            if (fd >= SELECT_LWIP_MAXFD || !glue_sockets) {
                errno = EBADF;
                return -1;
            }
            sockets = true;
            continue;
        }
        if (!sel_open(fd)) {
            errno = EBADF;
            return -1;
        }
        if (in_r && fd > 2) {
            FD_SET(fd, &fr);
            files_ready++;
        }
        if (in_w) {
            FD_SET(fd, &fw);
            files_ready++;
        }
    }
    int n = 0;
    if (sockets) {
        /* lwIP sees only the socket bits. */
        for (int fd = 0; fd < GLUE_SOCKET_FD_MIN && fd < nfds; fd++) {
            if (r) FD_CLR(fd, r);
            if (w) FD_CLR(fd, w);
            if (e) FD_CLR(fd, e);
        }
        struct timeval zero = { 0, 0 };
        n = lwip_select(nfds < SELECT_LWIP_MAXFD ? nfds : SELECT_LWIP_MAXFD, r, w, e,
                        files_ready ? &zero : tv);
        if (n < 0)
            return -1;
    } else {
        if (!files_ready && (!tv || tv->tv_sec || tv->tv_usec))
            sel_sleep(tv ? tv->tv_sec * 1000LL + tv->tv_usec / 1000 : -1);
        if (r) FD_ZERO(r);
        if (w) FD_ZERO(w);
        if (e) FD_ZERO(e);
    }
    for (int fd = 0; fd < GLUE_SOCKET_FD_MIN && fd < nfds; fd++) {
        if (r && FD_ISSET(fd, &fr)) FD_SET(fd, r);
        if (w && FD_ISSET(fd, &fw)) FD_SET(fd, w);
    }
    return n + files_ready;
}

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

int poll(struct pollfd *fds, nfds_t n, int timeout_ms)
{
    if (n > FD_SETSIZE) {
        errno = EINVAL;
        return -1;
    }
    struct sk_pollfd stack[32], *sk = n <= 32 ? stack : malloc(n * sizeof *sk);
    unsigned *idx = NULL, idx_stack[32];
    if (!sk || !(idx = n <= 32 ? idx_stack : malloc(n * sizeof *idx))) {
        if (sk != stack)
            free(sk);
        errno = ENOMEM;
        return -1;
    }
    int ready = 0;
    unsigned ns = 0;
    for (nfds_t i = 0; i < n; i++) {
        struct pollfd *p = &fds[i];
        p->revents = 0;
        if (p->fd < 0)
            continue;
        if (posix_is_socket_fd(p->fd) && p->fd < SELECT_LWIP_MAXFD && glue_sockets) {
            sk[ns] = (struct sk_pollfd){ p->fd, poll_to_lw(p->events), 0 };
            idx[ns++] = (unsigned)i;
            continue;
        }
        if (!sel_open(p->fd))
            p->revents = POLLNVAL;
        else
            p->revents = p->events & ((p->fd > 2 ? POLLIN | POLLRDNORM : 0) | POLLOUT | POLLWRNORM);
        if (p->revents)
            ready++;
    }
    int r = 0;
    if (ns) {
        r = sk_poll(sk, ns, ready ? 0 : timeout_ms);
        if (r < 0 && errno == EBADF) {
            /* A closed socket: POLLNVAL for it, the others looked at once more. */
            unsigned k = 0;
            for (unsigned j = 0; j < ns; j++) {
                if (lwip_fcntl(sk[j].fd, F_GETFL, 0) < 0) {
                    fds[idx[j]].revents = POLLNVAL;
                    ready++;
                } else {
                    sk[k] = sk[j];
                    idx[k++] = idx[j];
                }
            }
            ns = k;
            r = ns ? sk_poll(sk, ns, 0) : 0;
        }
        if (r >= 0) {
            r = 0;
            for (unsigned j = 0; j < ns; j++) {
                fds[idx[j]].revents = poll_from_lw(sk[j].revents, fds[idx[j]].events);
                if (fds[idx[j]].revents)
                    r++;
            }
        }
    } else if (!ready && timeout_ms != 0) {
        sel_sleep(timeout_ms);
    }
    if (sk != stack)
        free(sk);
    if (idx != idx_stack)
        free(idx);
    return r < 0 ? -1 : r + ready;
}
