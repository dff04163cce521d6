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
 */
#include <stddef.h>
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
