/**
 * \file sys/ioctl.h
 * \brief ioctl() on sockets: FIONREAD, FIONBIO (lib/posix/socket.c).
 */
#ifndef _SYS_IOCTL_H
#define _SYS_IOCTL_H

#define FIONREAD    0x541B
#define FIONBIO     0x5421
#define TIOCGWINSZ  0x5413

/* A terminal's size; the serial console reports 0 x 0, as a Linux serial
 * tty does until someone sets it. */
struct winsize {
    unsigned short ws_row;
    unsigned short ws_col;
    unsigned short ws_xpixel;
    unsigned short ws_ypixel;
};

int ioctl(int fd, unsigned long request, ...);
#endif
