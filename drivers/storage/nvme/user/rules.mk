# The user half of the NVMe driver: queues and commands, linked into the
# VSIC service (usr/vsicd), which holds the controller as a capability.
MODULE := nvmeuser
MODULE_KIND := userlib
MODULE_SRCS := \
	drivers/storage/nvme/user/ctrl.c \
	drivers/storage/nvme/user/io.c \
	drivers/storage/nvme/user/status.c
include hake/module.mk
