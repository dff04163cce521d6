MODULE := rawtest
MODULE_KIND := user
MODULE_SRCS := \
	usr/tests/rawtest/raw.S
include hake/module.mk
