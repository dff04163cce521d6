MODULE := libos_suite
MODULE_KIND := user
MODULE_LIBC := newlib
MODULE_SRCS := \
	usr/tests/ktap/ktap.c \
	usr/tests/libos_suite/suite.c \
	usr/tests/libos_suite/suite_threads.c
MODULE_LIBS := posix libos
include hake/module.mk
