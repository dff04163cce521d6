MODULE := bigmem
MODULE_KIND := user
MODULE_LIBC := newlib
MODULE_SRCS := \
	usr/tests/bigmem/bigmem.c
MODULE_LIBS := posix libos
include hake/module.mk
