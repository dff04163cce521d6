/*
 * netdb.c: getaddrinfo, freeaddrinfo, gai_strerror, getnameinfo
 * (<netdb.h>) for a domain with no resolver.
 *
 * What resolves: a numeric IPv4 address (inet_aton's forms, as glibc
 * takes them), NULL (INADDR_ANY with AI_PASSIVE, else the loopback
 * address), and "localhost"; a numeric service (0-65535). Without a
 * socket type a result comes for SOCK_STREAM/TCP and for SOCK_DGRAM/UDP,
 * as glibc gives. Refused: other host names (EAI_NONAME: there is no DNS
 * and no /etc/hosts), service names (EAI_SERVICE: no /etc/services), and
 * IPv6 (EAI_FAMILY with errno EAFNOSUPPORT: Redis skips its optional "::"
 * listener only on that errno); each refusal is said once on the console.
 * getnameinfo gives numeric answers: no reverse lookup (so NI_NAMEREQD is
 * EAI_NONAME).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NETDB_FLAGS (AI_PASSIVE | AI_CANONNAME | AI_NUMERICHOST | AI_V4MAPPED | AI_ALL | \
                     AI_ADDRCONFIG | AI_NUMERICSERV)
#define NETDB_AF_INET6 10       /* Linux's; this OS has no IPv6 to name it */

/* One result: the addrinfo and its address in one allocation. */
struct netdb_result {
    struct addrinfo ai;
    struct sockaddr_in sin;
};

static void netdb_say_once(bool *said, const char *what)
{
    if (!*said)
        printf("getaddrinfo: %s\n", what);
    *said = true;
}

/* The service as a port in network order: 0, or an EAI_ code. */
static int netdb_port(const char *service, int flags, uint16_t *port)
{
    *port = 0;
    if (!service)
        return 0;
    char *end;
    errno = 0;
    unsigned long v = strtoul(service, &end, 10);
    if (service[0] && !*end && !errno && v <= 65535 && isdigit((unsigned char)service[0])) {
        *port = htons((uint16_t)v);
        return 0;
    }
    if (!(flags & AI_NUMERICSERV)) {
        static bool said;
        netdb_say_once(&said, "service names refused (EAI_SERVICE): there is no /etc/services");
    }
    return flags & AI_NUMERICSERV ? EAI_NONAME : EAI_SERVICE;
}

/* The host as an IPv4 address in network order: 0, or an EAI_ code. */
static int netdb_host(const char *node, int flags, struct in_addr *addr)
{
    if (!node) {
        addr->s_addr = htonl(flags & AI_PASSIVE ? INADDR_ANY : INADDR_LOOPBACK);
        return 0;
    }
    if (inet_aton(node, addr))
        return 0;
    if (strchr(node, ':')) {
        static bool said;
        netdb_say_once(&said, "IPv6 refused (EAI_FAMILY, errno EAFNOSUPPORT): this OS speaks IPv4 only");
        errno = EAFNOSUPPORT;
        return EAI_FAMILY;
    }
    if (!(flags & AI_NUMERICHOST) && strcasecmp(node, "localhost") == 0) {
        addr->s_addr = htonl(INADDR_LOOPBACK);
        return 0;
    }
    if (!(flags & AI_NUMERICHOST)) {
        static bool said;
        netdb_say_once(&said, "host names other than localhost refused (EAI_NONAME): there is no resolver");
    }
    return EAI_NONAME;
}

int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
                struct addrinfo **res)
{
    int flags = hints ? hints->ai_flags : AI_V4MAPPED | AI_ADDRCONFIG;
    int family = hints ? hints->ai_family : AF_UNSPEC;
    int socktype = hints ? hints->ai_socktype : 0;
    int protocol = hints ? hints->ai_protocol : 0;
    if (!res)
        return EAI_SYSTEM;
    *res = NULL;
    if (flags & ~NETDB_FLAGS)
        return EAI_BADFLAGS;
    if ((flags & AI_CANONNAME) && !node)
        return EAI_BADFLAGS;
    if (!node && !service)
        return EAI_NONAME;
    if (family == NETDB_AF_INET6) {
        static bool said;
        netdb_say_once(&said, "AF_INET6 refused (EAI_FAMILY, errno EAFNOSUPPORT): this OS speaks IPv4 only");
        errno = EAFNOSUPPORT;
        return EAI_FAMILY;
    }
    if (family != AF_UNSPEC && family != AF_INET)
        return EAI_FAMILY;
    if (socktype != 0 && socktype != SOCK_STREAM && socktype != SOCK_DGRAM && socktype != SOCK_RAW)
        return EAI_SOCKTYPE;
    if ((socktype == SOCK_STREAM && protocol && protocol != IPPROTO_TCP) ||
        (socktype == SOCK_DGRAM && protocol && protocol != IPPROTO_UDP))
        return EAI_SOCKTYPE;
    if (socktype == SOCK_RAW && service)
        return EAI_SERVICE;
    uint16_t port;
    int err = netdb_port(service, flags, &port);
    if (err)
        return err;
    struct in_addr addr;
    if ((err = netdb_host(node, flags, &addr)))
        return err;

