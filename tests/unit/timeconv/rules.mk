MODULE := test_timeconv
MODULE_KIND := hosttest
MODULE_SRCS := \
	kernel/lib/timeconv.c \
	tests/unit/timeconv/test_timeconv.c
include hake/module.mk
