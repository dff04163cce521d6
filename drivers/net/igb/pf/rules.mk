MODULE := igbpf
MODULE_KIND := kernel
MODULE_SRCS := \
	drivers/net/igb/pf/dma.c \
	drivers/net/igb/pf/doorbell.c \
	drivers/net/igb/pf/driver.c \
	drivers/net/igb/pf/fault.c \
	drivers/net/igb/pf/filter.c \
	drivers/net/igb/pf/filter_compile.c \
	drivers/net/igb/pf/forward.c \
	drivers/net/igb/pf/mailbox.c \
	drivers/net/igb/pf/nics.c \
	drivers/net/igb/pf/pf.c \
	drivers/net/igb/pf/rate.c \
	drivers/net/igb/pf/selftest.c \
	drivers/net/igb/pf/vfmsg.c \
	drivers/net/igb/pf/vnic.c \
	drivers/net/igb/pf/vnic_invoke.c
include hake/module.mk
