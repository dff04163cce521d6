MODULE := posix
MODULE_KIND := userlib
MODULE_LIBC := newlib
MODULE_SRCS := \
	lib/posix/epoll.c \
	lib/posix/eventfd.c \
	lib/posix/ifname.c \
	lib/posix/inet.c \
	lib/posix/libgen.c \
	lib/posix/mathl.c \
	lib/posix/mman.c \
	lib/posix/netdb.c \
	lib/posix/pipe.c \
	lib/posix/pthread.c \
	lib/posix/pthread_cancel.c \
	lib/posix/pthread_sync.c \
	lib/posix/ready.c \
	lib/posix/refused.c \
	lib/posix/select.c \
	lib/posix/signal.c \
	lib/posix/sock_lwip.c \
	lib/posix/sock_stacks.c \
	lib/posix/socket.c \
	lib/posix/sysinfo.c \
	lib/posix/syslog.c
include hake/module.mk
# sock_lwip.c sees lwIP's headers; every program linking posix already
# links lwip when it uses sockets (the socket objects are only pulled in then).
$(posix_OBJS): | $(LWIP_STAMP)
