/*
 * event2/event-config.h for this OS: what libevent 2.1.12's configure would
 * have found in newlib 3.3.0 + lib/posix + lwIP, written by hand because
 * configure cannot run a test program for the target (PORTING.md).
 *
 * Every EVENT__HAVE_* below names something this OS really has; what it
 * lacks or refuses is left undefined so libevent takes its own fallback:
 * no kqueue, /dev/poll, event ports, timerfd, signalfd, sendfile, splice,
 * getifaddrs, getrandom, sysctl, gethostbyname_r, IPv6 sockets (the
 * struct exists, socket(AF_INET6) is EAFNOSUPPORT). Backends: epoll
 * (preferred), poll, select. Thread support: pthreads (lib/posix).
 */
#ifndef EVENT2_EVENT_CONFIG_H_INCLUDED_
#define EVENT2_EVENT_CONFIG_H_INCLUDED_

#define EVENT__NUMERIC_VERSION 0x02010c00
#define EVENT__PACKAGE_VERSION "2.1.12"
#define EVENT__VERSION "2.1.12-stable"
#define EVENT__VERSION_MAJOR 2
#define EVENT__VERSION_MINOR 1
#define EVENT__VERSION_PATCH 12
#define EVENT__PACKAGE "libevent"
#define EVENT__PACKAGE_NAME "libevent"
#define EVENT__PACKAGE_STRING "libevent 2.1.12-stable"
#define EVENT__PACKAGE_TARNAME "libevent"
#define EVENT__PACKAGE_BUGREPORT ""

/* Backends */
#define EVENT__HAVE_EPOLL 1
#define EVENT__HAVE_EPOLL_CREATE1 1
#define EVENT__HAVE_EPOLL_CTL 1
#define EVENT__HAVE_POLL 1
#define EVENT__HAVE_POLL_H 1
#define EVENT__HAVE_SELECT 1
#define EVENT__HAVE_SYS_EPOLL_H 1
#define EVENT__HAVE_SYS_SELECT_H 1

/* Headers */
#define EVENT__HAVE_ARPA_INET_H 1
#define EVENT__HAVE_DLFCN_H 1
#define EVENT__HAVE_ERRNO_H 1
#define EVENT__HAVE_FCNTL_H 1
#define EVENT__HAVE_INTTYPES_H 1
#define EVENT__HAVE_MEMORY_H 1
#define EVENT__HAVE_NETDB_H 1
#define EVENT__HAVE_NETINET_IN_H 1
#define EVENT__HAVE_NETINET_TCP_H 1
#define EVENT__HAVE_STDARG_H 1
#define EVENT__HAVE_STDDEF_H 1
#define EVENT__HAVE_STDINT_H 1
#define EVENT__HAVE_STDLIB_H 1
#define EVENT__HAVE_STRING_H 1
#define EVENT__HAVE_SYS_EVENTFD_H 1
#define EVENT__HAVE_SYS_IOCTL_H 1
#define EVENT__HAVE_SYS_MMAN_H 1
#define EVENT__HAVE_SYS_PARAM_H 1
#define EVENT__HAVE_SYS_QUEUE_H 1
#define EVENT__HAVE_SYS_RESOURCE_H 1
#define EVENT__HAVE_SYS_SOCKET_H 1
#define EVENT__HAVE_SYS_STAT_H 1
#define EVENT__HAVE_SYS_TIME_H 1
#define EVENT__HAVE_SYS_TYPES_H 1
#define EVENT__HAVE_SYS_UIO_H 1
#define EVENT__HAVE_SYS_UN_H 1
#define EVENT__HAVE_SYS_WAIT_H 1
#define EVENT__HAVE_UNISTD_H 1
#define EVENT__TIME_WITH_SYS_TIME 1

