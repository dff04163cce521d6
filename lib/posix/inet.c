/*
 * inet.c: IPv4 addresses as text (<arpa/inet.h>): inet_aton accepts what
 * BSD's does (a, a.b, a.b.c, a.b.c.d; each part decimal, 0x hex or 0
 * octal); inet_pton only the dotted-decimal quad, as POSIX says.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

int inet_aton(const char *cp, struct in_addr *addr)
{
    uint32_t part[4];
    int n = 0;
    const char *p = cp;
    if (!p)
        return 0;
    for (;;) {
        if (*p < '0' || *p > '9')
            return 0;
        uint64_t v = 0;
        unsigned base = 10;
        if (*p == '0') {
            base = 8;
            p++;
            if (*p == 'x' || *p == 'X') {
                base = 16;
                p++;
            }
        }
        for (;; p++) {
            unsigned d;
            if (*p >= '0' && *p <= '9')
                d = (unsigned)(*p - '0');
            else if (base == 16 && *p >= 'a' && *p <= 'f')
                d = (unsigned)(*p - 'a' + 10);
            else if (base == 16 && *p >= 'A' && *p <= 'F')
                d = (unsigned)(*p - 'A' + 10);
            else
                break;
            if (d >= base)
                return 0;
            v = v * base + d;
            if (v > 0xffffffffu)
                return 0;
        }
        part[n++] = (uint32_t)v;
        if (*p == '.' && n < 4) {
            p++;
            continue;
        }
        if (*p)
            return 0;
        break;
    }
    uint32_t v;
    switch (n) {
    case 1: v = part[0]; break;
    case 2:
        if (part[0] > 0xff || part[1] > 0xffffff) return 0;
        v = part[0] << 24 | part[1];
        break;
    case 3:
        if (part[0] > 0xff || part[1] > 0xff || part[2] > 0xffff) return 0;
        v = part[0] << 24 | part[1] << 16 | part[2];
        break;
    default:
        if (part[0] > 0xff || part[1] > 0xff || part[2] > 0xff || part[3] > 0xff) return 0;
        v = part[0] << 24 | part[1] << 16 | part[2] << 8 | part[3];
        break;
    }
    if (addr)
        addr->s_addr = htonl(v);
    return 1;
}

in_addr_t inet_addr(const char *cp)
{
    struct in_addr a;
    return inet_aton(cp, &a) ? a.s_addr : INADDR_NONE;
}

char *inet_ntoa(struct in_addr in)
{
    static __thread char buf[INET_ADDRSTRLEN];
    return (char *)inet_ntop(AF_INET, &in, buf, sizeof buf);
}

int inet_pton(int af, const char *src, void *dst)
{
    if (af != AF_INET) {
        errno = EAFNOSUPPORT;
        return -1;
    }
    uint8_t b[4];
    const char *p = src;
    for (int i = 0; i < 4; i++) {
        unsigned v = 0, digits = 0;
        while (*p >= '0' && *p <= '9' && digits < 4) {
            v = v * 10 + (unsigned)(*p++ - '0');
            digits++;
        }
        if (!digits || digits > 3 || v > 255 || (digits > 1 && p[-(int)digits] == '0'))
            return 0;
        b[i] = (uint8_t)v;
        if (i < 3 && *p++ != '.')
            return 0;
    }
    if (*p)
        return 0;
    memcpy(dst, b, 4);
    return 1;
}

const char *inet_ntop(int af, const void *src, char *dst, socklen_t size)
{
    if (af != AF_INET) {
        errno = EAFNOSUPPORT;
        return NULL;
    }
    const uint8_t *b = src;
    char tmp[INET_ADDRSTRLEN];
    int n = snprintf(tmp, sizeof tmp, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
    if (n < 0 || (socklen_t)n >= size) {
        errno = ENOSPC;
        return NULL;
    }
    memcpy(dst, tmp, (size_t)n + 1);
    return dst;
}
