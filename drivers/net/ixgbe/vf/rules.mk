# The user half of the 82599 driver: the 82599's own steps of a VF's
# bring-up (linked with nicvf and igbvf by programs that use lib/arrakis).
MODULE := ixgbevf
MODULE_KIND := userlib
MODULE_SRCS := \
	drivers/net/ixgbe/vf/bringup.c \
	drivers/net/ixgbe/vf/vf.c
include hake/module.mk