/* Functions */
#define EVENT__HAVE_ACCEPT4 1
#define EVENT__HAVE_ARC4RANDOM 1
#define EVENT__HAVE_ARC4RANDOM_BUF 1
#define EVENT__HAVE_CLOCK_GETTIME 1
#define EVENT__HAVE_EVENTFD 1
#define EVENT__HAVE_FCNTL 1
#define EVENT__HAVE_GETADDRINFO 1
#define EVENT__HAVE_GETEGID 1
#define EVENT__HAVE_GETEUID 1
#define EVENT__HAVE_GETNAMEINFO 1
#define EVENT__HAVE_GETTIMEOFDAY 1
#define EVENT__HAVE_INET_NTOP 1
#define EVENT__HAVE_INET_PTON 1
#define EVENT__HAVE_MMAP 1
#define EVENT__HAVE_NANOSLEEP 1
#define EVENT__HAVE_PIPE 1
#define EVENT__HAVE_PIPE2 1
#define EVENT__HAVE_PUTENV 1
#define EVENT__HAVE_SETENV 1
#define EVENT__HAVE_SETFD 1
#define EVENT__HAVE_SETRLIMIT 1
#define EVENT__HAVE_SIGACTION 1
#define EVENT__HAVE_SIGNAL 1
#define EVENT__HAVE_STRLCPY 1
#define EVENT__HAVE_STRSEP 1
#define EVENT__HAVE_STRTOK_R 1
#define EVENT__HAVE_STRTOLL 1
#define EVENT__HAVE_UMASK 1
#define EVENT__HAVE_UNSETENV 1
#define EVENT__HAVE_USLEEP 1
#define EVENT__HAVE_VASPRINTF 1
#define EVENT__HAVE_TIMERADD 1
#define EVENT__HAVE_TIMERCLEAR 1
#define EVENT__HAVE_TIMERCMP 1
#define EVENT__HAVE_TIMERISSET 1
#define EVENT__HAVE_TAILQFOREACH 1
#define EVENT__HAVE_FD_MASK 1
#define EVENT__DNS_USE_GETTIMEOFDAY_FOR_ID 1

/* Types */
#define EVENT__HAVE_SA_FAMILY_T 1
#define EVENT__HAVE_STRUCT_ADDRINFO 1
#define EVENT__HAVE_STRUCT_IN6_ADDR 1
#define EVENT__HAVE_STRUCT_LINGER 1
#define EVENT__HAVE_STRUCT_SOCKADDR_IN6 1
#define EVENT__HAVE_STRUCT_SOCKADDR_STORAGE 1
#define EVENT__HAVE_STRUCT_SOCKADDR_STORAGE_SS_FAMILY 1
#define EVENT__HAVE_STRUCT_SOCKADDR_UN 1
#define EVENT__HAVE_UINT8_T 1
#define EVENT__HAVE_UINT16_T 1
#define EVENT__HAVE_UINT32_T 1
#define EVENT__HAVE_UINT64_T 1
#define EVENT__HAVE_UINTPTR_T 1
#define EVENT__SIZEOF_INT 4
#define EVENT__SIZEOF_LONG 8
#define EVENT__SIZEOF_LONG_LONG 8
#define EVENT__SIZEOF_OFF_T 8
#define EVENT__SIZEOF_PTHREAD_T 8
#define EVENT__SIZEOF_SHORT 2
#define EVENT__SIZEOF_SIZE_T 8
#define EVENT__SIZEOF_SOCKLEN_T 4
#define EVENT__SIZEOF_SSIZE_T 8
#define EVENT__SIZEOF_VOID_P 8
#define EVENT__SIZEOF_TIME_T 8

/* Threads */
#define EVENT__HAVE_PTHREADS 1
#define EVENT__PTHREAD_CREATE_JOINABLE PTHREAD_CREATE_JOINABLE

#define EVENT__HAVE___func__ 1
#define EVENT__HAVE___FUNCTION__ 1
#define EVENT____func__ __func__

#define EVENT__inline inline
#endif
