/*
 * path.c: the working directory and path names: getcwd, chdir,
 * get_current_dir_name, and glue_path (posix/libc.h), which every path
 * call of the fd layer uses before it asks the file system.
 *
 * A path becomes absolute (relative ones against the working directory)
 * and normalised: empty and "." components go, ".." takes the one before
 * it away (at "/" it stays "/"). There are no symbolic links, so this
 * lexical walk names what the kernel's walk would, except that
 * "file/.." is accepted rather than ENOTDIR. A component longer than
 * NAME_MAX or a result longer than GLUE_PATH_MAX is ENAMETOOLONG. The
 * working directory is one string for the domain, under a mutex.
 */
#define _GNU_SOURCE         /* get_current_dir_name, as glibc declares it */
#include <errno.h>
#include <reent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syslimits.h>
#include <unistd.h>

#include <libos/sync.h>
#include <posix/libc.h>

static struct sync_mutex path_lock = SYNC_MUTEX_INITIALIZER;
static char path_cwd[GLUE_PATH_MAX] = "/";

int glue_path(const char *path, char *out)
{
    if (!path)
        return -EFAULT;
    if (!path[0])
        return -ENOENT;
    size_t len = 0;
    if (path[0] != '/') {
        sync_mutex_lock(&path_lock);
        len = strlen(path_cwd);
        memcpy(out, path_cwd, len + 1);
        sync_mutex_unlock(&path_lock);
        if (len == 1)
            len = 0;            /* "/" : components append after "" */
    }
    for (const char *p = path; *p;) {
        while (*p == '/')
            p++;
        const char *end = p;
        while (*end && *end != '/')
            end++;
        size_t n = (size_t)(end - p);
        if (n > NAME_MAX)
            return -ENAMETOOLONG;
        if (n == 0 || (n == 1 && p[0] == '.')) {
            /* nothing */
        } else if (n == 2 && p[0] == '.' && p[1] == '.') {
            while (len > 0 && out[len - 1] != '/')
                len--;
            if (len > 0)
                len--;          /* the slash before it */
        } else {
            if (len + 1 + n + 1 > GLUE_PATH_MAX)
                return -ENAMETOOLONG;
            out[len++] = '/';
            memcpy(out + len, p, n);
            len += n;
        }
        p = end;
    }
    if (len == 0)
        out[len++] = '/';
    out[len] = '\0';
    return 0;
}

char *getcwd(char *buf, size_t size)
{
    sync_mutex_lock(&path_lock);
    size_t need = strlen(path_cwd) + 1;
    char *ret = NULL;
    int err = 0;
    if (!buf) {                 /* glibc's extension: allocate (size 0: as needed) */
        if (size && size < need)
            err = ERANGE;
        else if (!(buf = malloc(size ? size : need)))
            err = ENOMEM;
    } else if (size == 0) {
        err = EINVAL;
    } else if (size < need) {
        err = ERANGE;
    }
    if (!err) {
        memcpy(buf, path_cwd, need);
        ret = buf;
    }
    sync_mutex_unlock(&path_lock);
    if (err)
        errno = err;
    return ret;
}

char *get_current_dir_name(void)
{
    return getcwd(NULL, 0);
}

int chdir(const char *path)
{
    char abs[GLUE_PATH_MAX];
    struct stat st;
    int err = glue_path(path, abs);
    if (!err)
        err = vfs_root->stat(abs, &st);
    if (!err && !S_ISDIR(st.st_mode))
        err = -ENOTDIR;
    if (err) {
        errno = -err;
        return -1;
    }
    sync_mutex_lock(&path_lock);
    strcpy(path_cwd, abs);
    sync_mutex_unlock(&path_lock);
    return 0;
}
