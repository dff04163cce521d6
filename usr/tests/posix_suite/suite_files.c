/*
 * suite_files.c: files and directories as Redis's AOF and RDB code uses
 * them: mkdir/rmdir, stat's S_IFDIR, open(".") and a directory's fsync,
 * opendir/readdir, rename replacing its target, ftruncate/truncate,
 * fsync/fdatasync, getcwd/chdir, access, umask/chmod; with the errors POSIX and
 * Linux's man pages give.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "suite.h"

static bool suite_write_file(const char *path, const char *text)
{
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    if (fd < 0)
        return false;
    bool ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
    return close(fd) == 0 && ok;
}

static bool suite_file_is(const char *path, const char *text)
{
    char buf[128] = "";
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return false;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    return n == (ssize_t)strlen(text) && memcmp(buf, text, (size_t)n) == 0;
}

/* mkdir, rmdir, stat's S_IFDIR, and their errors. */
void test_mkdir_rmdir(void)
{
    struct stat st;
    ktap_check(mkdir("/aof", 0755) == 0, "mkdir /aof: errno %d", errno);
    ktap_check(stat("/aof", &st) == 0 && S_ISDIR(st.st_mode), "stat says a directory (mode %o)",
               (unsigned)st.st_mode);
    errno = 0;
    ktap_check(mkdir("/aof", 0755) == -1 && errno == EEXIST, "again: errno %d", errno);
    errno = 0;
    ktap_check(mkdir("/no/such", 0755) == -1 && errno == ENOENT, "a missing parent: errno %d", errno);
    ktap_check(suite_write_file("/aof/f", "x"), "a file inside");
    errno = 0;
    ktap_check(mkdir("/aof/f/g", 0755) == -1 && errno == ENOTDIR, "under a file: errno %d", errno);
    errno = 0;
    ktap_check(rmdir("/aof") == -1 && errno == ENOTEMPTY, "rmdir of a non-empty one: errno %d", errno);
    errno = 0;
    ktap_check(rmdir("/aof/f") == -1 && errno == ENOTDIR, "rmdir of a file: errno %d", errno);
    errno = 0;
    ktap_check(unlink("/aof") == -1 && errno == EISDIR, "unlink of a directory: errno %d", errno);
    errno = 0;
    ktap_check(rmdir("/aof/.") == -1 && errno == EINVAL, "rmdir of \".\": errno %d", errno);
    errno = 0;
    ktap_check(open("/aof", O_WRONLY) == -1 && errno == EISDIR, "open a directory for writing: errno %d", errno);
    errno = 0;
    ktap_check(open("/aof/f", O_RDONLY | O_DIRECTORY) == -1 && errno == ENOTDIR, "O_DIRECTORY on a file: errno %d",
               errno);
    ktap_check(unlink("/aof/f") == 0 && rmdir("/aof") == 0, "empty it, remove it");
    errno = 0;
    ktap_check(stat("/aof", &st) == -1 && errno == ENOENT, "gone: errno %d", errno);
    errno = 0;
    ktap_check(rmdir("/") == -1 && errno == EBUSY, "rmdir /: errno %d", errno);
}

/* opendir/readdir list ".", ".." and every name once. */
void test_opendir_readdir(void)
{
    ktap_check(mkdir("/list", 0755) == 0 && mkdir("/list/sub", 0755) == 0, "a directory with a subdirectory");
    ktap_check(suite_write_file("/list/a", "1") && suite_write_file("/list/b", "2"), "and two files");
    DIR *d = opendir("/list");
    ktap_check(d != NULL, "opendir: errno %d", errno);
    int dot = 0, dotdot = 0, a = 0, b = 0, sub = 0, other = 0;
    struct dirent *e;
    errno = 0;
    while (d && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".")) dot++;
        else if (!strcmp(e->d_name, "..")) dotdot++;
        else if (!strcmp(e->d_name, "a")) a += e->d_type == DT_REG;
        else if (!strcmp(e->d_name, "b")) b += e->d_type == DT_REG;
        else if (!strcmp(e->d_name, "sub")) sub += e->d_type == DT_DIR;
        else other++;
    }
    ktap_check(errno == 0, "the end leaves errno alone (%d)", errno);
    ktap_check(dot == 1 && dotdot == 1 && a == 1 && b == 1 && sub == 1 && other == 0,
               ". %d .. %d a %d b %d sub %d other %d", dot, dotdot, a, b, sub, other);
    if (d) {
        rewinddir(d);
        e = readdir(d);
        ktap_check(e && !strcmp(e->d_name, "."), "rewinddir starts again");
        ktap_check(dirfd(d) >= 3, "dirfd %d", dirfd(d));
        ktap_check(closedir(d) == 0, "closedir");
    }
    errno = 0;
    ktap_check(opendir("/list/a") == NULL && errno == ENOTDIR, "opendir of a file: errno %d", errno);
    errno = 0;
    ktap_check(opendir("/nowhere") == NULL && errno == ENOENT, "of nothing: errno %d", errno);
    unlink("/list/a");
    unlink("/list/b");
    rmdir("/list/sub");
    rmdir("/list");
}

