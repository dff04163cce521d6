/*
 * pipe.c: pipes and socket pairs, objects of the library OS itself
 * (pipe, pipe2, socketpair(AF_UNIX, SOCK_STREAM)).
 *
 * A struct pipe_buf is one direction: a ring of PIPE_CAPACITY bytes with
 * the number of ends reading and writing it, under its mutex. A pipe is
 * one buffer with a read end and a write end; a socket pair is two
 * buffers, each end reading one and writing the other. An end is the fd
 * table's file (pipe_ops, a stream), so dup, close, fcntl(O_NONBLOCK),
 * read and write work as on Linux; poll, select and epoll ask pipe_poll.
 * Every change that can make an end ready calls posix_ready_notify
 * (ready.h), and a blocked read or write sleeps in posix_ready_wait.
 *
 * As POSIX says: a write of at most PIPE_BUF bytes is atomic; reading an
 * empty buffer with no writer left is end-of-file; writing with no reader
 * left is EPIPE (there are no asynchronous signals, so no SIGPIPE);
 * O_NONBLOCK gives EAGAIN instead of waiting. The buffer goes when both
 * directions have no end left.
 */
#define _GNU_SOURCE         /* pipe2, as glibc declares it */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <posix/libc.h>
#include "pipe_priv.h"
#include "ready.h"

#define PIPE_CAPACITY 65536     /* Linux's default pipe size */

struct pipe_buf {
    pthread_mutex_t lock;
    /* Under lock: */
    unsigned char *data;
    size_t head, len;           /* the ring's first byte and its fill */
    int readers, writers;       /* ends that read or write it, not shut down */
    int refs;                   /* ends attached (shut down or not) */
};

struct pipe_end {
    struct pipe_buf *rx, *tx;   /* what it reads and writes; NULL: not this way */
    bool pair;                  /* a socketpair end (else a pipe's) */
    bool rd_shut, wr_shut;      /* shutdown() or close() done (atomic exchange) */
};

static int pipe_fail(int err)
{
    errno = err;
    return -1;
}

static struct pipe_buf *pipe_buf_new(void)
{
    struct pipe_buf *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    if (!(b->data = malloc(PIPE_CAPACITY))) {
        free(b);
        return NULL;
    }
    pthread_mutex_init(&b->lock, NULL);
    b->readers = b->writers = 1;
    b->refs = 2;
    return b;
}

/* One end stops reading (reader) or writing `b`. */
static void pipe_buf_drop(struct pipe_buf *b, bool reader)
{
    pthread_mutex_lock(&b->lock);
    if (reader)
        b->readers--;
    else
        b->writers--;
    pthread_mutex_unlock(&b->lock);
}

/* An end lets go of `b` (at its close); the last one frees it. */
static void pipe_buf_unref(struct pipe_buf *b)
{
    pthread_mutex_lock(&b->lock);
    bool last = --b->refs == 0;
    pthread_mutex_unlock(&b->lock);
    if (last) {
        pthread_mutex_destroy(&b->lock);
        free(b->data);
        free(b);
    }
}

static void pipe_shut(struct pipe_end *e, bool rd, bool wr)
{
    if (rd && e->rx && !__atomic_exchange_n(&e->rd_shut, true, __ATOMIC_ACQ_REL))
        pipe_buf_drop(e->rx, true);
    if (wr && e->tx && !__atomic_exchange_n(&e->wr_shut, true, __ATOMIC_ACQ_REL))
        pipe_buf_drop(e->tx, false);
    posix_ready_notify();
}

static ssize_t pipe_read(void *file, void *buf, size_t n, off_t pos, int flags)
{
    struct pipe_end *e = file;
    if (!e->rx)
        return -EBADF;
    if (n == 0)
        return 0;
    for (;;) {
        uint64_t gen = posix_ready_gen();
        if (__atomic_load_n(&e->rd_shut, __ATOMIC_ACQUIRE))
            return 0;
        struct pipe_buf *b = e->rx;
        pthread_mutex_lock(&b->lock);
        size_t got = b->len < n ? b->len : n;
        for (size_t k = 0; k < got; k++)
            ((unsigned char *)buf)[k] = b->data[(b->head + k) % PIPE_CAPACITY];
        b->head = (b->head + got) % PIPE_CAPACITY;
        b->len -= got;
        bool eof = !got && b->writers == 0;
        pthread_mutex_unlock(&b->lock);
        if (got) {
            posix_ready_notify();       /* room for writers */
            return (ssize_t)got;
        }
        if (eof)
            return 0;
        if (flags & O_NONBLOCK)
            return -EAGAIN;
        posix_ready_wait(gen, NULL);
    }
}

