/*
 * suite_sys.c: name resolution (getaddrinfo(3), getnameinfo(3)) and what
 * a program learns of its process and system (getrlimit(2), sysconf(3),
 * getrusage(2), uname(2), getuid(2), umask(2), getentropy(3),
 * if_nametoindex(3)), and the long-double functions: what POSIX and
 * Linux's man pages say, and this OS's documented refusals.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <net/if.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "suite.h"

static bool suite_is_v4(const struct addrinfo *ai, const char *addr, unsigned port)
{
    const struct sockaddr_in *sin = (const struct sockaddr_in *)ai->ai_addr;
    char got[INET_ADDRSTRLEN] = "";
    inet_ntop(AF_INET, &sin->sin_addr, got, sizeof got);
    return ai->ai_family == AF_INET && ai->ai_addrlen == sizeof *sin && sin->sin_family == AF_INET &&
           strcmp(got, addr) == 0 && ntohs(sin->sin_port) == port;
}

/* getaddrinfo: numeric IPv4, AI_PASSIVE, localhost, and the refusals. */
void test_getaddrinfo(void)
{
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE },
                    *res = NULL;
    ktap_check(getaddrinfo(NULL, "6379", &hints, &res) == 0 && res, "NULL host, AI_PASSIVE");
    ktap_check(res && suite_is_v4(res, "0.0.0.0", 6379) && res->ai_socktype == SOCK_STREAM &&
               res->ai_protocol == IPPROTO_TCP && !res->ai_next, "gives 0.0.0.0:6379/TCP, one result");
    freeaddrinfo(res);
    hints.ai_flags = 0;
    ktap_check(getaddrinfo(NULL, "80", &hints, &res) == 0 && suite_is_v4(res, "127.0.0.1", 80),
               "NULL host without AI_PASSIVE: the loopback address");
    freeaddrinfo(res);
    ktap_check(getaddrinfo("10.11.0.2", NULL, &hints, &res) == 0 && suite_is_v4(res, "10.11.0.2", 0),
               "a numeric address, no service");
    freeaddrinfo(res);
    hints.ai_flags = AI_CANONNAME;
    ktap_check(getaddrinfo("localhost", "11211", &hints, &res) == 0 && suite_is_v4(res, "127.0.0.1", 11211) &&
               res->ai_canonname && strcmp(res->ai_canonname, "localhost") == 0, "localhost, AI_CANONNAME");
    freeaddrinfo(res);
    hints = (struct addrinfo){ .ai_family = AF_INET };
    ktap_check(getaddrinfo("127.0.0.1", "53", &hints, &res) == 0 && res && res->ai_next &&
               res->ai_socktype == SOCK_STREAM && res->ai_next->ai_socktype == SOCK_DGRAM &&
               res->ai_next->ai_protocol == IPPROTO_UDP && !res->ai_next->ai_next,
               "no socket type: a TCP and a UDP result");
    freeaddrinfo(res);
    ktap_check(getaddrinfo("127.0.0.1", "53", NULL, &res) == 0 && res, "hints NULL");
    freeaddrinfo(res);

    /* The refusals. */
    hints = (struct addrinfo){ .ai_family = 10 /* AF_INET6 */, .ai_socktype = SOCK_STREAM };
    errno = 0;
    int e = getaddrinfo(NULL, "6379", &hints, &res);
    ktap_check(e == EAI_FAMILY && errno == EAFNOSUPPORT, "AF_INET6: %d (%s), errno %d", e, gai_strerror(e), errno);
    hints.ai_family = AF_UNSPEC;
    errno = 0;
    e = getaddrinfo("::1", "6379", &hints, &res);
    ktap_check(e == EAI_FAMILY && errno == EAFNOSUPPORT, "an IPv6 literal: %d, errno %d", e, errno);
    e = getaddrinfo("redis.example.com", "6379", &hints, &res);
    ktap_check(e == EAI_NONAME, "a host name: %d (%s)", e, gai_strerror(e));
    hints.ai_flags = AI_NUMERICHOST;
    ktap_check(getaddrinfo("localhost", "1", &hints, &res) == EAI_NONAME, "localhost with AI_NUMERICHOST");
    hints.ai_flags = 0;
    ktap_check(getaddrinfo(NULL, NULL, &hints, &res) == EAI_NONAME, "neither host nor service");
    ktap_check(getaddrinfo(NULL, "http", &hints, &res) == EAI_SERVICE, "a service name");
    ktap_check(getaddrinfo(NULL, "70000", &hints, &res) == EAI_SERVICE, "port 70000");
    hints.ai_flags = AI_NUMERICSERV;
    ktap_check(getaddrinfo(NULL, "http", &hints, &res) == EAI_NONAME, "AI_NUMERICSERV with a name");
    hints.ai_flags = 0x10000;
    ktap_check(getaddrinfo(NULL, "1", &hints, &res) == EAI_BADFLAGS, "unknown flags");
    hints = (struct addrinfo){ .ai_family = 99 };
    ktap_check(getaddrinfo(NULL, "1", &hints, &res) == EAI_FAMILY, "an unknown family");
    hints = (struct addrinfo){ .ai_socktype = 77 };
    ktap_check(getaddrinfo(NULL, "1", &hints, &res) == EAI_SOCKTYPE, "an unknown socket type");
    ktap_check(strcmp(gai_strerror(EAI_NONAME), "Name or service not known") == 0, "gai_strerror");
    freeaddrinfo(NULL);
}

