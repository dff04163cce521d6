/*
 * suite_fd.c: the fd table (1024 descriptors, lowest number first), the
 * dup family and fcntl's descriptor commands, and sockets as ordinary
 * small fds. What POSIX and Linux's dup(2), fcntl(2), socket(2) say.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include "suite.h"

#define SUITE_FDS 1024

/* Does the table hold 1024 descriptors, handed out lowest first, and say
 * EMFILE after? */
void test_fd_table_1024(void)
{
    static int fds[SUITE_FDS];
    int n = 0, fd;
    errno = 0;
    while (n < SUITE_FDS && (fd = dup(1)) >= 0)
        fds[n++] = fd;
    ktap_check(n > 1000 && errno == EMFILE, "dup(1) %d times, then errno %d (EMFILE %d)", n, errno, EMFILE);
    ktap_check(n > 0 && fds[n - 1] == SUITE_FDS - 1, "the last fd is %d, expected %d", n ? fds[n - 1] : -1,
               SUITE_FDS - 1);
    bool ascending = true;
    for (int i = 1; i < n; i++)
        ascending &= fds[i] == fds[i - 1] + 1;
    ktap_check(ascending, "fds were handed out in ascending order");
    /* A freed number is the next one given out. */
    if (n > 100) {
        ktap_check(close(fds[100]) == 0, "close(%d)", fds[100]);
        fd = dup(1);
        ktap_check(fd == fds[100], "dup after close(%d) gave %d", fds[100], fd);
    }
    for (int i = 0; i < n; i++)
        close(fds[i]);
    fd = dup(1);
    ktap_check(fd >= 3 && fd < 16, "after closing them all, dup(1) gave %d", fd);
    close(fd);
}

/* dup, dup2 and dup3, with the errors their man pages list. */
void test_dup_family(void)
{
    int fd = open("/dupfile", O_CREAT | O_RDWR | O_TRUNC, 0644);
    ktap_check(fd >= 0, "open: errno %d", errno);
    int d = dup(fd);
    ktap_check(d > fd, "dup gave %d for %d", d, fd);
    /* The two share one open file description: the offset moves for both. */
    ktap_check(write(fd, "abcdef", 6) == 6, "write 6 bytes");
    ktap_check(lseek(d, 0, SEEK_CUR) == 6, "offset seen through the dup: %ld", (long)lseek(d, 0, SEEK_CUR));
    ktap_check(lseek(d, 2, SEEK_SET) == 2, "lseek through the dup");
    char buf[8] = "";
    ktap_check(read(fd, buf, 2) == 2 && memcmp(buf, "cd", 2) == 0, "read after the dup's lseek: \"%.2s\"", buf);
    /* Closing one leaves the other working. */
    ktap_check(close(fd) == 0, "close the original");
    ktap_check(lseek(d, 0, SEEK_SET) == 0 && read(d, buf, 6) == 6 && memcmp(buf, "abcdef", 6) == 0,
               "the dup still reads the file");

    errno = 0;
    ktap_check(dup(-1) == -1 && errno == EBADF, "dup(-1): errno %d", errno);
    errno = 0;
    ktap_check(dup(fd) == -1 && errno == EBADF, "dup(closed): errno %d", errno);
    ktap_check(dup2(d, d) == d, "dup2(fd, fd) gives fd");
    errno = 0;
    ktap_check(dup2(fd, fd) == -1 && errno == EBADF, "dup2(closed, same): errno %d", errno);
    errno = 0;
    ktap_check(dup2(d, -1) == -1 && errno == EBADF, "dup2(fd, -1): errno %d", errno);
    errno = 0;
    ktap_check(dup2(d, SUITE_FDS) == -1 && errno == EBADF, "dup2(fd, 1024): errno %d", errno);

    /* dup2 onto an open fd closes it first, silently. */
    int other = open("/dupother", O_CREAT | O_RDWR | O_TRUNC, 0644);
    ktap_check(other >= 0 && write(other, "zz", 2) == 2, "a second file");
    ktap_check(dup2(d, other) == other, "dup2 onto an open fd");
    struct stat a, b;
    ktap_check(fstat(other, &a) == 0 && fstat(d, &b) == 0 && a.st_ino == b.st_ino && a.st_size == 6,
               "it now names the first file (ino %ld/%ld, size %ld)", (long)a.st_ino, (long)b.st_ino,
               (long)a.st_size);
    ktap_check(fcntl(other, F_GETFD) == 0, "dup2 clears FD_CLOEXEC");
    close(other);

    errno = 0;
    ktap_check(dup3(d, d, 0) == -1 && errno == EINVAL, "dup3(fd, fd): errno %d", errno);
    errno = 0;
    ktap_check(dup3(d, 40, 1) == -1 && errno == EINVAL, "dup3 with a bad flag: errno %d", errno);
    ktap_check(dup3(d, 40, O_CLOEXEC) == 40 && fcntl(40, F_GETFD) == FD_CLOEXEC,
               "dup3(O_CLOEXEC) to 40: FD_CLOEXEC %d", fcntl(40, F_GETFD));
    close(40);

    /* memcached: dup(1) gives a working stdout. */
    int out = dup(1);
    ktap_check(out >= 0 && write(out, "# dup(1) writes to the console\n", 31) == 31, "write to dup(1)");
    close(out);
    close(d);
    unlink("/dupfile");
    unlink("/dupother");
}