static ssize_t pipe_write(void *file, const void *buf, size_t n, off_t pos, int flags)
{
    struct pipe_end *e = file;
    if (!e->tx)
        return -EBADF;
    if (n == 0)
        return 0;
    size_t done = 0;
    for (;;) {
        uint64_t gen = posix_ready_gen();
        if (__atomic_load_n(&e->wr_shut, __ATOMIC_ACQUIRE))
            return done ? (ssize_t)done : -EPIPE;
        struct pipe_buf *b = e->tx;
        pthread_mutex_lock(&b->lock);
        if (b->readers == 0) {
            pthread_mutex_unlock(&b->lock);
            return done ? (ssize_t)done : -EPIPE;
        }
        size_t room = PIPE_CAPACITY - b->len, want = n - done, k = 0;
        /* At most PIPE_BUF bytes go in one piece, or wait. */
        if (room >= want || (n > PIPE_BUF && room > 0))
            k = room < want ? room : want;
        for (size_t i = 0; i < k; i++)
            b->data[(b->head + b->len + i) % PIPE_CAPACITY] = ((const unsigned char *)buf)[done + i];
        b->len += k;
        pthread_mutex_unlock(&b->lock);
        done += k;
        if (k)
            posix_ready_notify();
        if (done == n)
            return (ssize_t)n;
        if (flags & O_NONBLOCK)
            return done ? (ssize_t)done : -EAGAIN;
        posix_ready_wait(gen, NULL);
    }
}

static int pipe_poll(void *file)
{
    struct pipe_end *e = file;
    int ev = 0;
    if (e->rx) {
        pthread_mutex_lock(&e->rx->lock);
        if (e->rx->len || __atomic_load_n(&e->rd_shut, __ATOMIC_ACQUIRE))
            ev |= POLLIN;
        if (e->rx->writers == 0)        /* end-of-file is readable; a pair's */
            ev |= POLLIN | POLLHUP | (e->pair ? POLLRDHUP : 0);    /* peer shut down */
        pthread_mutex_unlock(&e->rx->lock);
    }
    if (e->tx) {
        pthread_mutex_lock(&e->tx->lock);
        if (e->tx->readers == 0 || __atomic_load_n(&e->wr_shut, __ATOMIC_ACQUIRE))
            ev |= e->pair ? POLLOUT | POLLHUP : POLLERR;   /* a write would fail: say so */
        else if (PIPE_CAPACITY - e->tx->len >= PIPE_BUF)
            ev |= POLLOUT;
        pthread_mutex_unlock(&e->tx->lock);
    }
    return ev;
}

static int pipe_fstat(void *file, struct stat *st)
{
    struct pipe_end *e = file;
    *st = (struct stat){ .st_mode = (e->pair ? S_IFSOCK : S_IFIFO) | 0600, .st_nlink = 1,
                         .st_blksize = PIPE_BUF };
    return 0;
}

static int pipe_close(void *file)
{
    struct pipe_end *e = file;
    pipe_shut(e, true, true);
    if (e->rx)
        pipe_buf_unref(e->rx);
    if (e->tx)
        pipe_buf_unref(e->tx);
    free(e);
    return 0;
}

static const struct vfs_ops pipe_ops = {
    .name = "pipe", .kind = VFS_STREAM, .read = pipe_read, .write = pipe_write,
    .fstat = pipe_fstat, .close = pipe_close, .poll = pipe_poll,
};

/* Two ends into the fd table (fds[0], fds[1]), or -1 with errno and
 * nothing left behind. */
static int pipe_install(struct pipe_end *a, int fa, struct pipe_end *b, int fb, int fds[2])
{
    int x = glue_fd_install(&pipe_ops, a, fa);
    if (x < 0) {
        pipe_close(a);
        pipe_close(b);
        return pipe_fail(-x);
    }
    int y = glue_fd_install(&pipe_ops, b, fb);
    if (y < 0) {
        close(x);
        pipe_close(b);
        return pipe_fail(-y);
    }
    fds[0] = x;
    fds[1] = y;
    return 0;
}

