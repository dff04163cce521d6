/* sys/termios.h: the terminal types, Linux's layout, for code that
 * includes <termios.h> (newlib's includes this file, which its x86_64-elf
 * build does not install). The console is no terminal: there is no
 * tcgetattr/tcsetattr, and ioctl(TIOCGWINSZ) reports 0 x 0
 * (<sys/ioctl.h>). Redis's memtest.c includes it for struct winsize. */
#ifndef POSIX_SYS_TERMIOS_H
#define POSIX_SYS_TERMIOS_H
#include <sys/ioctl.h>

typedef unsigned char cc_t;
typedef unsigned int speed_t;
typedef unsigned int tcflag_t;

#define NCCS 32
struct termios {
    tcflag_t c_iflag, c_oflag, c_cflag, c_lflag;
    cc_t c_line;
    cc_t c_cc[NCCS];
    speed_t c_ispeed, c_ospeed;
};
#endif
