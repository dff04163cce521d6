MODULE := csumtest
MODULE_KIND := user
MODULE_SRCS := \
	usr/tests/csumtest/csumtest.c
MODULE_LIBS := arrakis nicvf igbvf ixgbevf libos
include hake/module.mk
