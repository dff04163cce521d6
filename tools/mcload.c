/*
 * tools/mcload.c: the load client of tools/benchmemcached.py, in C (the
 * Python client took as much host CPU per request as the emulated server,
 * on a host of 2 cores). Built by benchmemcached.py with the host's cc
 * into build/bench/mcload; run inside the test namespace:
 *
 *   mcload ADDRS PORT OP REQUESTS CONNS SECONDS
 *
 * ADDRS comma-separated (connection j to address j mod N), OP set|get,
 * 64-byte values, keys k0..k99 (request i: key i mod 100), one request in
 * flight per connection, one thread and epoll. Every reply is checked
 * (STORED; VALUE k 0 64 + the value + END). Prints one JSON object:
 * requests, seconds, rps, p50_us, p99_us, errors, unanswered.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define VALUE_LEN 64
#define KEYS 100
#define MAX_CONNS 1024

struct conn {
    int fd;
    char key[16];
    char buf[512];
    size_t have;
    double t0;
    int busy;
};

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static char value[VALUE_LEN + 1];

static void sendreq(struct conn *c, int set, long i)
{
    char req[256];
    snprintf(c->key, sizeof c->key, "k%ld", i % KEYS);
    int n = set ? snprintf(req, sizeof req, "set %s 0 0 %d\r\n%s\r\n", c->key, VALUE_LEN, value)
                : snprintf(req, sizeof req, "get %s\r\n", c->key);
    c->have = 0;
    c->t0 = now();
    c->busy = 1;
    if (write(c->fd, req, (size_t)n) != n) {
        perror("write");
        exit(1);
    }
}

/* 1: a whole reply, right; -1: a whole reply, wrong; 0: not yet. */
static int done(struct conn *c, int set)
{
    if (c->have < 2 || memcmp(c->buf + c->have - 2, "\r\n", 2))
        return 0;
    if (set)
        return c->have == 8 && !memcmp(c->buf, "STORED\r\n", 8) ? 1 : -1;
    char want[256];
    int n = snprintf(want, sizeof want, "VALUE %s 0 %d\r\n%s\r\nEND\r\n", c->key, VALUE_LEN, value);
    if (c->have >= 5 && !memcmp(c->buf + c->have - 5, "END\r\n", 5))
        return c->have == (size_t)n && !memcmp(c->buf, want, (size_t)n) ? 1 : -1;
    if (!memcmp(c->buf, "ERROR", 5) || !memcmp(c->buf, "SERVER_ERROR", 12) ||
        !memcmp(c->buf, "CLIENT_ERROR", 12))
        return -1;
    return c->have >= sizeof c->buf - 1 ? -1 : 0;
}

int main(int argc, char **argv)
{
    if (argc != 7) {
        fprintf(stderr, "usage: mcload ADDRS PORT OP REQUESTS CONNS SECONDS\n");
        return 2;
    }
    char *addrs[16];
    int naddr = 0;
    for (char *a = strtok(argv[1], ","); a && naddr < 16; a = strtok(NULL, ","))
        addrs[naddr++] = a;
    int port = atoi(argv[2]), set = !strcmp(argv[3], "set");
    long requests = atol(argv[4]);
    int nconns = atoi(argv[5]);
    double seconds = atof(argv[6]);
    if (naddr < 1 || nconns < 1 || nconns > MAX_CONNS || requests < 1)
        return 2;
    memset(value, 'v', VALUE_LEN);
    static struct conn conns[MAX_CONNS];
    int ep = epoll_create1(0);
    for (int j = 0; j < nconns; j++) {
        struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
        inet_pton(AF_INET, addrs[j % naddr], &sa.sin_addr);
        int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
        struct timeval tv = { 20, 0 };
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        if (connect(fd, (struct sockaddr *)&sa, sizeof sa)) {
            fprintf(stderr, "connect %s: %s\n", addrs[j % naddr], strerror(errno));
            return 1;
        }
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        conns[j].fd = fd;
        struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)j };
        epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    }
    double *lat = malloc((size_t)requests * sizeof *lat);
    long sent = 0, got = 0, errors = 0;
    double start = now(), end = start + seconds;
    for (int j = 0; j < nconns && sent < requests; j++)
        sendreq(&conns[j], set, sent++);
    while (got < sent && now() < end) {
        struct epoll_event evs[64];
        int n = epoll_wait(ep, evs, 64, 1000);
        for (int e = 0; e < n; e++) {
            struct conn *c = &conns[evs[e].data.u32];
            ssize_t r = read(c->fd, c->buf + c->have, sizeof c->buf - 1 - c->have);
            if (r <= 0) {
                epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
                errors++;
                sent--;         /* that request is lost with its connection */
                continue;
            }
            c->have += (size_t)r;
            int d = done(c, set);
            if (!d)
                continue;
            lat[got++] = (now() - c->t0) * 1e6;
            errors += d < 0;
            c->busy = 0;
            if (sent < requests)
                sendreq(c, set, sent++);
        }
    }
    double secs = now() - start;
    qsort(lat, (size_t)got, sizeof *lat, cmp);
    printf("{\"requests\": %ld, \"seconds\": %.3f, \"rps\": %.1f, \"p50_us\": %.1f, \"p99_us\": %.1f, "
           "\"errors\": %ld, \"unanswered\": %ld}\n", got, secs, got / secs,
           got ? lat[(long)(got * 0.50)] : 0.0, got ? lat[(long)(got * 0.99)] : 0.0, errors,
           sent - got);
    return 0;
}
