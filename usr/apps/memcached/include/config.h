/*
 * config.h: what memcached 1.6.18's configure would write for this OS
 * (newlib + lib/posix + lwIP on x86-64), written by hand because configure
 * cannot run here: cross-compiling, its libevent check (which defines
 * HAVE_LIBEVENT_NEW) runs a program and is never satisfied.
 *
 * Built as Debian's package is, except: no SASL and no TLS (no Cyrus SASL
 * or OpenSSL in a domain), no extstore (its files need pread/pwritev on a
 * disk file: --disable-extstore), no proxy (Lua), no seccomp privilege
 * drop (Linux's BUILD_LINUX_PRIVS), no DTrace.
 */
#ifndef MEMCACHED_ARRAKIS_CONFIG_H
#define MEMCACHED_ARRAKIS_CONFIG_H

#define PACKAGE "memcached"
#define PACKAGE_BUGREPORT "memcached@googlegroups.com"
#define PACKAGE_NAME "memcached"
#define PACKAGE_STRING "memcached 1.6.18"
#define PACKAGE_TARNAME "memcached"
#define PACKAGE_URL ""
#define PACKAGE_VERSION "1.6.18"
#define VERSION "1.6.18"

/* x86-64: little-endian, unaligned access fine, 64-bit atomics. */
#define ENDIAN_LITTLE 1
#define SIZEOF_VOID_P 8
#define HAVE_GCC_ATOMICS 1
#define HAVE_GCC_64ATOMICS 1

/* libevent 2.1.12 (lib/libevent, the user library `event`). */
#define HAVE_LIBEVENT_NEW 1

/* --disable-unix-socket: lib/posix refuses AF_UNIX (EAFNOSUPPORT), so
 * memcached's -s option is compiled out rather than failing at run time. */
#define DISABLE_UNIX_SOCKET 1

/* What newlib and lib/posix provide. */
#define HAVE_ACCEPT4 1
#define HAVE_CLOCK_GETTIME 1
#define HAVE_EVENTFD 1
#define HAVE_GETOPT_LONG 1
#define HAVE_SYSCONF 1
#define HAVE_PREAD 1

#define HAVE_INTTYPES_H 1
#define HAVE_STDBOOL_H 1
#define HAVE_STDINT_H 1
#define HAVE_STDIO_H 1
#define HAVE_STDLIB_H 1
#define HAVE_STRINGS_H 1
#define HAVE_STRING_H 1
#define HAVE_SYS_STAT_H 1
#define HAVE_SYS_TYPES_H 1
#define HAVE_UNISTD_H 1
#define HAVE__BOOL 1
#define STDC_HEADERS 1

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

/* patches/0001: thread.c's create_worker lets main.c place worker i
 * (rules.mk defines MEMCACHED_WORKER_ATTR for thread.c alone). */
#ifdef MEMCACHED_WORKER_ATTR
#include <pthread.h>
void MEMCACHED_WORKER_ATTR(pthread_attr_t *attr, int worker);
#endif
/* patches/0002: dispatch_conn_new asks main.c for a connection's worker
 * (rules.mk defines MEMCACHED_WORKER_FOR_CONN for thread.c and memcached.c). */
#ifdef MEMCACHED_WORKER_FOR_CONN
int MEMCACHED_WORKER_FOR_CONN(int sfd);
#endif

/* The tail of configure's config.h.in, as it is. */
#if HAVE_STDBOOL_H
#include <stdbool.h>
#else
#define bool char
#define false 0
#define true 1
#endif

#ifdef HAVE_INTTYPES_H
#include <inttypes.h>
#endif

#endif
