/*
 * suite_pipe.c: pipes, socket pairs and eventfd, and what poll, select and epoll
 * say about them, from one thread and across threads. What POSIX and
 * Linux's pipe(7), pipe(2), socketpair(2), eventfd(2), poll(2), select(2),
 * epoll(7) say. No timing is asserted: a wait that must end is given 10 s, and
 * the check is that it ended with the event, not when.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include "suite.h"

#define SUITE_WAIT_MS 10000     /* a wait that must end: generous, never asserted */

static void suite_sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

/* Can a pipe carry bytes, in order, one way only? */
void test_pipe_basics(void)
{
    int p[2];
    ktap_check(pipe(p) == 0, "pipe: errno %d", errno);
    ktap_check(p[0] >= 3 && p[1] == p[0] + 1, "fds %d and %d", p[0], p[1]);
    struct stat st;
    ktap_check(fstat(p[0], &st) == 0 && S_ISFIFO(st.st_mode), "fstat says a FIFO");
    ktap_check(write(p[1], "hello, ", 7) == 7 && write(p[1], "pipe", 4) == 4, "two writes");
    char buf[32] = "";
    ktap_check(read(p[0], buf, sizeof buf) == 11 && memcmp(buf, "hello, pipe", 11) == 0, "one read: \"%s\"", buf);
    errno = 0;
    ktap_check(write(p[0], "x", 1) == -1 && errno == EBADF, "write on the read end: errno %d", errno);
    errno = 0;
    ktap_check(read(p[1], buf, 1) == -1 && errno == EBADF, "read on the write end: errno %d", errno);
    errno = 0;
    ktap_check(lseek(p[0], 0, SEEK_SET) == -1 && errno == ESPIPE, "lseek: errno %d", errno);
    ktap_check(write(p[1], "", 0) == 0, "a zero-byte write");
    errno = 0;
    ktap_check(pipe(NULL) == -1 && errno == EFAULT, "pipe(NULL): errno %d", errno);
    close(p[0]);
    close(p[1]);
}

struct suite_stream {
    int fd;
    size_t bytes;
    unsigned sum;
};

static void *suite_writer(void *arg)
{
    struct suite_stream *s = arg;
    unsigned char chunk[3000];
    size_t done = 0;
    while (done < s->bytes) {
        size_t n = s->bytes - done < sizeof chunk ? s->bytes - done : sizeof chunk;
        for (size_t i = 0; i < n; i++)
            chunk[i] = (unsigned char)((done + i) * 7 + 3);
        ssize_t k = write(s->fd, chunk, n);
        if (k <= 0)
            break;
        done += (size_t)k;
    }
    close(s->fd);
    return NULL;
}

/* End-of-file when the writers are gone, EPIPE when the readers are; and
 * 300000 bytes across threads arrive intact (more than the pipe holds). */
