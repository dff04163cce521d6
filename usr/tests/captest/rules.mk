MODULE := captest
MODULE_KIND := user
MODULE_SRCS := \
	usr/tests/captest/captest.c
MODULE_LIBS := libos
include hake/module.mk