/* getnameinfo: numeric answers, overflow, refusals. */
void test_getnameinfo(void)
{
    struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(6379) };
    inet_pton(AF_INET, "10.11.0.3", &sin.sin_addr);
    char host[NI_MAXHOST], serv[NI_MAXSERV];
    ktap_check(getnameinfo((struct sockaddr *)&sin, sizeof sin, host, sizeof host, serv, sizeof serv,
                           NI_NUMERICHOST | NI_NUMERICSERV) == 0 &&
               strcmp(host, "10.11.0.3") == 0 && strcmp(serv, "6379") == 0, "numeric: %s %s", host, serv);
    ktap_check(getnameinfo((struct sockaddr *)&sin, sizeof sin, host, sizeof host, NULL, 0, 0) == 0 &&
               strcmp(host, "10.11.0.3") == 0, "no reverse lookup: the number");
    ktap_check(getnameinfo((struct sockaddr *)&sin, sizeof sin, host, 4, NULL, 0, 0) == EAI_OVERFLOW,
               "a short host buffer");
    ktap_check(getnameinfo((struct sockaddr *)&sin, sizeof sin, host, sizeof host, NULL, 0, NI_NAMEREQD) ==
               EAI_NONAME, "NI_NAMEREQD");
    ktap_check(getnameinfo((struct sockaddr *)&sin, 4, host, sizeof host, NULL, 0, 0) == EAI_FAMILY,
               "a short address");
    sin.sin_family = 10;
    ktap_check(getnameinfo((struct sockaddr *)&sin, sizeof sin, host, sizeof host, NULL, 0, 0) == EAI_FAMILY,
               "AF_INET6");
}

