MODULE := test_nvme
MODULE_KIND := hosttest
MODULE_SRCS := \
	drivers/storage/nvme/user/io.c \
	drivers/storage/nvme/user/status.c \
	tests/unit/nvme/test_nvme.c
include hake/module.mk
