/*
 * ifname.c: if_nametoindex and if_indextoname (<net/if.h>) over lwIP's
 * netifs ("lo0", and "en0"... once net_start() added the VNIC). Kept
 * apart from sock_lwip.c because lwIP's headers make these names macros.
 * An unknown name is 0 with errno ENODEV, an unknown index NULL with
 * ENXIO, as glibc says.
 */
#include <errno.h>
#include <net/if.h>

unsigned int lwip_if_nametoindex(const char *ifname);      /* lwIP's own */
char *lwip_if_indextoname(unsigned int ifindex, char *ifname);

unsigned int if_nametoindex(const char *name)
{
    unsigned int i = name ? lwip_if_nametoindex(name) : 0;
    if (!i)
        errno = ENODEV;
    return i;
}

char *if_indextoname(unsigned int index, char *name)
{
    char *r = name ? lwip_if_indextoname(index, name) : NULL;
    if (!r)
        errno = ENXIO;
    return r;
}
