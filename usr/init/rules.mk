MODULE := init
MODULE_KIND := user
MODULE_SRCS := \
	usr/init/init.c
MODULE_LIBS := libos
include hake/module.mk
