/*
 * exit.c: the C library's start and end for freestanding programs
 * (MODULE_LIBC := minic). There are no atexit handlers and no buffered
 * streams, so start-up has nothing to do and exit() ends at once. Programs
 * on newlib get both from lib/newlib/syscalls.c and newlib instead.
 */
#include <libos/libos.h>

void libos_libc_init(void)
{
}

_Noreturn void exit(int status)
{
    libos_exit(status);
}
