MODULE := test_vsatable
MODULE_KIND := hosttest
MODULE_SRCS := \
	tests/unit/vsatable/test_vsatable.c
include hake/module.mk
