MODULE := test_fmt
MODULE_KIND := hosttest
MODULE_SRCS := \
	lib/common/fmt.c \
	tests/unit/fmt/test_fmt.c
include hake/module.mk
