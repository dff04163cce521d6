MODULE := hello
MODULE_KIND := user
MODULE_SRCS := \
	usr/tests/hello/hello.c
MODULE_LIBS := libos
include hake/module.mk
