MODULE := storagebench
MODULE_KIND := user
MODULE_LIBC := newlib
MODULE_SRCS := \
	usr/tests/storagebench/storagebench.c
MODULE_LIBS := vsafs tenacious arrakis posix libos
include hake/module.mk
