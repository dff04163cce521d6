MODULE := capxfer
MODULE_KIND := user
MODULE_SRCS := \
	usr/tests/capxfer/capxfer.c
MODULE_LIBS := libos
include hake/module.mk
