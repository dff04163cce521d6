MODULE := mount_suite
MODULE_KIND := user
MODULE_LIBC := newlib
MODULE_SRCS := \
	usr/tests/ktap/ktap.c \
	usr/tests/mount_suite/mount_suite.c
MODULE_LIBS := vsafs tenacious posix libos
include hake/module.mk
