MODULE := forge
MODULE_KIND := user
MODULE_SRCS := \
	usr/tests/forge/forge.c \
	usr/tests/forge/iopl.c \
	usr/tests/forge/monitor.c
MODULE_LIBS := libos
include hake/module.mk