/* getrlimit/setrlimit: honest numbers; only what can change changes. */
void test_rlimits(void)
{
    struct rlimit rl = { 0, 0 };
    ktap_check(getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur == 1024 && rl.rlim_max == 1024,
               "RLIMIT_NOFILE %lu/%lu", rl.rlim_cur, rl.rlim_max);
    ktap_check(rl.rlim_max != RLIM_INFINITY, "never RLIM_INFINITY for files");
    struct rlimit low = { 8, 1024 };
    ktap_check(setrlimit(RLIMIT_NOFILE, &low) == 0, "lower the soft limit to 8");
    int fds[8], n = 0, fd;
    errno = 0;
    while (n < 8 && (fd = dup(1)) >= 0)
        fds[n++] = fd;
    ktap_check(n == 5 && errno == EMFILE, "fds 3-7 then EMFILE (got %d, errno %d)", n, errno);
    ktap_check(sysconf(_SC_OPEN_MAX) == 8, "sysconf(_SC_OPEN_MAX) follows: %ld", sysconf(_SC_OPEN_MAX));
    while (n)
        close(fds[--n]);
    struct rlimit back = { 1024, 1024 };
    ktap_check(setrlimit(RLIMIT_NOFILE, &back) == 0 && getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur == 1024,
               "raised back to 1024");
    struct rlimit more = { 2048, 2048 };
    errno = 0;
    ktap_check(setrlimit(RLIMIT_NOFILE, &more) == -1 && errno == EPERM, "above the hard limit: errno %d", errno);
    struct rlimit bad = { 10, 5 };
    errno = 0;
    ktap_check(setrlimit(RLIMIT_NOFILE, &bad) == -1 && errno == EINVAL, "cur > max: errno %d", errno);
    /* The hard limit can be lowered (memcached sets both to its -c), and
     * not raised again; the soft limit then cannot pass it. */
    struct rlimit lower = { 1000, 1000 };
    ktap_check(setrlimit(RLIMIT_NOFILE, &lower) == 0 && getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
               rl.rlim_cur == 1000 && rl.rlim_max == 1000, "hard limit lowered to 1000: %lu/%lu",
               rl.rlim_cur, rl.rlim_max);
    errno = 0;
    ktap_check(setrlimit(RLIMIT_NOFILE, &back) == -1 && errno == EPERM, "not raised back: errno %d", errno);
    errno = 0;
    ktap_check(setrlimit(RLIMIT_NOFILE, &(struct rlimit){ 1001, 1000 }) == -1 && errno == EINVAL,
               "soft above the new hard: errno %d", errno);
    ktap_check(getrlimit(RLIMIT_CORE, &rl) == 0 && rl.rlim_cur == 0 && rl.rlim_max == 0, "no core dumps");
    ktap_check(setrlimit(RLIMIT_CORE, &rl) == 0, "setting RLIMIT_CORE to what it is");
    ktap_check(getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_max == 16u << 20, "RLIMIT_AS is the domain's memory");
    errno = 0;
    ktap_check(getrlimit(99, &rl) == -1 && errno == EINVAL, "an unknown resource: errno %d", errno);
}

/* sysconf, getrusage, uname, the ids, umask. */
void test_sysconf_uname_ids(void)
{
    ktap_check(sysconf(_SC_PAGESIZE) == 4096, "_SC_PAGESIZE %ld", sysconf(_SC_PAGESIZE));
    ktap_check(sysconf(_SC_CLK_TCK) > 0, "_SC_CLK_TCK %ld", sysconf(_SC_CLK_TCK));
    ktap_check(sysconf(_SC_PHYS_PAGES) == 4096, "_SC_PHYS_PAGES %ld (16 MiB)", sysconf(_SC_PHYS_PAGES));
    ktap_check(sysconf(_SC_NPROCESSORS_ONLN) >= 1, "_SC_NPROCESSORS_ONLN %ld", sysconf(_SC_NPROCESSORS_ONLN));
    errno = 0;
    ktap_check(sysconf(-5) == -1 && errno == EINVAL, "an unknown name: errno %d", errno);
    struct rusage ru;
    volatile unsigned spin = 0;
    for (unsigned i = 0; i < 1000000; i++)
        spin += i;
    ktap_check(getrusage(RUSAGE_SELF, &ru) == 0 && (ru.ru_utime.tv_sec > 0 || ru.ru_utime.tv_usec > 0),
               "getrusage: user time %ld.%06ld", (long)ru.ru_utime.tv_sec, (long)ru.ru_utime.tv_usec);
    ktap_check(getrusage(RUSAGE_CHILDREN, &ru) == 0 && ru.ru_utime.tv_sec == 0 && ru.ru_utime.tv_usec == 0,
               "no children");
    errno = 0;
    ktap_check(getrusage(7, &ru) == -1 && errno == EINVAL, "an unknown who: errno %d", errno);
    struct utsname u;
    ktap_check(uname(&u) == 0 && strcmp(u.sysname, "Arrakis") == 0 && strcmp(u.machine, "x86_64") == 0,
               "uname: %s %s", u.sysname, u.machine);
    ktap_check(getuid() != 0 && geteuid() != 0 && getuid() == geteuid(), "not root: uid %d", (int)getuid());
    mode_t old = umask(077);
    ktap_check(old == 022 && umask(old) == 077, "umask swaps: old %o", (unsigned)old);
}

