# The VNIC layer of the SR-IOV NIC drivers (nic.h): the NIC commands'
# one entry point and every VNIC's book. The PF drivers (igb, ixgbe)
# register their hardware operations here (their pf/nichw.c).
MODULE := nicops
MODULE_KIND := kernel
MODULE_SRCS := \
	drivers/net/nic/book.c \
	drivers/net/nic/dma.c \
	drivers/net/nic/doorbell.c \
	drivers/net/nic/fault.c \
	drivers/net/nic/filter.c \
	drivers/net/nic/forward.c \
	drivers/net/nic/invoke.c \
	drivers/net/nic/nic.c \
	drivers/net/nic/vnic.c
include hake/module.mk
