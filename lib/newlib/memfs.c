/*
 * memfs.c: a small file system in the heap, behind struct vfs_ops
 * (posix/libc.h), until files live on a VSA.
 *
 * A flat namespace: MEMFS_FILES files named by their whole path (up to
 * MEMFS_NAME_MAX bytes, no directories), contents in one malloc'd buffer
 * that doubles as it grows. open() supports O_CREAT, O_EXCL and O_TRUNC
 * (the fd layer does O_APPEND and the access mode). unlink() removes the
 * name at once; the contents go when the last descriptor closes. One
 * cross-core mutex guards everything. Nothing survives the domain.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libos/sync.h>
#include <posix/libc.h>

#define MEMFS_FILES     32
#define MEMFS_NAME_MAX  64

struct memfs_file {
    char name[MEMFS_NAME_MAX];      /* "" once unlinked (or free) */
    unsigned char *data;
    size_t size, cap;
    unsigned opens;                 /* descriptors open on it */
    bool used;
};

static struct sync_mutex memfs_lock = SYNC_MUTEX_INITIALIZER;
static struct memfs_file memfs_files[MEMFS_FILES];

static struct memfs_file *memfs_find(const char *path)
{
    for (int i = 0; i < MEMFS_FILES; i++)
        if (memfs_files[i].used && strcmp(memfs_files[i].name, path) == 0)
            return &memfs_files[i];
    return NULL;
}

static void memfs_drop(struct memfs_file *f)
{
    if (f->name[0] || f->opens)
        return;
    free(f->data);
    *f = (struct memfs_file){ 0 };
}

static int memfs_open(const char *path, int flags, int mode, void **out)
{
    if (!path[0])
        return -ENOENT;
    if (strlen(path) >= MEMFS_NAME_MAX)
        return -ENAMETOOLONG;
    int err = 0;
    sync_mutex_lock(&memfs_lock);
    struct memfs_file *f = memfs_find(path);
    if (f && (flags & O_CREAT) && (flags & O_EXCL))
        err = -EEXIST;
    else if (!f && !(flags & O_CREAT))
        err = -ENOENT;
    else if (!f) {
        for (int i = 0; i < MEMFS_FILES && !f; i++)
            if (!memfs_files[i].used)
                f = &memfs_files[i];
        if (!f)
            err = -ENOSPC;
        else {
            *f = (struct memfs_file){ .used = true };
            strcpy(f->name, path);
        }
    }
    if (!err) {
        if ((flags & O_TRUNC) && (flags & O_ACCMODE) != O_RDONLY)
            f->size = 0;
        f->opens++;
        *out = f;
    }
    sync_mutex_unlock(&memfs_lock);
    return err;
}

static ssize_t memfs_read(void *file, void *buf, size_t n, off_t pos, int flags)
{
    struct memfs_file *f = file;
    sync_mutex_lock(&memfs_lock);
    size_t got = 0;
    if ((size_t)pos < f->size) {
        got = f->size - (size_t)pos < n ? f->size - (size_t)pos : n;
        memcpy(buf, f->data + pos, got);
    }
    sync_mutex_unlock(&memfs_lock);
    return (ssize_t)got;
}

static ssize_t memfs_write(void *file, const void *buf, size_t n, off_t pos, int flags)
{
    struct memfs_file *f = file;
    size_t end = (size_t)pos + n;
    ssize_t ret = (ssize_t)n;
    sync_mutex_lock(&memfs_lock);
    if (end > f->cap) {
        size_t cap = f->cap ? f->cap : 256;
        while (cap < end)
            cap *= 2;
        unsigned char *data = realloc(f->data, cap);
        if (!data)
            ret = -ENOSPC;
        else {
            f->data = data;
            f->cap = cap;
        }
    }
    if (ret > 0) {
        if ((size_t)pos > f->size)
            memset(f->data + f->size, 0, (size_t)pos - f->size);   /* a hole reads as zeroes */
        memcpy(f->data + pos, buf, n);
        if (end > f->size)
            f->size = end;
    }
    sync_mutex_unlock(&memfs_lock);
    return ret;
}

static void memfs_fill_stat(const struct memfs_file *f, struct stat *st)
{
    *st = (struct stat){ .st_mode = S_IFREG | 0644, .st_nlink = f->name[0] ? 1 : 0,
                         .st_size = (off_t)f->size, .st_blksize = 512,
                         .st_blocks = (blkcnt_t)((f->size + 511) / 512),
                         .st_ino = (ino_t)(f - memfs_files + 1) };
}

static int memfs_fstat(void *file, struct stat *st)
{
    sync_mutex_lock(&memfs_lock);
    memfs_fill_stat(file, st);
    sync_mutex_unlock(&memfs_lock);
    return 0;
}

static int memfs_close(void *file)
{
    struct memfs_file *f = file;
    sync_mutex_lock(&memfs_lock);
    f->opens--;
    memfs_drop(f);
    sync_mutex_unlock(&memfs_lock);
    return 0;
}

static int memfs_stat(const char *path, struct stat *st)
{
    sync_mutex_lock(&memfs_lock);
    struct memfs_file *f = memfs_find(path);
    if (f)
        memfs_fill_stat(f, st);
    sync_mutex_unlock(&memfs_lock);
    return f ? 0 : -ENOENT;
}

static int memfs_unlink(const char *path)
{
    sync_mutex_lock(&memfs_lock);
    struct memfs_file *f = memfs_find(path);
    if (f) {
        f->name[0] = '\0';
        memfs_drop(f);
    }
    sync_mutex_unlock(&memfs_lock);
    return f ? 0 : -ENOENT;
}

const struct vfs_ops memfs_ops = {
    .name = "memfs", .open = memfs_open, .read = memfs_read, .write = memfs_write,
    .fstat = memfs_fstat, .close = memfs_close, .stat = memfs_stat, .unlink = memfs_unlink,
};
