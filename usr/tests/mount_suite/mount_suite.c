/*
 * mount_suite.c: the library OS's mount table (lib/newlib/mount.c) and
 * pread/pwrite, in KTAP (usr/tests/ktap).
 *
 * A small recording file system (stubfs, below: one level of names, each
 * a buffer in this program's memory; no device) is mounted on /mnt. Do
 * paths under /mnt reach it with the mount point cut off, and the rest
 * memfs? Do reads and writes on its fds reach its files? Is rename across
 * the two EXDEV, removing the mount point EBUSY, and a bad or second
 * mount refused? Do pread and pwrite leave the position alone and refuse
 * what POSIX says? And the hook for a spawn argument fs=NAME (spawned
 * with "fs=nosuch keep fs=second"): is it found in the environment or
 * taken out of argv, and is a VSA that cannot be opened refused, said
 * once, with /data left alone?
 * (The opener here refuses every name, as a provider without that VSA
 * would: there is no block device in this program.)
 * tests/system/test_mount_suite.py runs it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libos/libos.h>
#include <posix/libc.h>
#include <vsafs/vsafs.h>
#include "../ktap/ktap.h"

/* --- stubfs: names in "/", each file a buffer; every call's path kept --- */

#define STUB_FILES 8

struct stub_file {
    char name[64];
    char data[256];
    size_t size;
    bool used;
};

static struct stub_file stub_files[STUB_FILES];
static char stub_last[GLUE_PATH_MAX];      /* the path of the last path call */
static int stub_closes;

static struct stub_file *stub_find(const char *path)
{
    for (int i = 0; i < STUB_FILES; i++)
        if (stub_files[i].used && strcmp(stub_files[i].name, path) == 0)
            return &stub_files[i];
    return NULL;
}

static int stub_open(const char *path, int flags, int mode, void **file)
{
    snprintf(stub_last, sizeof(stub_last), "%s", path);
    if (strcmp(path, "/") == 0) {
        *file = NULL;                   /* the root, for readdir */
        return (flags & O_ACCMODE) == O_RDONLY ? 0 : -EISDIR;
    }
    struct stub_file *f = stub_find(path);
    if (!f && (flags & O_CREAT))
        for (int i = 0; i < STUB_FILES && !f; i++)
            if (!stub_files[i].used) {
                f = &stub_files[i];
                *f = (struct stub_file){ .used = true };
                snprintf(f->name, sizeof(f->name), "%s", path);
            }
    if (!f)
        return -ENOENT;
    *file = f;
    return 0;
}

static ssize_t stub_read(void *file, void *buf, size_t n, off_t pos, int flags)
{
    struct stub_file *f = file;
    if (!f)
        return -EISDIR;
    if ((size_t)pos >= f->size)
        return 0;
    if (n > f->size - (size_t)pos)
        n = f->size - (size_t)pos;
    memcpy(buf, f->data + pos, n);
    return (ssize_t)n;
}

static ssize_t stub_write(void *file, const void *buf, size_t n, off_t pos, int flags)
{
    struct stub_file *f = file;
    if (!f)
        return -EISDIR;
    if ((size_t)pos + n > sizeof(f->data))
        return -ENOSPC;
    memcpy(f->data + pos, buf, n);
    if ((size_t)pos + n > f->size)
        f->size = (size_t)pos + n;
    return (ssize_t)n;
}

static int stub_fstat(void *file, struct stat *st)
{
    struct stub_file *f = file;
    *st = (struct stat){ .st_mode = f ? S_IFREG | 0644 : S_IFDIR | 0755, .st_nlink = 1,
                         .st_size = f ? (off_t)f->size : 0, .st_dev = 77 };
    return 0;
}

static int stub_close(void *file)
{
    stub_closes++;
    return 0;
}

static int stub_readdir(void *file, long index, char *name, ino_t *ino)
{
    if (file)
        return -ENOTDIR;
    long seen = 0;
    for (int i = 0; i < STUB_FILES; i++)
        if (stub_files[i].used && seen++ == index) {
            strcpy(name, stub_files[i].name + 1);
            *ino = (ino_t)(i + 2);
            return 0;
        }
    return 1;
}

