MODULE := libctest
MODULE_KIND := user
MODULE_LIBC := newlib
MODULE_SRCS := \
	usr/tests/libc/libctest.c
MODULE_LIBS := libos
include hake/module.mk
