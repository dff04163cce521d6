MODULE := arrakis
MODULE_KIND := userlib
MODULE_SRCS := \
	drivers/net/igb/vf.c \
	drivers/net/igb/vfring.c \
	lib/arrakis/pktstat.c
include hake/module.mk
