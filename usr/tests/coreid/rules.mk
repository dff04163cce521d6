MODULE := coreid
MODULE_KIND := user
MODULE_SRCS := \
	usr/tests/coreid/coreid.c
MODULE_LIBS := libos
include hake/module.mk
