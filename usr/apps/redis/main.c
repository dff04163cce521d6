/*
 * main.c: redis-server as a native application: bring the domain's VNIC up,
 * then run Redis's own main() (server.c, renamed redis_server_main by
 * usr/apps/redis/rules.mk) with a Linux-like command line.
 *
 *   spawn redis core 1 ip=10.11.0.2/24 [gw=A.B.C.D] [net=poll] [stages=N] [CONFIG] [--option value...]
 *
 * ip=, gw=, net= are the network's (lib/lwip netif_vnic.h; as leading words
 * they arrive in the environment, anywhere else they are taken out of argv
 * here); stages=N turns on libos/reqstage.h's stamps. The rest is
 * redis-server's own command line: an optional config file first, then
 * options. Before the user's options come the defaults this
 * OS needs (redis_defaults below), so a user's option overrides them; a
 * config file's settings are overridden by them (Redis reads the file first,
 * then the command line).
 *
 * Invariant: redis_server_main sees argv[0] = "redis-server" (Redis looks at
 * argv[0] to decide whether it is Sentinel or redis-check-rdb/aof).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libos/cyclestat.h>
#include <libos/reqstage.h>

#include "netif_vnic.h"

int redis_server_main(int argc, char **argv);

/* What this OS needs of Redis's configuration, and why:
 *   save ""                        no RDB save points: saving forks (refused)
 *   auto-aof-rewrite-percentage 0  no automatic AOF rewrite: it forks too
 *   daemonize no                   daemonize() forks and the parent exits
 *   bind 0.0.0.0                   IPv4 only (lwIP is built without IPv6;
 *                                  Redis's default binds "* -::*")
 *   protected-mode no              reachable from the VNIC's subnet without
 *                                  a password, as the tests need
 *   io-threads 1                   an epoll_wait asleep in one thread does
 *                                  not see fds another thread adds
 *   maxmemory (3/8 of RAM)         the domain's RAM (sysconf) holds code,
 *                                  heap, stacks and the clients' buffers too:
 *                                  past this, writes get Redis's OOM error
 *                                  instead of malloc failing (6 MiB of
 *                                  today's 16; more with mem= at spawn)
 *   maxclients 128                 lwIP has 160 TCP PCBs (lwipopts.h)
 *   proto-max-bulk-len 1mb         Redis allocates a big argument's whole
 *   client-query-buffer-limit 1mb  length when its header arrives: 512 MiB
 *                                  (the default) would end the domain
 *                                  (both are Redis's smallest allowed)
 */
static const char *const redis_defaults[] = {
    "--save", "",
    "--auto-aof-rewrite-percentage", "0",
    "--daemonize", "no",
    "--bind", "0.0.0.0",
    "--protected-mode", "no",
    "--io-threads", "1",
    "--maxmemory", NULL,            /* maxmemory_default() */
    "--maxclients", "128",
    "--proto-max-bulk-len", "1mb",
    "--client-query-buffer-limit", "1mb",
};
#define N_DEFAULTS (sizeof redis_defaults / sizeof redis_defaults[0])

/* 3/8 of the domain's RAM in whole MiB, as Redis's "Nmb" (at least 1). */
static const char *maxmemory_default(void)
{
    static char buf[24];
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    unsigned long long mib = 0;
    if (pages > 0 && size > 0)
        mib = ((unsigned long long)pages * (unsigned long long)size * 3 / 8) >> 20;
    snprintf(buf, sizeof buf, "%llumb", mib ? mib : 1);
    return buf;
}

static int is_net_word(const char *s)
{
    return !strncmp(s, "ip=", 3) || !strncmp(s, "gw=", 3) || !strncmp(s, "net=", 4) ||
           !strncmp(s, "stages=", 7) || !strncmp(s, "cycles=", 7);
}

/* Redis's call() says when a command is done (patches/0003): a stage of
 * libos/reqstage.h. */
void redis_command_done(void);
void redis_command_done(void)
{
    reqstage_stamp(REQ_CMD);
    if (cyclestat_every) {
        cyclestat_stamp(CYC_CMD);
        cyclestat_add(CYCN_CMDS, 1);
    }
}

/* stages=N (a leading word arrives in the environment, a later one in
 * argv): stamp every request, a table of the stages every N on the
 * console. */
static long word_value(int argc, char *argv[], const char *name)
{
    size_t len = strlen(name);
    const char *v = getenv(name);
    for (int i = 1; i < argc; i++)
        if (!strncmp(argv[i], name, len) && argv[i][len] == '=')
            v = argv[i] + len + 1;
    return v ? strtol(v, NULL, 10) : 0;
}

static void stages_start(int argc, char *argv[])
{
    long n = word_value(argc, argv, "stages");
    if (n > 0) {
        reqstage_enable((unsigned)n);
        printf("redis: stage stamps on: a table every %u requests\n", reqstage_every);
    }
    n = word_value(argc, argv, "cycles");
    if (n > 0) {
        cyclestat_enable((unsigned)n);
        printf("redis: cycle stamps on: a table every %u durable cycles\n", cyclestat_every);
    }
}

int main(int argc, char *argv[])
{
    if (net_start(argc, argv))
        return 1;
    stages_start(argc, argv);

    char **rargv = calloc((size_t)argc + N_DEFAULTS + 1, sizeof *rargv);
    if (!rargv) {
        printf("redis: out of memory for the command line\n");
        return 1;
    }
    int n = 0, i = 1;
    rargv[n++] = "redis-server";
    while (i < argc && is_net_word(argv[i]))
        i++;
    if (i < argc && argv[i][0] != '-')      /* the config file comes first */
        rargv[n++] = argv[i++];
    for (size_t d = 0; d < N_DEFAULTS; d++)
        rargv[n++] = (char *)(redis_defaults[d] ? redis_defaults[d] : maxmemory_default());
    for (; i < argc; i++)
        if (!is_net_word(argv[i]))
            rargv[n++] = argv[i];
    rargv[n] = NULL;

    /* As a kernel lays out a new program's arguments: the strings back to
     * back in writable memory. Redis's setproctitle() writes the process
     * title over them (argv[0] onwards), and some here are literals. */
    size_t len = 0;
    for (int k = 0; k < n; k++)
        len += strlen(rargv[k]) + 1;
    char *strings = malloc(len);
    if (!strings) {
        printf("redis: out of memory for the command line\n");
        return 1;
    }
    for (int k = 0; k < n; k++) {
        size_t l = strlen(rargv[k]) + 1;
        memcpy(strings, rargv[k], l);
        rargv[k] = strings;
        strings += l;
    }
    return redis_server_main(n, rargv);
}
