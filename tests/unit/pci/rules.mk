MODULE := test_pci
MODULE_KIND := hosttest
MODULE_SRCS := \
	drivers/pci/bar.c \
	drivers/pci/caps.c \
	drivers/pci/enum.c \
	drivers/pci/sriov.c \
	lib/common/err.c \
	lib/common/fmt.c \
	tests/unit/pci/test_pci.c
include hake/module.mk
