MODULE := vnicdma
MODULE_KIND := user
MODULE_SRCS := \
	usr/tests/vnicdma/vnicdma.c
MODULE_LIBS := igbvf libos
include hake/module.mk
