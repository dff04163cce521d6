MODULE := vsicd
MODULE_KIND := user
MODULE_SRCS := \
	usr/vsicd/ctrl.c \
	usr/vsicd/main.c \
	usr/vsicd/selftest.c \
	usr/vsicd/vsa.c \
	usr/vsicd/vsic.c
MODULE_LIBS := nvmeuser libos
include hake/module.mk
