# The kernel half of the 82599 (X520) driver: the control plane. Not run
# on hardware here (no emulator models the 82599); see ../README.md.
MODULE := ixgbepf
MODULE_KIND := kernel
MODULE_SRCS := \
	drivers/net/ixgbe/pf/driver.c \
	drivers/net/ixgbe/pf/filter_compile.c \
	drivers/net/ixgbe/pf/hw.c \
	drivers/net/ixgbe/pf/mailbox.c \
	drivers/net/ixgbe/pf/nichw.c \
	drivers/net/ixgbe/pf/pf.c \
	drivers/net/ixgbe/pf/sfp.c \
	drivers/net/ixgbe/pf/sfp_classify.c \
	drivers/net/ixgbe/pf/vfmsg.c
include hake/module.mk
