MODULE := maptest
MODULE_KIND := user
MODULE_SRCS := \
	usr/tests/maptest/maptest.c
MODULE_LIBS := libos
include hake/module.mk
