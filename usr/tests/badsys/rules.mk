MODULE := badsys
MODULE_KIND := user
MODULE_SRCS := \
	usr/tests/badsys/badsys.c
MODULE_LIBS := libos
include hake/module.mk
