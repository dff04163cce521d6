MODULE := doorbelltest
MODULE_KIND := user
MODULE_SRCS := \
	usr/tests/doorbelltest/doorbelltest.c
MODULE_LIBS := nicvf igbvf ixgbevf libos
include hake/module.mk
