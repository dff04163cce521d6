MODULE := test_filter
MODULE_KIND := hosttest
MODULE_SRCS := \
	drivers/net/igb/pf/filter_compile.c \
	tests/unit/filter/test_filter.c
include hake/module.mk
