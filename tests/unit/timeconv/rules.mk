MODULE := test_timeconv
MODULE_KIND := hosttest
MODULE_SRCS := \
	lib/common/timeconv.c \
	tests/unit/timeconv/test_timeconv.c
include hake/module.mk
