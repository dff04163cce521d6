MODULE := igbpf
MODULE_KIND := kernel
MODULE_SRCS := \
	drivers/net/igb/pf/driver.c \
	drivers/net/igb/pf/filter_compile.c \
	drivers/net/igb/pf/mailbox.c \
	drivers/net/igb/pf/nichw.c \
	drivers/net/igb/pf/pf.c \
	drivers/net/igb/pf/selftest.c \
	drivers/net/igb/pf/vfmsg.c
include hake/module.mk