int pipe2(int fds[2], int flags)
{
    if (!fds)
        return pipe_fail(EFAULT);
    if (flags & ~(O_NONBLOCK | O_CLOEXEC))
        return pipe_fail(EINVAL);
    struct pipe_buf *b = pipe_buf_new();
    struct pipe_end *r = calloc(1, sizeof *r), *w = calloc(1, sizeof *w);
    if (!b || !r || !w) {
        if (b) {
            free(b->data);
            free(b);
        }
        free(r);
        free(w);
        return pipe_fail(ENFILE);       /* POSIX's "no room for another pipe" */
    }
    r->rx = b;
    w->tx = b;
    return pipe_install(r, O_RDONLY | flags, w, O_WRONLY | flags, fds);
}

int pipe(int fds[2])
{
    return pipe2(fds, 0);
}

int socketpair(int domain, int type, int protocol, int sv[2])
{
    int kind = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (domain != AF_UNIX)
        return pipe_fail(domain == AF_INET ? EOPNOTSUPP : EAFNOSUPPORT);
    if (kind != SOCK_STREAM) {
        static bool said;
        if (!said)
            printf("socketpair: only SOCK_STREAM pairs are implemented (type %d: EOPNOTSUPP)\n", kind);
        said = true;
        return pipe_fail(kind == SOCK_DGRAM || kind == SOCK_SEQPACKET ? EOPNOTSUPP : EPROTOTYPE);
    }
    if (protocol != 0)
        return pipe_fail(EPROTONOSUPPORT);
    if (!sv)
        return pipe_fail(EFAULT);
    struct pipe_buf *ab = pipe_buf_new(), *ba = pipe_buf_new();
    struct pipe_end *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    if (!ab || !ba || !a || !b) {
        for (struct pipe_buf **p = (struct pipe_buf *[]){ ab, ba }, **q = p + 2; p < q; p++)
            if (*p) {
                free((*p)->data);
                free(*p);
            }
        free(a);
        free(b);
        return pipe_fail(ENFILE);
    }
    *a = (struct pipe_end){ .rx = ba, .tx = ab, .pair = true };
    *b = (struct pipe_end){ .rx = ab, .tx = ba, .pair = true };
    int flags = O_RDWR | (type & SOCK_NONBLOCK ? O_NONBLOCK : 0) | (type & SOCK_CLOEXEC ? O_CLOEXEC : 0);
    return pipe_install(a, flags, b, flags, sv);
}

/* --- For socket.c --- */

static struct pipe_end *pipe_pair(int fd)
{
    struct pipe_end *e = glue_fd_file(fd, &pipe_ops);
    return e && e->pair ? e : NULL;
}

bool posix_pipe_is_pair(int fd)
{
    return pipe_pair(fd) != NULL;
}

static ssize_t pair_io(int fd, void *buf, size_t n, int flags, bool send)
{
    if (flags & ~(MSG_DONTWAIT | MSG_NOSIGNAL))
        return pipe_fail(EOPNOTSUPP);
    struct glue_ofile *of = glue_fd_get(fd);
    if (!of)
        return pipe_fail(EBADF);
    int fl = of->flags | (flags & MSG_DONTWAIT ? O_NONBLOCK : 0);
    ssize_t got = send ? pipe_write(of->file, buf, n, 0, fl) : pipe_read(of->file, buf, n, 0, fl);
    glue_fd_put(of);
    return got < 0 ? pipe_fail((int)-got) : got;
}

ssize_t posix_pair_send(int fd, const void *buf, size_t n, int flags)
{
    return pair_io(fd, (void *)buf, n, flags, true);
}

ssize_t posix_pair_recv(int fd, void *buf, size_t n, int flags)
{
    return pair_io(fd, buf, n, flags, false);
}

int posix_pair_shutdown(int fd, int how)
{
    if (how != SHUT_RD && how != SHUT_WR && how != SHUT_RDWR)
        return pipe_fail(EINVAL);
    struct glue_ofile *of = glue_fd_get(fd);
    if (!of)
        return pipe_fail(EBADF);
    pipe_shut(of->file, how != SHUT_WR, how != SHUT_RD);
    glue_fd_put(of);
    return 0;
}

int posix_pipe_nread(int fd, int *n)
{
    struct glue_ofile *of = glue_fd_get(fd);
    if (!of)
        return -1;
    int ret = -1;
    if (of->ops == &pipe_ops) {
        struct pipe_end *e = of->file;
        *n = 0;
        if (e->rx) {
            pthread_mutex_lock(&e->rx->lock);
            *n = (int)e->rx->len;
            pthread_mutex_unlock(&e->rx->lock);
        }
        ret = 0;
    }
    glue_fd_put(of);
    return ret;
}