void test_pipe_eof_epipe(void)
{
    int p[2];
    ktap_check(pipe(p) == 0, "pipe");
    struct suite_stream s = { .fd = p[1], .bytes = 300000 };
    pthread_t t;
    ktap_check(pthread_create(&t, NULL, suite_writer, &s) == 0, "writer thread");
    unsigned char buf[4096];
    size_t got = 0;
    bool intact = true;
    ssize_t k;
    while ((k = read(p[0], buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < k; i++)
            intact &= buf[i] == (unsigned char)((got + (size_t)i) * 7 + 3);
        got += (size_t)k;
    }
    ktap_check(k == 0, "read ends with end-of-file (%zd, errno %d)", k, errno);
    ktap_check(got == s.bytes && intact, "%zu of %zu bytes, intact %d", got, s.bytes, intact);
    pthread_join(t, NULL);
    close(p[0]);

    ktap_check(pipe(p) == 0, "a second pipe");
    close(p[0]);
    errno = 0;
    ktap_check(write(p[1], "x", 1) == -1 && errno == EPIPE, "write with no reader: errno %d", errno);
    close(p[1]);
}

/* O_NONBLOCK: EAGAIN instead of waiting; the capacity is Linux's 64 KiB;
 * writes of at most PIPE_BUF bytes go whole or not at all. */
void test_pipe_nonblocking(void)
{
    int p[2];
    ktap_check(pipe(p) == 0, "pipe");
    ktap_check(fcntl(p[0], F_SETFL, O_NONBLOCK) == 0 && fcntl(p[1], F_SETFL, O_NONBLOCK) == 0, "O_NONBLOCK");
    ktap_check((fcntl(p[0], F_GETFL) & (O_NONBLOCK | O_ACCMODE)) == (O_NONBLOCK | O_RDONLY),
               "F_GETFL on the read end 0x%x", fcntl(p[0], F_GETFL));
    ktap_check((fcntl(p[1], F_GETFL) & O_ACCMODE) == O_WRONLY, "the write end is O_WRONLY");
    char buf[1000];
    errno = 0;
    ktap_check(read(p[0], buf, sizeof buf) == -1 && errno == EAGAIN, "empty read: errno %d", errno);
    static char block[PIPE_BUF];
    memset(block, 'b', sizeof block);
    size_t filled = 0;
    ssize_t k;
    while ((k = write(p[1], block, sizeof block)) > 0)
        filled += (size_t)k;
    ktap_check(k == -1 && errno == EAGAIN, "a full pipe: errno %d", errno);
    ktap_check(filled == 65536, "it held %zu bytes", filled);
    ktap_check(read(p[0], buf, 100) == 100, "read 100");
    errno = 0;
    ktap_check(write(p[1], block, PIPE_BUF) == -1 && errno == EAGAIN,
               "a PIPE_BUF write into 100 bytes of room: errno %d (atomic: none of it)", errno);
    ktap_check(write(p[1], block, 50) == 50, "50 bytes fit");
    close(p[0]);
    close(p[1]);
}

/* pipe2's flags, and its refusals. */
void test_pipe2_flags(void)
{
    int p[2];
    ktap_check(pipe2(p, O_NONBLOCK | O_CLOEXEC) == 0, "pipe2: errno %d", errno);
    ktap_check((fcntl(p[0], F_GETFL) & O_NONBLOCK) && (fcntl(p[1], F_GETFL) & O_NONBLOCK), "both O_NONBLOCK");
    ktap_check(fcntl(p[0], F_GETFD) == FD_CLOEXEC && fcntl(p[1], F_GETFD) == FD_CLOEXEC, "both FD_CLOEXEC");
    close(p[0]);
    close(p[1]);
    errno = 0;
    ktap_check(pipe2(p, O_APPEND) == -1 && errno == EINVAL, "pipe2(O_APPEND): errno %d", errno);
}

/* socketpair(AF_UNIX, SOCK_STREAM): both ways, send/recv, shutdown, the
 * peer's close; the refusals. */
void test_socketpair(void)
{
    int sv[2];
    ktap_check(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair: errno %d", errno);
    struct stat st;
    ktap_check(fstat(sv[0], &st) == 0 && S_ISSOCK(st.st_mode), "fstat says a socket");
    char buf[16] = "";
    ktap_check(write(sv[0], "left", 4) == 4 && read(sv[1], buf, sizeof buf) == 4 && memcmp(buf, "left", 4) == 0,
               "0 to 1");
    ktap_check(send(sv[1], "right", 5, 0) == 5 && recv(sv[0], buf, sizeof buf, 0) == 5 &&
               memcmp(buf, "right", 5) == 0, "1 to 0 with send/recv");
    errno = 0;
    ktap_check(recv(sv[0], buf, sizeof buf, MSG_DONTWAIT) == -1 && errno == EAGAIN,
               "MSG_DONTWAIT on an empty end: errno %d", errno);
    ktap_check(shutdown(sv[0], SHUT_WR) == 0, "shutdown(SHUT_WR)");
    ktap_check(read(sv[1], buf, sizeof buf) == 0, "the peer reads end-of-file");
    errno = 0;
    ktap_check(write(sv[0], "x", 1) == -1 && errno == EPIPE, "writing after SHUT_WR: errno %d", errno);
    ktap_check(write(sv[1], "still", 5) == 5 && read(sv[0], buf, sizeof buf) == 5, "the other way still works");
    close(sv[1]);
    ktap_check(read(sv[0], buf, sizeof buf) == 0, "end-of-file when the peer closed");
    close(sv[0]);

    ktap_check(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) == 0 &&
               (fcntl(sv[0], F_GETFL) & O_NONBLOCK), "SOCK_NONBLOCK");
    errno = 0;
    ktap_check(read(sv[0], buf, 1) == -1 && errno == EAGAIN, "and reads do not wait: errno %d", errno);
    close(sv[0]);
    close(sv[1]);
    errno = 0;
    ktap_check(socketpair(AF_INET, SOCK_STREAM, 0, sv) == -1 && errno == EOPNOTSUPP,
               "AF_INET pairs: errno %d", errno);
    errno = 0;
    ktap_check(socketpair(10 /* AF_INET6 */, SOCK_STREAM, 0, sv) == -1 && errno == EAFNOSUPPORT,
               "AF_INET6: errno %d", errno);
    errno = 0;
    ktap_check(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == -1 && errno == EOPNOTSUPP,
               "SOCK_DGRAM pairs (not implemented): errno %d", errno);
    errno = 0;
    ktap_check(socketpair(AF_UNIX, SOCK_STREAM, 6, sv) == -1 && errno == EPROTONOSUPPORT,
               "protocol 6: errno %d", errno);
}

/* poll and select see a pipe become readable, writable, hung up; and
 * name what is not open. */
void test_poll_select_pipe(void)
{
    int p[2];
    ktap_check(pipe(p) == 0, "pipe");
    struct pollfd f[2] = { { .fd = p[0], .events = POLLIN }, { .fd = p[1], .events = POLLOUT } };
    ktap_check(poll(f, 2, 0) == 1 && f[0].revents == 0 && f[1].revents == POLLOUT,
               "empty: read end %#x, write end %#x", f[0].revents, f[1].revents);
    ktap_check(write(p[1], "z", 1) == 1, "write");
    ktap_check(poll(f, 1, 0) == 1 && f[0].revents == POLLIN, "then POLLIN: %#x", f[0].revents);
    fd_set r, w;
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_SET(p[0], &r);
    FD_SET(p[1], &w);
    struct timeval tv = { 0, 0 };
    ktap_check(select(p[1] + 1, &r, &w, NULL, &tv) == 2 && FD_ISSET(p[0], &r) && FD_ISSET(p[1], &w),
               "select: both ready");
    char c;
    ktap_check(read(p[0], &c, 1) == 1, "read it");
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    tv = (struct timeval){ 0, 20000 };
    ktap_check(select(p[0] + 1, &r, NULL, NULL, &tv) == 0 && !FD_ISSET(p[0], &r), "select times out empty");
    close(p[1]);
    ktap_check(poll(f, 1, SUITE_WAIT_MS) == 1 && (f[0].revents & POLLHUP), "writer gone: POLLHUP %#x",
               f[0].revents);
    close(p[0]);
    ktap_check(poll(f, 1, 0) == 1 && f[0].revents == POLLNVAL, "closed: POLLNVAL %#x", f[0].revents);
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    errno = 0;
    ktap_check(select(p[0] + 1, &r, NULL, NULL, &tv) == -1 && errno == EBADF, "select on it: errno %d", errno);
    f[0] = (struct pollfd){ .fd = -1, .events = POLLIN, .revents = 7 };
    ktap_check(poll(f, 1, 0) == 0 && f[0].revents == 0, "a negative fd is ignored");
    errno = 0;
    ktap_check(select(-1, NULL, NULL, NULL, &tv) == -1 && errno == EINVAL, "select(-1): errno %d", errno);
}

/* epoll on pipes: readiness, data, EPOLLONESHOT, MOD, DEL, refusals,
 * and an fd leaving the set when it closes. */
void test_epoll_pipe(void)
{
    int p[2], ep = epoll_create1(0);
    ktap_check(ep >= 0 && pipe(p) == 0, "epoll_create1 and pipe");
    struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 0xfeed }, out[4];
    ktap_check(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == 0, "add the read end: errno %d", errno);
    errno = 0;
    ktap_check(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == -1 && errno == EEXIST, "twice: errno %d", errno);
    ktap_check(epoll_wait(ep, out, 4, 0) == 0, "nothing yet");
    ktap_check(write(p[1], "ab", 2) == 2, "write");
    int n = epoll_wait(ep, out, 4, 0);
    ktap_check(n == 1 && out[0].events == EPOLLIN && out[0].data.u64 == 0xfeed, "EPOLLIN with its data: %d %#x",
               n, n > 0 ? out[0].events : 0);
    ktap_check(epoll_wait(ep, out, 4, 0) == 1, "level-triggered: still ready");
    ev.events = EPOLLIN | EPOLLONESHOT;
    ktap_check(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev) == 0, "MOD to EPOLLONESHOT");
    ktap_check(epoll_wait(ep, out, 4, 0) == 1 && epoll_wait(ep, out, 4, 0) == 0, "reported once");
    ev.events = EPOLLIN;
    ktap_check(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev) == 0 && epoll_wait(ep, out, 4, 0) == 1, "MOD rearms");
    ev.events = EPOLLOUT;
    ktap_check(epoll_ctl(ep, EPOLL_CTL_ADD, p[1], &ev) == 0 && epoll_wait(ep, out, 4, 0) == 2, "both ends");
    ktap_check(epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL) == 0 && epoll_wait(ep, out, 4, 0) == 1, "DEL");
    errno = 0;
    ktap_check(epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL) == -1 && errno == ENOENT, "DEL again: errno %d", errno);

    int f = open("/epollfile", O_CREAT | O_RDWR, 0644);
    errno = 0;
    ktap_check(epoll_ctl(ep, EPOLL_CTL_ADD, f, &ev) == -1 && errno == EPERM, "a regular file: errno %d", errno);
    close(f);
    unlink("/epollfile");
    errno = 0;
    ktap_check(epoll_ctl(ep, EPOLL_CTL_ADD, 977, &ev) == -1 && errno == EBADF, "a closed fd: errno %d", errno);
    errno = 0;
    ktap_check(epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev) == -1 && errno == EINVAL, "itself: errno %d", errno);
    errno = 0;
    ktap_check(epoll_ctl(p[0], EPOLL_CTL_ADD, p[1], &ev) == -1 && errno == EINVAL, "epfd not epoll: errno %d",
               errno);
    ev.events = EPOLLIN | EPOLLET;
    errno = 0;
    ktap_check(epoll_ctl(ep, EPOLL_CTL_ADD, p[1], &ev) == -1 && errno == EINVAL, "EPOLLET refused: errno %d",
               errno);
    errno = 0;
    ktap_check(epoll_wait(ep, out, 0, 0) == -1 && errno == EINVAL, "maxevents 0: errno %d", errno);

    /* Closing the fd takes it out of the set. */
    close(p[0]);
    ktap_check(epoll_wait(ep, out, 4, 0) == 0, "a closed fd is not reported");
    int q[2];
    ktap_check(pipe(q) == 0 && q[0] == p[0], "its number is reused (%d)", q[0]);
    ktap_check(write(q[1], "x", 1) == 1 && epoll_wait(ep, out, 4, 0) == 0, "and the new pipe is not in the set");
    close(q[0]);
    close(q[1]);
    close(p[1]);
    close(ep);
}

