MODULE := span
MODULE_KIND := user
MODULE_SRCS := \
	usr/tests/span/span.c
MODULE_LIBS := libos
include hake/module.mk