static int stub_stat(const char *path, struct stat *st)
{
    snprintf(stub_last, sizeof(stub_last), "%s", path);
    if (strcmp(path, "/") == 0)
        return stub_fstat(NULL, st);
    struct stub_file *f = stub_find(path);
    return f ? stub_fstat(f, st) : -ENOENT;
}

static int stub_unlink(const char *path)
{
    snprintf(stub_last, sizeof(stub_last), "%s", path);
    struct stub_file *f = stub_find(path);
    if (!f)
        return -ENOENT;
    f->used = false;
    return 0;
}

static int stub_rename(const char *from, const char *to)
{
    snprintf(stub_last, sizeof(stub_last), "%s>%s", from, to);
    struct stub_file *f = stub_find(from), *t = stub_find(to);
    if (!f)
        return -ENOENT;
    if (t && t != f)
        t->used = false;
    snprintf(f->name, sizeof(f->name), "%s", to);
    return 0;
}

static const struct vfs_ops stub_ops = {
    .name = "stubfs", .open = stub_open, .read = stub_read, .write = stub_write,
    .fstat = stub_fstat, .close = stub_close, .readdir = stub_readdir, .stat = stub_stat,
    .unlink = stub_unlink, .rename = stub_rename,
};

/* --- Tests --- */

/* Did a call return -1 with errno `want`? (errno is read here, after
 * the call: a function's arguments are evaluated before it runs.) */
static void fails(long r, int want, const char *what)
{
    int e = errno;
    ktap_check(r == -1 && e == want, "%s: got %ld, errno %d, want %d", what, r, e, want);
    errno = 0;
}

/* What if the mount point or the table is nonsense? */
static void test_mount_refusals(void)
{
    struct vfs_ops no_open = stub_ops;
    no_open.open = NULL;
    ktap_check(glue_mount(NULL, &stub_ops) == -EINVAL, "NULL point");
    ktap_check(glue_mount("/", &stub_ops) == -EINVAL, "mount on /");
    ktap_check(glue_mount("mnt", &stub_ops) == -EINVAL, "relative point");
    ktap_check(glue_mount("/a/../mnt", &stub_ops) == -EINVAL, "point not normalised");
    ktap_check(glue_mount("/mnt", NULL) == -EINVAL, "NULL ops");
    ktap_check(glue_mount("/mnt", &no_open) == -EINVAL, "ops without open");
    ktap_check(glue_mount("/no/such/dir", &stub_ops) == -ENOENT, "point under a missing directory");
}

