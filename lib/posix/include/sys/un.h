/* sys/un.h: the AF_UNIX address, Linux's layout. Only socketpair() makes
 * AF_UNIX sockets here; socket(AF_UNIX) is EAFNOSUPPORT (lib/posix). */
#ifndef POSIX_SYS_UN_H
#define POSIX_SYS_UN_H
#include <sys/socket.h>

struct sockaddr_un {
    sa_family_t sun_family;
    char sun_path[108];
};
#endif
