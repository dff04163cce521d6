MODULE := rawsend
MODULE_KIND := user
MODULE_SRCS := \
	usr/tests/rawsend/rawsend.c
MODULE_LIBS := arrakis nicvf igbvf ixgbevf libos
include hake/module.mk
