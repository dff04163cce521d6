MODULE := udpecho_native
MODULE_KIND := user
MODULE_SRCS := \
	usr/apps/udpecho_native/udpecho_native.c
MODULE_LIBS := arrakis nicvf igbvf ixgbevf libos
include hake/module.mk
