/*
 * main.c: lwipstacks, the check that the domain's lwIPs are apart
 * (lib/lwip/lwip_stacks.h: stack 0 is lwIP itself, stacks 1..3 copies
 * with prefixed symbols).
 *
 * For every stack: started (its own tcpip thread and loopback), a TCP
 * listener on 127.0.0.1:STACKS_PORT, the same port in every stack (one
 * lwIP would refuse the second bind, EADDRINUSE), a connection, one
 * message through it and back, each tagged with the stack's number so a
 * message that crossed stacks would show. Then, holding stack 1's core
 * lock, the same round trip on stack 0 (it would never end if the two
 * shared the lock), and the core locks are told apart by address.
 * Prints "lwipstacks: ok: ..." and exits 0, or a "lwipstacks: FAIL"
 * line and exits 1.
 *
 * `lwipstacks echo ip=A/N cores=K`: the network with stacks apart
 * (netif_vnic.h net_start_apart): core C+i's VF, address A+i and receive
 * thread feed stack i only, and a thread on core C+i echoes TCP on
 * A+i:7 through stack i's sockets, saying for each connection it ends
 * which core and stack served it and how many bytes. Runs until killed.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netif_vnic.h"

#include "lwip_stacks.h"

#define STACKS_PORT 7300

static int fails;

static void fail(int k, const char *what)
{
    printf("lwipstacks: FAIL: stack %d: %s (errno %d)\n", k, what, errno);
    fails++;
}

static struct sockaddr_in lo(void)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_len = sizeof a;
    a.sin_family = AF_INET;
    a.sin_port = lwip_htons(STACKS_PORT);
    a.sin_addr.s_addr = lwip_htonl(0x7f000001);
    return a;
}

/* Stack k's listener on 127.0.0.1:STACKS_PORT, or -1. */
static int listener(int k)
{
    const struct lwip_stack *st = &lwip_stacks[k];
    struct sockaddr_in a = lo();
    int l = st->socket(AF_INET, SOCK_STREAM, 0);
    if (l < 0 || st->bind(l, (struct sockaddr *)&a, sizeof a) || st->listen(l, 4)) {
        fail(k, "listener");
        return -1;
    }
    return l;
}

/* One connection on stack k to its listener `l`: a message there and back. */
static void round_trip(int k, int l)
{
    const struct lwip_stack *st = &lwip_stacks[k];
    struct sockaddr_in a = lo();
    char msg[32], got[32] = { 0 }, back[32] = { 0 };
    snprintf(msg, sizeof msg, "stack %d says hello", k);
    int c = st->socket(AF_INET, SOCK_STREAM, 0);
    if (c < 0 || st->connect(c, (struct sockaddr *)&a, sizeof a)) {
        fail(k, "connect");
        return;
    }
    int s = st->accept(l, NULL, NULL);
    if (s < 0) {
        fail(k, "accept");
        st->close(c);
        return;
    }
    size_t n = strlen(msg);
    if (st->send(c, msg, n, 0) != (ssize_t)n || st->recv(s, got, sizeof got - 1, 0) != (ssize_t)n ||
        strcmp(got, msg) || st->send(s, got, n, 0) != (ssize_t)n ||
        st->recv(c, back, sizeof back - 1, 0) != (ssize_t)n || strcmp(back, msg))
        fail(k, "message there and back");
    st->close(s);
    st->close(c);
}

#define ECHO_PORT  7
#define ECHO_CONNS 8

