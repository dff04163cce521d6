MODULE := vnicdma
MODULE_KIND := user
MODULE_SRCS := \
	usr/tests/vnicdma/vnicdma.c
MODULE_LIBS := nicvf igbvf ixgbevf libos
include hake/module.mk
