MODULE := csumtest
MODULE_KIND := user
MODULE_SRCS := \
	usr/tests/csumtest/csumtest.c
MODULE_LIBS := arrakis igbvf libos
include hake/module.mk
