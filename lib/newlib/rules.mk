MODULE := newlib_glue
MODULE_KIND := userlib
MODULE_LIBC := newlib
MODULE_SRCS := \
	lib/newlib/syscalls.c
include hake/module.mk
