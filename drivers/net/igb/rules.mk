MODULE := igb
MODULE_KIND := kernel
MODULE_SRCS := \
	drivers/net/igb/doorbell.c \
	drivers/net/igb/filter.c \
	drivers/net/igb/filter_compile.c \
	drivers/net/igb/forward.c \
	drivers/net/igb/mailbox.c \
	drivers/net/igb/nics.c \
	drivers/net/igb/pf.c \
	drivers/net/igb/selftest.c \
	drivers/net/igb/vfmsg.c \
	drivers/net/igb/vnic.c
include hake/module.mk
