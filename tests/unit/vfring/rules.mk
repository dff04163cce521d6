MODULE := test_vfring
MODULE_KIND := hosttest
MODULE_SRCS := \
	drivers/net/vf/vfring.c \
	tests/unit/vfring/test_vfring.c
include hake/module.mk