/* Paths under /mnt reach stubfs without "/mnt"; the rest stays in memfs. */
static void test_mount_routes(void)
{
    int r = glue_mount("/mnt", &stub_ops);
    ktap_check(r == 0, "mount /mnt: %d", r);
    ktap_check(glue_mount("/mnt", &stub_ops) == -EBUSY, "second mount on /mnt is EBUSY");
    struct stat st;
    ktap_check(stat("/mnt", &st) == 0 && S_ISDIR(st.st_mode) && st.st_dev == 77 &&
               strcmp(stub_last, "/") == 0, "stat /mnt reaches stubfs's root (saw '%s')", stub_last);
    int fd = open("/mnt/f", O_RDWR | O_CREAT, 0644);
    ktap_check(fd >= 0 && strcmp(stub_last, "/f") == 0, "open /mnt/f: fd %d, stubfs saw '%s'", fd, stub_last);
    ktap_check(write(fd, "hello", 5) == 5, "write");
    ktap_check(stub_find("/f") && memcmp(stub_find("/f")->data, "hello", 5) == 0, "the bytes are in stubfs");
    char buf[16] = "";
    ktap_check(lseek(fd, 1, SEEK_SET) == 1 && read(fd, buf, sizeof(buf)) == 4 &&
               memcmp(buf, "ello", 4) == 0, "lseek + read through the mount");
    ktap_check(fstat(fd, &st) == 0 && st.st_size == 5 && st.st_dev == 77, "fstat through the mount");
    int closes = stub_closes;
    ktap_check(close(fd) == 0 && stub_closes == closes + 1, "close reaches stubfs");
    /* "/mntx" is not under "/mnt". */
    ktap_check(mkdir("/mntx", 0755) == 0 && stat("/mntx", &st) == 0 && st.st_dev != 77,
               "/mntx stays in memfs");
    ktap_check(rmdir("/mntx") == 0, "rmdir /mntx");
    /* memfs still has its files. */
    fd = open("/tmp/m", O_RDWR | O_CREAT, 0644);
    ktap_check(fd >= 0 && write(fd, "x", 1) == 1 && fstat(fd, &st) == 0 && st.st_dev != 77,
               "/tmp stays in memfs");
    close(fd);
    fails(rename("/mnt/f", "/tmp/f"), EXDEV, "rename across mounts is EXDEV");
    fails(rename("/tmp/m", "/mnt/m"), EXDEV, "rename into the mount is EXDEV");
    fails(rmdir("/mnt"), EBUSY, "rmdir of the mount point is EBUSY");
    fails(rename("/mnt", "/mnt2"), EBUSY, "rename of the mount point is EBUSY");
    fails(mkdir("/mnt", 0755), EEXIST, "mkdir of the mount point is EEXIST");
    ktap_check(rename("/mnt/f", "/mnt/g") == 0 && strcmp(stub_last, "/f>/g") == 0,
               "rename within the mount (stubfs saw '%s')", stub_last);
    ktap_check(unlink("/tmp/m") == 0, "unlink in memfs");
    /* "/" lists the mount point; the mount point lists stubfs's names. */
    bool saw_mnt = false, saw_g = false;
    DIR *d = opendir("/");
    for (struct dirent *e; d && (e = readdir(d));)
        saw_mnt |= strcmp(e->d_name, "mnt") == 0;
    if (d)
        closedir(d);
    d = opendir("/mnt");
    for (struct dirent *e; d && (e = readdir(d));)
        saw_g |= strcmp(e->d_name, "g") == 0;
    if (d)
        closedir(d);
    ktap_check(saw_mnt, "readdir / lists mnt");
    ktap_check(saw_g, "readdir /mnt lists stubfs's g");
    /* Relative paths from a working directory inside the mount. */
    ktap_check(chdir("/mnt") == 0, "chdir /mnt");
    ktap_check(stat("g", &st) == 0 && strcmp(stub_last, "/g") == 0, "stat g in /mnt (saw '%s')", stub_last);
    ktap_check(chdir("/") == 0, "chdir /");
    ktap_check(unlink("/mnt/g") == 0 && strcmp(stub_last, "/g") == 0, "unlink /mnt/g");
}

/* pread and pwrite use their offset and leave the position alone. */
static void test_pread_pwrite(void)
{
    int fd = open("/tmp/pp", O_RDWR | O_CREAT | O_TRUNC, 0644);
    ktap_check(fd >= 0, "open /tmp/pp");
    ktap_check(write(fd, "0123456789", 10) == 10, "write");
    ktap_check(lseek(fd, 2, SEEK_SET) == 2, "lseek 2");
    char buf[8] = "";
    ktap_check(pread(fd, buf, 3, 5) == 3 && memcmp(buf, "567", 3) == 0, "pread 3 at 5");
    ktap_check(pwrite(fd, "ab", 2, 8) == 2, "pwrite 2 at 8");
    ktap_check(lseek(fd, 0, SEEK_CUR) == 2, "the position is still 2");
    ktap_check(pread(fd, buf, 8, 6) == 4 && memcmp(buf, "67ab", 4) == 0, "pread sees the pwrite");
    ktap_check(pread(fd, buf, 8, 100) == 0, "pread past the end is 0");
    fails(pread(fd, buf, 1, -1), EINVAL, "negative offset is EINVAL");
    close(fd);
    fd = open("/tmp/pp", O_WRONLY);
    fails(pread(fd, buf, 1, 0), EBADF, "pread on O_WRONLY is EBADF");
    close(fd);
    fd = open("/tmp/pp", O_RDONLY);
    fails(pwrite(fd, "x", 1, 0), EBADF, "pwrite on O_RDONLY is EBADF");
    close(fd);
    int p[2];
    ktap_check(pipe(p) == 0, "pipe");
    fails(pwrite(p[1], "x", 1, 0), ESPIPE, "pwrite on a pipe is ESPIPE");
    fails(pread(p[0], buf, 1, 0), ESPIPE, "pread on a pipe is ESPIPE");
    close(p[0]);
    close(p[1]);
    fails(pread(999, buf, 1, 0), EBADF, "pread on a closed fd is EBADF");
    unlink("/tmp/pp");
}

