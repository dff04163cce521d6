MODULE := test_ixgbe
MODULE_KIND := hosttest
MODULE_SRCS := \
	drivers/net/ixgbe/pf/filter_compile.c \
	drivers/net/ixgbe/pf/sfp_classify.c \
	drivers/net/ixgbe/pf/vfmsg.c \
	drivers/net/ixgbe/vf/bringup.c \
	tests/unit/ixgbe/test_ixgbe.c
include hake/module.mk
