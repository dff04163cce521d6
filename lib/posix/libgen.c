/*
 * libgen.c: dirname and basename (POSIX's, which may change their
 * argument), and getline/getdelim under their POSIX names over newlib's
 * __getline/__getdelim.
 */
#include <libgen.h>
#include <stdio.h>
#include <string.h>

char *dirname(char *path)
{
    static char dot[] = ".", slash[] = "/";
    if (!path || !*path)
        return dot;
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;                            /* trailing slashes */
    while (n > 0 && path[n - 1] != '/')
        n--;                            /* the last component */
    if (n == 0)
        return dot;
    while (n > 1 && path[n - 1] == '/')
        n--;                            /* the slashes before it */
    if (n == 1 && path[0] == '/')
        return slash;
    path[n] = '\0';
    return path;
}

char *basename(char *path)
{
    static char dot[] = ".";
    if (!path || !*path)
        return dot;
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        path[--n] = '\0';
    if (n == 1 && path[0] == '/')
        return path;
    char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

ssize_t getline(char **line, size_t *n, FILE *f)
{
    return __getline(line, n, f);
}

ssize_t getdelim(char **line, size_t *n, int delim, FILE *f)
{
    return __getdelim(line, n, delim, f);
}
