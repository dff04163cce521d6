# The NIC commands' one entry point: the SR-IOV NIC drivers' kernel halves
# (igb, ixgbe) register their operations here (nic.h).
MODULE := nicops
MODULE_KIND := kernel
MODULE_SRCS := \
	drivers/net/nic/nic.c
include hake/module.mk
