/* sys/stat.h: newlib's, and lstat, which its x86_64-elf build does not
 * declare (there are no symbolic links: lstat is stat, lib/newlib/fd.c). */
#ifndef POSIX_SYS_STAT_H
#define POSIX_SYS_STAT_H
#include_next <sys/stat.h>
int lstat(const char *__restrict path, struct stat *__restrict st);
#endif
