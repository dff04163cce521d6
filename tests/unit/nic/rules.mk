MODULE := test_nic
MODULE_KIND := hosttest
MODULE_SRCS := \
	drivers/net/igb/pf/filter_compile.c \
	drivers/net/ixgbe/pf/filter_compile.c \
	drivers/net/nic/book.c \
	tests/unit/nic/test_nic.c
include hake/module.mk