/* getentropy: 256 bytes at most; not all zero; refused honestly without RDRAND. */
void test_getentropy(void)
{
    unsigned char a[256], b[256];
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    int r = getentropy(a, sizeof a);
    if (r == -1 && errno == ENOSYS) {
        ktap_check(true, "refused: no RDRAND on this CPU");
    } else {
        ktap_check(r == 0 && getentropy(b, sizeof b) == 0, "two reads of 256 bytes");
        int zero = 0;
        for (size_t i = 0; i < sizeof a; i++)
            zero += a[i] == 0;
        ktap_check(zero < 32 && memcmp(a, b, sizeof a) != 0, "they look random (%d zero bytes) and differ", zero);
    }
    errno = 0;
    ktap_check(getentropy(a, 257) == -1 && errno == EIO, "257 bytes: errno %d", errno);
}

/* if_nametoindex over lwIP's netifs; ceill and llroundl. */
void test_ifname_mathl(void)
{
    int s = socket(AF_INET, SOCK_DGRAM, 0);      /* starts lwIP: the loopback netif exists */
    ktap_check(s >= 0, "a socket (lwIP up)");
    close(s);
    unsigned lo = if_nametoindex("lo0");
    char name[IF_NAMESIZE] = "";
    ktap_check(lo > 0 && if_indextoname(lo, name) && strcmp(name, "lo0") == 0, "lo0 is index %u (%s)", lo, name);
    errno = 0;
    ktap_check(if_nametoindex("nosuch0") == 0 && errno == ENODEV, "an unknown name: errno %d", errno);

    ktap_check(ceill(1.25L) == 2.0L && ceill(-1.25L) == -1.0L && ceill(3.0L) == 3.0L, "ceill");
    ktap_check(signbit(ceill(-0.5L)) && ceill(-0.5L) == 0.0L, "ceill(-0.5) is -0");
    ktap_check(ceill(1e30L) == 1e30L && isinf(ceill(HUGE_VALL)), "ceill of huge values");
    ktap_check(llroundl(2.5L) == 3 && llroundl(-2.5L) == -3 && llroundl(2.4999L) == 2 &&
               llroundl(0.49999999999999999994L) == 0, "llroundl: halves away from zero");
    ktap_check(llroundl(1e15L + 0.5L) == 1000000000000001LL, "llroundl of a large value");
}

/* When the domain's memory runs out, malloc says ENOMEM (and the console
 * says why), and what is freed can be had again. Run last: it uses up the
 * heap's share of the domain's RAM. */
void test_malloc_runs_out(void)
{
    enum { CHUNK = 256 * 1024, MAX = 128 };     /* 32 MiB: more than a domain has */
    static void *held[MAX];
    int n = 0;
    errno = 0;
    while (n < MAX && (held[n] = malloc(CHUNK)))
        memset(held[n++], 0x5a, 64);
    ktap_check(n < MAX && errno == ENOMEM, "malloc gave %d x 256 KiB, then NULL with errno %d", n, errno);
    ktap_check(n > 8, "but at least 2 MiB first (%d chunks)", n);
    while (n)
        free(held[--n]);
    void *again = malloc(CHUNK);
    ktap_check(again != NULL, "after freeing, malloc works again");
    free(again);
}
