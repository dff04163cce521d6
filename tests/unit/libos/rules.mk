MODULE := test_libos
MODULE_KIND := hosttest
MODULE_SRCS := \
	lib/libos/waitq.c \
	tests/unit/libos/test_libos.c
include hake/module.mk
