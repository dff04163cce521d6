MODULE := bench
MODULE_KIND := user
MODULE_SRCS := \
	usr/tests/bench/bench.c
MODULE_LIBS := libos
include hake/module.mk
