/*
 * main.c: memcached as a native application: bring the domain's VNIC up,
 * then run memcached's own main() (memcached.c, renamed memcached_main by
 * usr/apps/memcached/rules.mk) with a Linux-like command line.
 *
 *   spawn memcached core 1 ip=10.11.0.2/24 [gw=A.B.C.D] [net=poll] [mem=64M] [cores=N] [option...]
 *
 * cores=N (1-4, default 1): the domain spans cores C..C+N-1 and memcached
 * gets -t N, worker i on core C+i (patches/0001 calls
 * memcached_worker_attr for each). Each core has its own VF, address
 * (ip= + i), receive thread and lwIP (lib/lwip net_start_apart), a
 * listener on its address, and a new connection goes to the worker on
 * the core that receives its packets (patches/0002 calls
 * memcached_worker_for_conn: getsockopt SO_INCOMING_CPU) (README.md,
 * "Multicore").
 *
 * ip=, gw=, net= are the network's (lib/lwip netif_vnic.h; as leading words
 * they arrive in the environment, anywhere else they are taken out of argv
 * here), mem= is the monitor's. The rest is memcached's own command line.
 * Before the user's options come the defaults this OS needs
 * (memcached_defaults below); memcached's getopt takes the last value of
 * an option, so a user's option overrides a default.
 *
 * Invariant: memcached_main sees argv[0] = "memcached".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pthread.h>
#include <sys/socket.h>

#include "netif_vnic.h"

extern const char lwip_stacks_anchor;   /* lib/lwip/stacks.c (lwip_stacks.h) */

#define CORES_MAX 4

int memcached_main(int argc, char **argv);

static int first_core, ncores = 1;

/* patches/0001: worker i's thread goes on core first_core + i % ncores
 * (thread.c sees this prototype in include/config.h). */
void memcached_worker_attr(pthread_attr_t *attr, int worker);
void memcached_worker_attr(pthread_attr_t *attr, int worker)
{
    int core = first_core + worker % ncores;
    int err = pthread_attr_setcore_np(attr, core);
    if (err)
        printf("memcached: worker %d cannot go on core %d (error %d): it stays on core %d\n",
               worker, core, err, first_core);
    else
        printf("memcached: worker %d on core %d\n", worker, core);
}

/* patches/0002: the worker for a new connection: the one on the core
 * that receives its packets, if that is one of ours; else -1 (memcached's
 * own round-robin). With -t above cores=N, worker i and i+N share a core:
 * the first of them is chosen. */
int memcached_worker_for_conn(int sfd);
int memcached_worker_for_conn(int sfd)
{
    int core = -1;
    socklen_t len = sizeof core;
    if (ncores < 2 || getsockopt(sfd, SOL_SOCKET, SO_INCOMING_CPU, &core, &len) != 0)
        return -1;
    return core >= first_core && core < first_core + ncores ? core - first_core : -1;
}

/* What this OS needs of memcached's configuration, and why:
 *   -U 0         no UDP port (memcached 1.6's default too; said so that a
 *                reader of the spawn line does not wonder)
 *   -l 0.0.0.0   IPv4 only (lwIP is built without IPv6); with cores=N the
 *                N addresses, one listener in each core's stack
 *   -c 128       lwIP has 160 TCP PCBs (lib/lwip/include/lwipopts.h);
 *                memcached's default is 1024
 *   -t N         one worker thread per core of cores=N (default 1);
 *                upstream's default is 4
 *   -m (3/8 of RAM, MiB)  the item memory; the domain's RAM (sysconf, set
 *                by mem= at spawn) also holds code, the hash table,
 *                threads' stacks and connection buffers, so memcached's
 *                default of 64 MiB does not fit a 16 MiB domain
 */
static const char *const memcached_defaults[] = {
    "-U", "0",
    "-l", "0.0.0.0",
    "-c", "128",
    "-t", NULL,                 /* the number of cores */
    "-m", "",                   /* item_memory_default() */
};
#define N_DEFAULTS (sizeof memcached_defaults / sizeof memcached_defaults[0])

/* 3/8 of the domain's RAM in whole MiB (at least 1), as memcached's -m. */
static const char *item_memory_default(void)
{
    static char buf[24];
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    unsigned long long mib = 0;
    if (pages > 0 && size > 0)
        mib = ((unsigned long long)pages * (unsigned long long)size * 3 / 8) >> 20;
    snprintf(buf, sizeof buf, "%llu", mib ? mib : 1);
    return buf;
}

static int is_spawn_word(const char *s)
{
    return !strncmp(s, "ip=", 3) || !strncmp(s, "gw=", 3) || !strncmp(s, "net=", 4) ||
           !strncmp(s, "mem=", 4) || !strncmp(s, "cores=", 6);
}

int main(int argc, char *argv[])
{
    unsigned long cores = 1;
    if (!net_option(argc, argv, "cores", CORES_MAX, &cores) || cores < 1) {
        printf("memcached: cores= must be 1 to %d\n", CORES_MAX);
        return 2;
    }
    first_core = pthread_getcore_np();
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    if (first_core + (long)cores > online) {
        printf("memcached: cores=%lu from core %d needs cores %d-%lu; the machine has %ld\n",
               cores, first_core, first_core, first_core + cores - 1, online);
        return 2;
    }
    ncores = (int)cores;
    static char threads[8];
    snprintf(threads, sizeof threads, "%d", ncores);

    /* Stacks apart: core C+i's VF, address and receive thread feed lwIP
     * stack i alone, and memcached listens on each address (-l A,A+1,...),
     * so each listener and its connections live in their core's stack
     * (lib/posix moves a socket bound to an address into its stack).
     * netif_vnic.c and lib/posix refer to the stacks weakly: this
     * reference links them. */
    static char listen_on[4 * 16];
    if (!lwip_stacks_anchor || net_start_apart(argc, argv, (unsigned)ncores))
        return 1;
    if (ncores > 1) {
        char ip[16];
        net_ip_string(ip);
        printf("memcached: %d cores, one address and one lwIP each from %s up\n", ncores, ip);
        unsigned a, b, c, d;
        if (sscanf(ip, "%u.%u.%u.%u", &a, &b, &c, &d) != 4)
            return 1;
        for (int i = 0; i < ncores; i++)
            snprintf(listen_on + strlen(listen_on), sizeof listen_on - strlen(listen_on), "%s%u.%u.%u.%u",
                     i ? "," : "", a, b, c, d + (unsigned)i);
    }

    char **margv = calloc((size_t)argc + N_DEFAULTS + 1, sizeof *margv);
    if (!margv) {
        printf("memcached: out of memory for the command line\n");
        return 1;
    }
    int n = 0;
    margv[n++] = "memcached";
    for (size_t d = 0; d < N_DEFAULTS; d++)
        margv[n++] = (char *)(!memcached_defaults[d] ? threads :
                              !*memcached_defaults[d] ? item_memory_default() :
                              *listen_on && !strcmp(memcached_defaults[d], "0.0.0.0") ? listen_on :
                              memcached_defaults[d]);
    for (int i = 1; i < argc; i++)
        if (!is_spawn_word(argv[i]))
            margv[n++] = argv[i];
    margv[n] = NULL;
    fflush(stdout);
    return memcached_main(n, margv);
}
