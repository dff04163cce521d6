MODULE := rawecho
MODULE_KIND := user
MODULE_SRCS := \
	usr/tests/rawecho/rawecho.c
MODULE_LIBS := arrakis nicvf igbvf ixgbevf libos
include hake/module.mk
