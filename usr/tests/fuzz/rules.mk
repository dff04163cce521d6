MODULE := fuzz
MODULE_KIND := user
MODULE_SRCS := \
	usr/tests/fuzz/fuzz.c
MODULE_LIBS := libos
include hake/module.mk
