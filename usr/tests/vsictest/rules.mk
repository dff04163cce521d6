MODULE := vsictest
MODULE_KIND := user
MODULE_SRCS := \
	usr/tests/vsictest/vsictest.c
MODULE_LIBS := arrakis libos
include hake/module.mk
