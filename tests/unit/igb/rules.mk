MODULE := test_igb
MODULE_KIND := hosttest
MODULE_SRCS := \
	drivers/net/igb/vfmsg.c \
	tests/unit/igb/test_igb.c
include hake/module.mk