/* Core C+k's thread: TCP echo on address k through stack k alone. */
static void *echo_core(void *arg)
{
    int k = (int)(intptr_t)arg;
    const struct lwip_stack *st = &lwip_stacks[k];
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_len = sizeof a;
    a.sin_family = AF_INET;
    a.sin_port = lwip_htons(ECHO_PORT);     /* any address: the stack has one */
    int one = 1;
    int l = st->socket(AF_INET, SOCK_STREAM, 0);
    if (l < 0 || st->setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
        st->bind(l, (struct sockaddr *)&a, sizeof a) || st->listen(l, ECHO_CONNS)) {
        fail(k, "echo listener");
        return NULL;
    }
    struct pollfd fds[1 + ECHO_CONNS];
    unsigned long long bytes[1 + ECHO_CONNS] = { 0 };
    unsigned n = 1;
    fds[0] = (struct pollfd){ .fd = l, .events = POLLIN };
    printf("lwipstacks: core %d: stack %d echoes on port %d\n", pthread_getcore_np(), k, ECHO_PORT);
    for (;;) {
        if (st->poll(fds, n, 1000) <= 0)
            continue;
        if ((fds[0].revents & POLLIN) && n < 1 + ECHO_CONNS) {
            int s = st->accept(l, NULL, NULL);
            if (s >= 0) {
                st->setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                bytes[n] = 0;
                fds[n++] = (struct pollfd){ .fd = s, .events = POLLIN };
            }
        }
        for (unsigned i = 1; i < n; i++) {
            if (!fds[i].revents)
                continue;
            char buf[2048];
            ssize_t got = st->recv(fds[i].fd, buf, sizeof buf, MSG_DONTWAIT);
            if (got < 0 && errno == EWOULDBLOCK)
                continue;
            if (got > 0 && st->send(fds[i].fd, buf, (size_t)got, 0) == got) {
                bytes[i] += (unsigned long long)got;
                continue;
            }
            printf("lwipstacks: core %d stack %d: a connection echoed %llu bytes\n",
                   pthread_getcore_np(), k, bytes[i]);
            st->close(fds[i].fd);
            fds[i] = fds[--n];
            bytes[i] = bytes[n];
            i--;
        }
    }
    return NULL;
}

static int echo_main(int argc, char *argv[])
{
    unsigned long cores = 1;
    if (!net_option(argc, argv, "cores", LWIP_STACKS, &cores) || cores < 1) {
        printf("lwipstacks: cores= must be 1 to %d\n", LWIP_STACKS);
        return 2;
    }
    if (net_start_apart(argc, argv, (unsigned)cores))
        return 1;
    int first = pthread_getcore_np();
    for (int k = 1; k < (int)cores; k++) {
        pthread_attr_t at;
        pthread_t t;
        pthread_attr_init(&at);
        if (pthread_attr_setcore_np(&at, first + k) ||
            pthread_create(&t, &at, echo_core, (void *)(intptr_t)k)) {
            fail(k, "echo thread");
            return 1;
        }
    }
    echo_core((void *)0);
    return 1;
}

int main(int argc, char *argv[])
{
    if (argc > 1 && !strcmp(argv[1], "echo"))
        return echo_main(argc, argv);
    int l[LWIP_STACKS];
    for (int k = 0; k < LWIP_STACKS; k++)
        if (lwip_stacks[k].port_start() != ERR_OK)
            fail(k, "start");
    for (int k = 0; k < LWIP_STACKS; k++) {
        l[k] = listener(k);
        if (l[k] >= 0)
            round_trip(k, l[k]);
    }
    for (int k = 0; k < LWIP_STACKS; k++)
        for (int j = 0; j < k; j++)
            if (lwip_stacks[k].core_mutex == lwip_stacks[j].core_mutex)
                fail(k, "core lock shared with another stack");
    /* Stack 0 serves while this thread holds stack 1's core lock: the two
     * have no lock in common (one lwIP would hang here). */
    lwip_stacks[1].core_lock();
    if (l[0] >= 0)
        round_trip(0, l[0]);
    lwip_stacks[1].core_unlock();
    for (int k = 0; k < LWIP_STACKS; k++)
        if (l[k] >= 0)
            lwip_stacks[k].close(l[k]);
    if (fails) {
        printf("lwipstacks: FAIL: %d checks failed\n", fails);
        return 1;
    }
    printf("lwipstacks: ok: %d stacks, each its own listener on port %d, sockets, loopback and "
           "core lock; stack 0 served while stack 1's core lock was held\n", LWIP_STACKS, STACKS_PORT);
    return 0;
}
