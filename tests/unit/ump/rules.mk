MODULE := test_ump
MODULE_KIND := hosttest
MODULE_SRCS := \
	lib/common/err.c \
	lib/libos/ump/ump.c \
	tests/unit/ump/test_ump.c
include hake/module.mk
