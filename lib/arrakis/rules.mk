MODULE := arrakis
MODULE_KIND := userlib
MODULE_SRCS := \
	drivers/net/igb/vf.c \
	drivers/net/igb/vfring.c
include hake/module.mk
