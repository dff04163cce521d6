MODULE := shell
MODULE_KIND := user
MODULE_SRCS := \
	usr/shell/shell.c
MODULE_LIBS := libos
include hake/module.mk