struct suite_later {
    int fd;             /* write a byte here after a pause */
    int ep, add;        /* or: add `add` to epoll `ep` */
};

static void *suite_later(void *arg)
{
    struct suite_later *l = arg;
    suite_sleep_ms(50);
    if (l->ep >= 0) {
        struct epoll_event ev = { .events = EPOLLIN, .data.fd = l->add };
        epoll_ctl(l->ep, EPOLL_CTL_ADD, l->add, &ev);
    } else if (write(l->fd, "w", 1) != 1) {
        ktap_check(false, "the waking write failed: errno %d", errno);
    }
    return NULL;
}

/* A write on one thread ends an epoll_wait (and a poll) on another; an
 * fd added by another thread ends a wait on an empty set. */
void test_epoll_wakes_across_threads(void)
{
    int p[2], ep = epoll_create1(0);
    ktap_check(ep >= 0 && pipe(p) == 0, "epoll and pipe");
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = p[0] }, out[2];
    ktap_check(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == 0, "add");
    struct suite_later l = { .fd = p[1], .ep = -1 };
    pthread_t t;
    ktap_check(pthread_create(&t, NULL, suite_later, &l) == 0, "writer thread");
    int n = epoll_wait(ep, out, 2, SUITE_WAIT_MS);
    ktap_check(n == 1 && out[0].data.fd == p[0], "epoll_wait woke with the pipe: %d", n);
    pthread_join(t, NULL);
    char c;
    ktap_check(read(p[0], &c, 1) == 1, "read the byte");

    struct pollfd f = { .fd = p[0], .events = POLLIN };
    ktap_check(pthread_create(&t, NULL, suite_later, &l) == 0, "writer thread again");
    ktap_check(poll(&f, 1, SUITE_WAIT_MS) == 1 && f.revents == POLLIN, "poll woke: %#x", f.revents);
    pthread_join(t, NULL);
    ktap_check(read(p[0], &c, 1) == 1, "read it");

    /* Readable before it is added: the add itself must end the wait. */
    int e2 = epoll_create1(0);
    ktap_check(write(p[1], "r", 1) == 1, "make the pipe readable");
    struct suite_later add = { .fd = -1, .ep = e2, .add = p[0] };
    ktap_check(pthread_create(&t, NULL, suite_later, &add) == 0, "adder thread");
    n = epoll_wait(e2, out, 2, SUITE_WAIT_MS);
    ktap_check(n == 1 && out[0].data.fd == p[0], "a wait on an empty set saw the add: %d", n);
    pthread_join(t, NULL);
    close(e2);
    close(p[0]);
    close(p[1]);
    close(ep);
}

