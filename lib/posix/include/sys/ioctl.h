/**
 * \file sys/ioctl.h
 * \brief ioctl() on sockets: FIONREAD, FIONBIO (lib/posix/socket.c).
 */
#ifndef _SYS_IOCTL_H
#define _SYS_IOCTL_H

#define FIONREAD    0x541B
#define FIONBIO     0x5421

int ioctl(int fd, unsigned long request, ...);
#endif
