MODULE := spanexit
MODULE_KIND := user
MODULE_LIBC := newlib
MODULE_SRCS := \
	usr/tests/spanexit/spanexit.c
MODULE_LIBS := libos
include hake/module.mk