static int opener_calls;
static char opener_name[64];

static errval_t refuse_open(const char *name, struct blk_dev **dev)
{
    opener_calls++;
    snprintf(opener_name, sizeof(opener_name), "%s", name);
    *dev = NULL;
    return TENACIOUS_ERR_DEVICE;
}

/* fs=NAME: from the environment (a leading spawn argument) or from argv
 * (taken out); a VSA that cannot be opened is refused. Spawned with
 * "fs=nosuch keep fs=second". */
static void test_spawn_arg_hook(void)
{
    const char *env = getenv("fs");
    ktap_check(env && strcmp(env, "nosuch") == 0, "fs=nosuch is in the environment");
    ktap_check(libos_argc == 3 && strcmp(libos_argv[1], "keep") == 0 &&
               strcmp(libos_argv[2], "fs=second") == 0, "argv is prog keep fs=second (argc %d)", libos_argc);
    errval_t err = vsafs_mount_spawn_args(refuse_open);
    ktap_check(err_no(err) == VSAFS_ERR_MOUNT && err_no(err_pop(err)) == TENACIOUS_ERR_DEVICE,
               "a VSA that cannot be opened: VSAFS_ERR_MOUNT <- the opener's error (%s)",
               err_name(err_no(err)));
    ktap_check(opener_calls == 1 && strcmp(opener_name, "nosuch") == 0,
               "the opener was asked for 'nosuch' ('%s', %d calls)", opener_name, opener_calls);
    ktap_check(libos_argc == 3, "argv untouched when fs came from the environment");
    struct stat st;
    ktap_check(stat("/data", &st) != 0, "/data was not mounted");
    /* From argv: taken out, the rest moves up. */
    ktap_check(unsetenv("fs") == 0, "unsetenv fs");
    err = vsafs_mount_spawn_args(refuse_open);
    ktap_check(err_no(err) == VSAFS_ERR_MOUNT && opener_calls == 2 && strcmp(opener_name, "second") == 0,
               "fs=second from argv asked for ('%s')", opener_name);
    ktap_check(libos_argc == 2 && strcmp(libos_argv[1], "keep") == 0 && libos_argv[2] == NULL,
               "fs=second taken out of argv, argv NULL-terminated (argc %d)", libos_argc);
    /* Nothing left: nothing to do, nothing asked. */
    ktap_check(vsafs_mount_spawn_args(refuse_open) == ERR_OK && opener_calls == 2,
               "without fs= the hook does nothing");
    ktap_check(err_no(vsafs_mount(NULL, NULL, true)) == TENACIOUS_ERR_ARGS, "vsafs_mount(NULL) refused");
}

static const struct ktap_test mount_tests[] = {
    { "mount_refusals", test_mount_refusals },
    { "mount_routes_paths", test_mount_routes },
    { "pread_pwrite", test_pread_pwrite },
    { "spawn_arg_hook", test_spawn_arg_hook },
};

int main(int argc, char *argv[])
{
    (void)argc;                         /* test_spawn_arg_hook reads libos_argv */
    (void)argv;
    return ktap_run("mount_suite", mount_tests, (int)(sizeof(mount_tests) / sizeof(mount_tests[0])));
}
