/* net/if.h: interface names and indexes (lib/posix/sysinfo.c, over lwIP's netifs). */
#ifndef POSIX_NET_IF_H
#define POSIX_NET_IF_H
#define IF_NAMESIZE 16
#define IFNAMSIZ    IF_NAMESIZE

unsigned int if_nametoindex(const char *name);
char *if_indextoname(unsigned int index, char *name);
#endif
