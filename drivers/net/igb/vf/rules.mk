# The user half of the 82576 driver: a VF driven by the library OS of the
# domain that holds it (linked, with nicvf and ixgbevf, by programs that
# use lib/arrakis).
MODULE := igbvf
MODULE_KIND := userlib
MODULE_SRCS := \
	drivers/net/igb/vf/mbx.c \
	drivers/net/igb/vf/vf.c
include hake/module.mk
