MODULE := arrakis
MODULE_KIND := userlib
MODULE_SRCS := \
	drivers/net/igb/vf.c \
	drivers/net/igb/vfring.c \
	lib/arrakis/native.c \
	lib/arrakis/native_rx.c \
	lib/arrakis/native_tx.c \
	lib/arrakis/pktstat.c
include hake/module.mk
