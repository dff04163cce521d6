MODULE := pci
MODULE_KIND := kernel
MODULE_SRCS := \
	drivers/pci/ecam.c \
	drivers/pci/scan.c
include hake/module.mk