/* rename replaces its target in one step; and its errors. */
void test_rename(void)
{
    ktap_check(mkdir("/r", 0755) == 0, "mkdir /r");
    ktap_check(suite_write_file("/r/manifest", "old") && suite_write_file("/r/temp", "new"), "two files");
    int keep = open("/r/manifest", O_RDONLY);
    ktap_check(rename("/r/temp", "/r/manifest") == 0, "rename over it: errno %d", errno);
    ktap_check(suite_file_is("/r/manifest", "new"), "the name now has the new contents");
    struct stat st;
    errno = 0;
    ktap_check(stat("/r/temp", &st) == -1 && errno == ENOENT, "the old name is gone");
    char buf[8] = "";
    ktap_check(keep >= 0 && read(keep, buf, sizeof buf) == 3 && memcmp(buf, "old", 3) == 0,
               "a descriptor open on the replaced file still reads it: \"%s\"", buf);
    close(keep);
    ktap_check(mkdir("/r/d", 0755) == 0 && rename("/r/manifest", "/r/d/m") == 0 && suite_file_is("/r/d/m", "new"),
               "into another directory");
    ktap_check(rename("/r/d", "/r/e") == 0 && suite_file_is("/r/e/m", "new"), "a directory, with what it holds");
    ktap_check(rename("/r/e/m", "/r/e/m") == 0, "onto itself: nothing happens");
    errno = 0;
    ktap_check(rename("/r/none", "/r/x") == -1 && errno == ENOENT, "a missing source: errno %d", errno);
    errno = 0;
    ktap_check(rename("/r/e", "/r/e/inside") == -1 && errno == EINVAL, "into itself: errno %d", errno);
    ktap_check(mkdir("/r/full", 0755) == 0 && suite_write_file("/r/full/x", "1"), "a non-empty directory");
    errno = 0;
    ktap_check(rename("/r/e", "/r/full") == -1 && errno == ENOTEMPTY, "over it: errno %d", errno);
    errno = 0;
    ktap_check(rename("/r/e/m", "/r/full") == -1 && errno == EISDIR, "a file over a directory: errno %d", errno);
    errno = 0;
    ktap_check(rename("/r/full", "/r/e/m") == -1 && errno == ENOTDIR, "a directory over a file: errno %d", errno);
    unlink("/r/full/x");
    rmdir("/r/full");
    unlink("/r/e/m");
    rmdir("/r/e");
    rmdir("/r");
}

/* ftruncate, truncate, fsync, fdatasync, and open(".") as Redis's
 * fsyncFileDir does it. */
void test_truncate_fsync(void)
{
    int fd = open("/t", O_CREAT | O_RDWR | O_TRUNC, 0644);
    ktap_check(fd >= 0 && write(fd, "0123456789", 10) == 10, "a 10-byte file");
    struct stat st;
    ktap_check(ftruncate(fd, 4) == 0 && fstat(fd, &st) == 0 && st.st_size == 4, "ftruncate to 4: %ld",
               (long)st.st_size);
    ktap_check(ftruncate(fd, 8) == 0 && lseek(fd, 0, SEEK_SET) == 0, "ftruncate up to 8");
    char buf[16];
    ktap_check(read(fd, buf, sizeof buf) == 8 && memcmp(buf, "0123\0\0\0\0", 8) == 0, "what grew reads as zeroes");
    ktap_check(truncate("/t", 2) == 0 && stat("/t", &st) == 0 && st.st_size == 2, "truncate by name");
    ktap_check(fsync(fd) == 0 && fdatasync(fd) == 0, "fsync and fdatasync");
    errno = 0;
    ktap_check(ftruncate(fd, -1) == -1 && errno == EINVAL, "a negative length: errno %d", errno);
    close(fd);
    fd = open("/t", O_RDONLY);
    errno = 0;
    ktap_check(ftruncate(fd, 0) == -1 && errno == EINVAL, "on a read-only fd: errno %d", errno);
    close(fd);
    errno = 0;
    ktap_check(truncate("/missing", 0) == -1 && errno == ENOENT, "truncate of nothing: errno %d", errno);
    int p[2];
    ktap_check(pipe(p) == 0, "a pipe");
    errno = 0;
    ktap_check(fsync(p[1]) == -1 && errno == EINVAL, "fsync on a pipe: errno %d", errno);
    errno = 0;
    ktap_check(ftruncate(p[1], 0) == -1 && errno == EINVAL, "ftruncate on a pipe: errno %d", errno);
    close(p[0]);
    close(p[1]);
    errno = 0;
    ktap_check(fsync(977) == -1 && errno == EBADF, "fsync on a closed fd: errno %d", errno);
    int dfd = open(".", O_RDONLY);
    ktap_check(dfd >= 0 && fstat(dfd, &st) == 0 && S_ISDIR(st.st_mode), "open(\".\"): errno %d", errno);
    ktap_check(fsync(dfd) == 0, "fsync of a directory");
    errno = 0;
    ktap_check(read(dfd, buf, 1) == -1 && errno == EISDIR, "read of a directory: errno %d", errno);
    close(dfd);
    unlink("/t");
}