/* One set with an lwIP socket and a pipe: each wakes it. */
void test_epoll_socket_and_pipe(void)
{
    int u = socket(AF_INET, SOCK_DGRAM, 0), p[2], ep = epoll_create1(0);
    ktap_check(u >= 0 && pipe(p) == 0 && ep >= 0, "a UDP socket, a pipe, an epoll set");
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(7312),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    ktap_check(bind(u, (struct sockaddr *)&a, sizeof a) == 0, "bind: errno %d", errno);
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = u }, out[4];
    ktap_check(epoll_ctl(ep, EPOLL_CTL_ADD, u, &ev) == 0, "add the socket");
    ev.data.fd = p[0];
    ktap_check(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == 0, "add the pipe");
    ktap_check(epoll_wait(ep, out, 4, 0) == 0, "nothing yet");

    struct suite_later l = { .fd = p[1], .ep = -1 };
    pthread_t t;
    ktap_check(pthread_create(&t, NULL, suite_later, &l) == 0, "writer thread");
    int n = epoll_wait(ep, out, 4, SUITE_WAIT_MS);
    ktap_check(n == 1 && out[0].data.fd == p[0], "the pipe woke it: %d", n);
    pthread_join(t, NULL);
    char buf[8];
    ktap_check(read(p[0], buf, 1) == 1, "read the pipe");

    int s = socket(AF_INET, SOCK_DGRAM, 0);
    ktap_check(sendto(s, "dgram", 5, 0, (struct sockaddr *)&a, sizeof a) == 5, "send a datagram");
    n = epoll_wait(ep, out, 4, SUITE_WAIT_MS);
    ktap_check(n == 1 && out[0].data.fd == u, "the socket woke it: %d", n);
    ktap_check(recv(u, buf, sizeof buf, 0) == 5, "receive it");
    close(s);
    close(u);
    close(p[0]);
    close(p[1]);
    close(ep);
}

