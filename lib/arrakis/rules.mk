MODULE := arrakis
MODULE_KIND := userlib
MODULE_SRCS := \
	lib/arrakis/native.c \
	lib/arrakis/native_rx.c \
	lib/arrakis/native_tx.c \
	lib/arrakis/pktstat.c
include hake/module.mk
