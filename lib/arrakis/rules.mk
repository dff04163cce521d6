MODULE := arrakis
MODULE_KIND := userlib
MODULE_SRCS := \
	lib/arrakis/native.c \
	lib/arrakis/native_rx.c \
	lib/arrakis/native_tx.c \
	lib/arrakis/pktstat.c \
	lib/arrakis/vsic.c \
	lib/arrakis/vsic_blk.c
include hake/module.mk
