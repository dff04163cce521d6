/*
 * suite.h: what the lwip_suite test files share (suite.c has the runner
 * and the helpers).
 */
#ifndef LWIP_SUITE_H
#define LWIP_SUITE_H
#include <stdbool.h>
#include "../ktap/ktap.h"
#include <stddef.h>
#include <stdint.h>

#include "lwip/inet.h"
#include "lwip/sockets.h"

/** 127.0.0.1:port. */
struct sockaddr_in suite_lo(uint16_t port);
/** A socket of `type` (SOCK_STREAM, SOCK_DGRAM) with 10 s receive and
 *  send timeouts, so a broken test fails instead of hanging; -1 on error. */
int suite_socket(int type);
/** Sets or clears O_NONBLOCK with lwip_fcntl; 0 on success. */
int suite_set_nonblocking(int fd, bool on);
/** Returns once the tcpip thread has handled everything queued before
 *  (the loopback interface's packets included). */
void suite_tcpip_barrier(void);
/** Sends or receives exactly n bytes (looping); false on error or EOF. */
bool suite_send_all(int fd, const void *buf, size_t n);
bool suite_recv_all(int fd, void *buf, size_t n);

void test_udp_echo_sizes(void);
void test_udp_boundaries(void);
void test_udp_rcvbuf(void);
void test_select_poll_timeouts(void);
void test_sockopts(void);
void test_tcp_streams(void);
void test_tcp_echo(void);
void test_tcp_nonblocking(void);
void test_tcp_refused(void);
void test_tcp_reuseaddr_time_wait(void);
void test_tcp_many_connections(void);
void test_tcp_backlog(void);
#endif
