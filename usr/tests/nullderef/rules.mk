MODULE := nullderef
MODULE_KIND := user
MODULE_SRCS := \
	usr/tests/nullderef/nullderef.c
MODULE_LIBS := libos
include hake/module.mk