    static const struct { int type, proto; } kinds[] = {
        { SOCK_STREAM, IPPROTO_TCP }, { SOCK_DGRAM, IPPROTO_UDP }, { SOCK_RAW, 0 },
    };
    struct addrinfo **tail = res;
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        if (socktype ? kinds[k].type != socktype : kinds[k].type == SOCK_RAW)
            continue;
        if (!socktype && protocol && protocol != kinds[k].proto)
            continue;
        struct netdb_result *r = calloc(1, sizeof *r);
        if (!r) {
            freeaddrinfo(*res);
            *res = NULL;
            return EAI_MEMORY;
        }
        r->sin = (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = port, .sin_addr = addr };
        r->ai = (struct addrinfo){ .ai_flags = flags, .ai_family = AF_INET, .ai_socktype = kinds[k].type,
                                   .ai_protocol = socktype == SOCK_RAW ? protocol : kinds[k].proto,
                                   .ai_addrlen = sizeof r->sin, .ai_addr = (struct sockaddr *)&r->sin };
        *tail = &r->ai;
        tail = &r->ai.ai_next;
    }
    if (!*res)
        return EAI_SOCKTYPE;    /* a protocol that fits no socket type */
    if (flags & AI_CANONNAME) {
        (*res)->ai_canonname = strdup(node);
        if (!(*res)->ai_canonname) {
            freeaddrinfo(*res);
            *res = NULL;
            return EAI_MEMORY;
        }
    }
    return 0;
}

void freeaddrinfo(struct addrinfo *res)
{
    while (res) {
        struct addrinfo *next = res->ai_next;
        free(res->ai_canonname);
        free(res);              /* the struct netdb_result it starts */
        res = next;
    }
}

const char *gai_strerror(int err)
{
    switch (err) {
    case 0: return "Success";
    case EAI_BADFLAGS: return "Bad value for ai_flags";
    case EAI_NONAME: return "Name or service not known";
    case EAI_AGAIN: return "Temporary failure in name resolution";
    case EAI_FAIL: return "Non-recoverable failure in name resolution";
    case EAI_NODATA: return "No address associated with hostname";
    case EAI_FAMILY: return "ai_family not supported";
    case EAI_SOCKTYPE: return "ai_socktype not supported";
    case EAI_SERVICE: return "Servname not supported for ai_socktype";
    case EAI_ADDRFAMILY: return "Address family for hostname not supported";
    case EAI_MEMORY: return "Memory allocation failure";
    case EAI_SYSTEM: return "System error";
    case EAI_OVERFLOW: return "Argument buffer overflow";
    default: return "Unknown error";
    }
}

int getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host, socklen_t hostlen,
                char *serv, socklen_t servlen, int flags)
{
    if (!sa || salen < sizeof(sa_family_t))
        return EAI_FAMILY;
    if (sa->sa_family != AF_INET) {
        if (sa->sa_family == NETDB_AF_INET6)
            errno = EAFNOSUPPORT;
        return EAI_FAMILY;
    }
    if (salen < sizeof(struct sockaddr_in))
        return EAI_FAMILY;
    if (flags & ~(NI_NUMERICHOST | NI_NUMERICSERV | NI_NOFQDN | NI_NAMEREQD | NI_DGRAM))
        return EAI_BADFLAGS;
    if (!(host && hostlen) && !(serv && servlen))
        return EAI_NONAME;
    const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;
    if (host && hostlen) {
        if (flags & NI_NAMEREQD)
            return EAI_NONAME;          /* no reverse lookup to give a name */
        if (!inet_ntop(AF_INET, &sin->sin_addr, host, hostlen))
            return EAI_OVERFLOW;
    }
    if (serv && servlen) {
        int n = snprintf(serv, servlen, "%u", (unsigned)ntohs(sin->sin_port));
        if (n < 0 || (socklen_t)n >= servlen)
            return EAI_OVERFLOW;
    }
    return 0;
}