/* fcntl's F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD and F_SETFD. */
void test_fcntl_dupfd_cloexec(void)
{
    int fd = fcntl(1, F_DUPFD, 100);
    ktap_check(fd == 100, "F_DUPFD 100 gave %d", fd);
    int fd2 = fcntl(1, F_DUPFD, 100);
    ktap_check(fd2 == 101, "F_DUPFD 100 again gave %d (100 is taken)", fd2);
    ktap_check(fcntl(fd, F_GETFD) == 0, "no FD_CLOEXEC after F_DUPFD");
    int fd3 = fcntl(1, F_DUPFD_CLOEXEC, 0);
    ktap_check(fd3 >= 3 && fd3 < 100 && fcntl(fd3, F_GETFD) == FD_CLOEXEC, "F_DUPFD_CLOEXEC gave %d", fd3);
    ktap_check(fcntl(fd3, F_SETFD, 0) == 0 && fcntl(fd3, F_GETFD) == 0, "F_SETFD clears FD_CLOEXEC");
    ktap_check(fcntl(fd3, F_SETFD, FD_CLOEXEC) == 0 && fcntl(fd3, F_GETFD) == FD_CLOEXEC, "F_SETFD sets it");
    ktap_check(fcntl(fd, F_GETFD) == 0, "FD_CLOEXEC is per fd, not per description");
    errno = 0;
    ktap_check(fcntl(1, F_DUPFD, SUITE_FDS) == -1 && errno == EINVAL, "F_DUPFD 1024: errno %d", errno);
    errno = 0;
    ktap_check(fcntl(1, F_DUPFD, -1) == -1 && errno == EINVAL, "F_DUPFD -1: errno %d", errno);
    errno = 0;
    ktap_check(fcntl(999, F_GETFD) == -1 && errno == EBADF, "F_GETFD on a closed fd: errno %d", errno);
    errno = 0;
    ktap_check(fcntl(1, 12345) == -1 && errno == EINVAL, "an unknown command: errno %d", errno);
    close(fd);
    close(fd2);
    close(fd3);
}

/* Sockets take the lowest free fd, as on Linux, and work through it. */
void test_socket_fd_numbers(void)
{
    int probe = dup(1);
    close(probe);
    int l = socket(AF_INET, SOCK_STREAM, 0);
    ktap_check(l == probe, "socket() gave fd %d, the lowest free is %d", l, probe);
    struct stat st;
    ktap_check(fstat(l, &st) == 0 && S_ISSOCK(st.st_mode), "fstat says a socket");
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(7311),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    int one = 1;
    ktap_check(setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == 0, "SO_REUSEADDR");
    ktap_check(bind(l, (struct sockaddr *)&a, sizeof a) == 0 && listen(l, 4) == 0, "bind and listen: errno %d",
               errno);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    ktap_check(c == l + 1, "the next socket is fd %d", c);
    ktap_check(connect(c, (struct sockaddr *)&a, sizeof a) == 0, "connect: errno %d", errno);
    int s = accept(l, NULL, NULL);
    ktap_check(s == c + 1, "accept gave fd %d", s);
    ktap_check(write(c, "ping", 4) == 4, "write on the client");
    char buf[8] = "";
    ktap_check(recv(s, buf, sizeof buf, 0) == 4 && memcmp(buf, "ping", 4) == 0, "recv on the server: \"%s\"",
               buf);
    /* A dup of a socket is the same socket. */
    int d = dup(s);
    ktap_check(d >= 0 && send(d, "pong", 4, 0) == 4, "send through a dup: errno %d", errno);
    ktap_check(read(c, buf, sizeof buf) == 4 && memcmp(buf, "pong", 4) == 0, "the client reads it");
    ktap_check(fcntl(d, F_SETFL, O_NONBLOCK) == 0 && (fcntl(s, F_GETFL) & O_NONBLOCK),
               "O_NONBLOCK set through the dup shows on the original");
    errno = 0;
    ktap_check(recv(s, buf, sizeof buf, 0) == -1 && errno == EAGAIN, "and lwIP honours it: errno %d", errno);
    close(d);
    errno = 0;
    int f = open("/notsock", O_CREAT | O_RDWR, 0644);
    ktap_check(listen(f, 1) == -1 && errno == ENOTSOCK, "listen on a file: errno %d", errno);
    close(f);
    unlink("/notsock");
    errno = 0;
    ktap_check(listen(900, 1) == -1 && errno == EBADF, "listen on a closed fd: errno %d", errno);
    ktap_check(close(s) == 0 && close(c) == 0 && close(l) == 0, "close the three");
    errno = 0;
    ktap_check(send(s, "x", 1, 0) == -1 && errno == EBADF, "send on a closed socket: errno %d", errno);
}
