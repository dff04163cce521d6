MODULE := udpecho
MODULE_KIND := user
MODULE_LIBC := newlib
MODULE_SRCS := \
	usr/apps/udpecho/udpecho.c
MODULE_LIBS := lwip arrakis nicvf igbvf ixgbevf posix libos
include hake/module.mk
$(udpecho_OBJS): | $(LWIP_STAMP)
