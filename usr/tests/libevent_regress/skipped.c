/*
 * skipped.c: what libevent's regress_main.c names but this build of its
 * regression tests leaves out, and why.
 *
 * regress_main.c lists every test group; the groups below need parts of
 * libevent that the library `event` does not build (its core only:
 * hake/libevent.mk), so they are empty here and their names say so when
 * listed:
 *   http/  evhttp (http.c): not built
 *   dns/   evdns (evdns.c): not built, and this OS has no resolver
 *   rpc/   evrpc (evrpc.c): not built
 * regress_testutils.c is left out too (its helpers run an evdns server);
 * regress_get_listener_addr(), the one helper the bufferevent tests use,
 * is written here.
 *
 * regress_platform_skips() (our patch 0002 calls it before tinytest_main)
 * marks the tests that need what this OS refuses as skipped, printing
 * each name with the reason once at the start.
 *
 * regress_platform_child_ends() (patch 0003 asks it after tinytest_main)
 * says whether this domain stood for tinytest's forked child: one TT_FORK
 * test run with --no-fork (tests/system/test_libevent.py runs each test in
 * a domain of its own). main() then ends as the child would, without the
 * parent's libevent_global_shutdown(), which would otherwise run with what
 * the test left set (main/mm_functions: its allocator).
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "event2/listener.h"
#include "event2/util.h"
#include "tinytest.h"

struct testcase_t http_testcases[] = { END_OF_TESTCASES };
struct testcase_t dns_testcases[] = { END_OF_TESTCASES };
struct testcase_t rpc_testcases[] = { END_OF_TESTCASES };

int regress_get_listener_addr(struct evconnlistener *lev, struct sockaddr *sa,
                              ev_socklen_t *socklen);

int regress_get_listener_addr(struct evconnlistener *lev, struct sockaddr *sa,
                              ev_socklen_t *socklen)
{
    evutil_socket_t s = evconnlistener_get_fd(lev);
    if (s <= 0)
        return -1;
    return getsockname(s, sa, socklen);
}

static const struct { const char *name, *why; } regress_refused[] = {
    { "main/fork", "fork() is refused (ENOSYS): a domain has no child processes" },
    { "main/many_events", "opens 70 UDP sockets; lwIP here has 32 UDP PCBs (MEMP_NUM_UDP_PCB)" },
    { "main/many_events_slow_add", "opens 70 UDP sockets; lwIP here has 32 UDP PCBs (MEMP_NUM_UDP_PCB)" },
    { "main/simpleclose_close_et", "needs EPOLLET: refused (EINVAL), epoll here is level-triggered only" },
    { "main/simpleclose_shutdown_et", "needs EPOLLET: refused (EINVAL), epoll here is level-triggered only" },
    { "main/simpleclose_close_persist_et", "needs EPOLLET: refused (EINVAL), epoll here is level-triggered only" },
    { "main/simpleclose_shutdown_persist_et", "needs EPOLLET: refused (EINVAL), epoll here is level-triggered only" },
};

void regress_platform_skips(struct testgroup_t *groups);

void regress_platform_skips(struct testgroup_t *groups)
{
    for (size_t i = 0; i < sizeof regress_refused / sizeof regress_refused[0]; i++) {
        if (tinytest_skip(groups, regress_refused[i].name) > 0)
            printf("libevent_regress: skip %s: %s\n", regress_refused[i].name, regress_refused[i].why);
        else
            printf("libevent_regress: no test %s to skip\n", regress_refused[i].name);
    }
}

int regress_platform_child_ends(int argc, const char **argv, struct testgroup_t *groups);

int regress_platform_child_ends(int argc, const char **argv, struct testgroup_t *groups)
{
    int no_fork = 0, named = 0, forked = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--no-fork")) {
            no_fork = 1;
            continue;
        }
        if (argv[i][0] == '-' || argv[i][0] == ':')
            continue;
        named++;
        for (struct testgroup_t *g = groups; g->prefix; g++) {
            size_t n = strlen(g->prefix);
            if (strncmp(argv[i], g->prefix, n))
                continue;
            for (struct testcase_t *c = g->cases; c->name; c++)
                if (!strcmp(argv[i] + n, c->name) && (c->flags & TT_FORK))
                    forked++;
        }
    }
    return no_fork && named == 1 && forked == 1;
}
