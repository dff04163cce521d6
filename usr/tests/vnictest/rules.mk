MODULE := vnictest
MODULE_KIND := user
MODULE_SRCS := \
	usr/tests/vnictest/vnictest.c
MODULE_LIBS := libos
include hake/module.mk
