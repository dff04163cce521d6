/*
 * dir.c: opendir, fdopendir, readdir, closedir, rewinddir, dirfd,
 * telldir, seekdir (<dirent.h>) over a directory's descriptor.
 *
 * A DIR is an fd opened O_RDONLY|O_DIRECTORY and the index of the next
 * entry, which readdir asks the file system for (vfs_ops readdir,
 * through glue_fd_readdir): ".", "..", then the directory's names. An
 * entry added or removed meanwhile may shift the rest by one, as POSIX
 * allows ("whether it is returned is unspecified"). d_type is DT_DIR or
 * DT_REG from a stat of the entry (DT_UNKNOWN if that fails).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <posix/libc.h>

struct posix_dir {
    int fd;
    long index;                 /* the next entry */
    char path[GLUE_PATH_MAX];   /* for d_type; "" from fdopendir */
    struct dirent ent;
};

static DIR *dir_new(int fd, const char *path)
{
    struct stat st;
    if (fstat(fd, &st) < 0)
        return NULL;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return NULL;
    }
    DIR *d = calloc(1, sizeof *d);
    if (!d) {
        errno = ENOMEM;
        return NULL;
    }
    d->fd = fd;
    if (path && glue_path(path, d->path) != 0)
        d->path[0] = '\0';
    return d;
}

DIR *opendir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return NULL;
    DIR *d = dir_new(fd, path);
    if (!d) {
        int err = errno;
        close(fd);
        errno = err;
    }
    return d;
}

DIR *fdopendir(int fd)
{
    return dir_new(fd, NULL);
}

struct dirent *readdir(DIR *d)
{
    if (!d) {
        errno = EBADF;
        return NULL;
    }
    ino_t ino = 0;
    int r = glue_fd_readdir(d->fd, d->index, d->ent.d_name, &ino);
    if (r != 0) {
        if (r < 0)
            errno = -r;
        return NULL;            /* r == 1: the end, errno untouched */
    }
    d->ent.d_ino = ino;
    d->ent.d_off = ++d->index;
    d->ent.d_reclen = sizeof d->ent;
    d->ent.d_type = DT_UNKNOWN;
    char full[GLUE_PATH_MAX];
    struct stat st;
    size_t n = strlen(d->path);
    if (n && n + 1 + strlen(d->ent.d_name) < sizeof full) {
        memcpy(full, d->path, n);
        full[n] = '/';
        strcpy(full + n + 1, d->ent.d_name);
        if (stat(full, &st) == 0)
            d->ent.d_type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
    }
    return &d->ent;
}

int closedir(DIR *d)
{
    if (!d) {
        errno = EBADF;
        return -1;
    }
    int r = close(d->fd);
    free(d);
    return r;
}

void rewinddir(DIR *d) { d->index = 0; }
int dirfd(DIR *d) { return d->fd; }
long telldir(DIR *d) { return d->index; }
void seekdir(DIR *d, long pos) { d->index = pos; }
