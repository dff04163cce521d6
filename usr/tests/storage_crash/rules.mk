MODULE := storage_crash
MODULE_KIND := user
MODULE_LIBC := newlib
MODULE_SRCS := \
	usr/tests/storage_crash/storage_crash.c
MODULE_LIBS := vsafs tenacious arrakis posix libos
include hake/module.mk
