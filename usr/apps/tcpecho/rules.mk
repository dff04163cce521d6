MODULE := tcpecho
MODULE_KIND := user
MODULE_LIBC := newlib
MODULE_SRCS := \
	usr/apps/tcpecho/tcpecho.c
MODULE_LIBS := lwip arrakis nicvf igbvf ixgbevf posix libos
include hake/module.mk
$(tcpecho_OBJS): | $(LWIP_STAMP)
