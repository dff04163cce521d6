MODULE := test_igb
MODULE_KIND := hosttest
MODULE_SRCS := \
	drivers/net/igb/pf/vfmsg.c \
	tests/unit/igb/test_igb.c
include hake/module.mk