static void *suite_eventfd_poster(void *arg)
{
    suite_sleep_ms(50);
    if (eventfd_write(*(int *)arg, 5) != 0)
        ktap_check(false, "eventfd_write from the thread: errno %d", errno);
    return NULL;
}

/* eventfd: the counter, EFD_SEMAPHORE, EFD_NONBLOCK, the 8-byte rule,
 * overflow, and an epoll_wait woken from another thread. */
void test_eventfd(void)
{
    int fd = eventfd(3, EFD_NONBLOCK);
    ktap_check(fd >= 0, "eventfd(3, EFD_NONBLOCK): errno %d", errno);
    uint64_t v = 0;
    ktap_check(read(fd, &v, sizeof v) == 8 && v == 3, "read takes the count: %llu", (unsigned long long)v);
    errno = 0;
    ktap_check(read(fd, &v, sizeof v) == -1 && errno == EAGAIN, "then it is 0: errno %d", errno);
    ktap_check(eventfd_write(fd, 2) == 0 && eventfd_write(fd, 4) == 0 && eventfd_read(fd, &v) == 0 && v == 6,
               "writes add up: %llu", (unsigned long long)v);
    char small[4];
    errno = 0;
    ktap_check(read(fd, small, sizeof small) == -1 && errno == EINVAL, "a 4-byte read: errno %d", errno);
    v = UINT64_MAX;
    errno = 0;
    ktap_check(write(fd, &v, sizeof v) == -1 && errno == EINVAL, "writing 2^64-1: errno %d", errno);
    v = UINT64_MAX - 1;
    ktap_check(write(fd, &v, sizeof v) == 8, "the largest count");
    v = 1;
    errno = 0;
    ktap_check(write(fd, &v, sizeof v) == -1 && errno == EAGAIN, "one more would overflow: errno %d", errno);
    struct pollfd pf = { .fd = fd, .events = POLLIN | POLLOUT };
    ktap_check(poll(&pf, 1, 0) == 1 && pf.revents == POLLIN, "full: readable, not writable (%#x)", pf.revents);
    close(fd);

    int sem = eventfd(2, EFD_SEMAPHORE);
    ktap_check(sem >= 0 && eventfd_read(sem, &v) == 0 && v == 1 && eventfd_read(sem, &v) == 0 && v == 1,
               "EFD_SEMAPHORE reads 1 at a time");
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = sem }, out[2];
    ktap_check(epoll_ctl(ep, EPOLL_CTL_ADD, sem, &ev) == 0 && epoll_wait(ep, out, 2, 0) == 0,
               "in an epoll set, not ready at 0");
    pthread_t t;
    ktap_check(pthread_create(&t, NULL, suite_eventfd_poster, &sem) == 0, "a poster thread");
    int n = epoll_wait(ep, out, 2, SUITE_WAIT_MS);
    ktap_check(n == 1 && out[0].data.fd == sem, "its write woke epoll_wait: %d", n);
    pthread_join(t, NULL);
    close(ep);
    close(sem);
    errno = 0;
    ktap_check(eventfd(0, 0x7) == -1 && errno == EINVAL, "bad flags: errno %d", errno);
}