/* getcwd, chdir and relative paths; access. */
void test_cwd_access(void)
{
    char buf[64];
    ktap_check(getcwd(buf, sizeof buf) && strcmp(buf, "/") == 0, "the start is /: %s", buf);
    ktap_check(mkdir("/w", 0755) == 0 && mkdir("/w/x", 0755) == 0, "mkdir /w/x");
    ktap_check(chdir("/w") == 0 && getcwd(buf, sizeof buf) && strcmp(buf, "/w") == 0, "chdir /w: %s", buf);
    ktap_check(suite_write_file("rel", "r") && suite_file_is("/w/rel", "r"), "a relative name lands in /w");
    ktap_check(chdir("x/../x/./") == 0 && getcwd(buf, sizeof buf) && strcmp(buf, "/w/x") == 0,
               "chdir x/../x/./ gives %s", buf);
    ktap_check(suite_file_is("../rel", "r"), "../rel");
    char *cwd = get_current_dir_name();
    ktap_check(cwd && strcmp(cwd, "/w/x") == 0, "get_current_dir_name %s", cwd ? cwd : "(null)");
    free(cwd);
    errno = 0;
    ktap_check(getcwd(buf, 3) == NULL && errno == ERANGE, "a short buffer: errno %d", errno);
    errno = 0;
    ktap_check(getcwd(buf, 0) == NULL && errno == EINVAL, "size 0: errno %d", errno);
    errno = 0;
    ktap_check(chdir("/w/rel") == -1 && errno == ENOTDIR, "chdir to a file: errno %d", errno);
    errno = 0;
    ktap_check(chdir("/nowhere") == -1 && errno == ENOENT, "to nothing: errno %d", errno);
    errno = 0;
    ktap_check(chdir("") == -1 && errno == ENOENT, "to \"\": errno %d", errno);
    ktap_check(access("/w/rel", F_OK) == 0 && access("/w/rel", R_OK | W_OK) == 0, "access R_OK|W_OK");
    errno = 0;
    ktap_check(access("/w/rel", X_OK) == -1 && errno == EACCES, "X_OK on a 0644 file: errno %d", errno);
    ktap_check(access("/w", X_OK) == 0, "X_OK on a directory");
    errno = 0;
    ktap_check(access("/w/none", F_OK) == -1 && errno == ENOENT, "a missing file: errno %d", errno);
    errno = 0;
    ktap_check(access("/w/rel", 0x40) == -1 && errno == EINVAL, "a bad mode: errno %d", errno);
    ktap_check(chdir("/") == 0, "back to /");
    unlink("/w/rel");
    rmdir("/w/x");
    rmdir("/w");
}

/* Modes: the umask shapes new files, chmod/fchmod change them, and open
 * and access honour the owner bits (the one user owns everything). */
void test_modes_umask_chmod(void)
{
    mode_t old = umask(027);
    int fd = open("/m", O_CREAT | O_RDWR | O_TRUNC, 0666);
    struct stat st;
    ktap_check(fd >= 0 && fstat(fd, &st) == 0 && (st.st_mode & 07777) == 0640,
               "0666 under umask 027 is %o", (unsigned)(st.st_mode & 07777));
    ktap_check(mkdir("/md", 0777) == 0 && stat("/md", &st) == 0 && (st.st_mode & 07777) == 0750,
               "mkdir 0777 under umask 027 is %o", (unsigned)(st.st_mode & 07777));
    umask(old);
    ktap_check(fchmod(fd, 0444) == 0 && fstat(fd, &st) == 0 && (st.st_mode & 07777) == 0444, "fchmod 0444");
    ktap_check(write(fd, "x", 1) == 1, "an fd opened before keeps its access");
    close(fd);
    errno = 0;
    ktap_check(open("/m", O_WRONLY) == -1 && errno == EACCES, "open 0444 for writing: errno %d", errno);
    errno = 0;
    ktap_check(access("/m", W_OK) == -1 && errno == EACCES, "access W_OK: errno %d", errno);
    ktap_check(access("/m", R_OK) == 0, "access R_OK");
    ktap_check(chmod("/m", 0600) == 0 && (fd = open("/m", O_WRONLY)) >= 0, "chmod 0600, then it opens");
    close(fd);
    errno = 0;
    ktap_check(chmod("/none", 0600) == -1 && errno == ENOENT, "chmod of nothing: errno %d", errno);
    int p[2];
    ktap_check(pipe(p) == 0, "a pipe");
    errno = 0;
    ktap_check(fchmod(p[0], 0600) == -1 && errno == EINVAL, "fchmod on a pipe: errno %d", errno);
    close(p[0]);
    close(p[1]);
    unlink("/m");
    rmdir("/md");
}
