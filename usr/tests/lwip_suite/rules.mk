MODULE := lwip_suite
MODULE_KIND := user
MODULE_LIBC := newlib
MODULE_SRCS := \
	usr/tests/ktap/ktap.c \
	usr/tests/lwip_suite/suite.c \
	usr/tests/lwip_suite/suite_tcp.c \
	usr/tests/lwip_suite/suite_udp.c
MODULE_LIBS := lwip posix libos
include hake/module.mk
$(lwip_suite_OBJS): | $(LWIP_STAMP)
