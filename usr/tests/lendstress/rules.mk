MODULE := lendstress
MODULE_KIND := user
MODULE_SRCS := \
	usr/tests/lendstress/lendstress.c
MODULE_LIBS := libos
include hake/module.mk
