MODULE := pingpong
MODULE_KIND := user
MODULE_SRCS := \
	usr/tests/pingpong/pingpong.c
MODULE_LIBS := libos
include hake/module.mk
