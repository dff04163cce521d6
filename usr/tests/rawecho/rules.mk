MODULE := rawecho
MODULE_KIND := user
MODULE_SRCS := \
	usr/tests/rawecho/rawecho.c
MODULE_LIBS := arrakis igbvf libos
include hake/module.mk
