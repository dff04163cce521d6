MODULE := nvmectl
MODULE_KIND := kernel
MODULE_SRCS := \
	drivers/storage/nvme/kernel/ctl.c \
	drivers/storage/nvme/kernel/invoke.c \
	drivers/storage/nvme/kernel/vsa.c \
	drivers/storage/nvme/kernel/vsic.c
include hake/module.mk
