MODULE := pci
MODULE_KIND := kernel
MODULE_SRCS := \
	drivers/pci/bar.c \
	drivers/pci/boot.c \
	drivers/pci/caps.c \
	drivers/pci/devcall.c \
	drivers/pci/doorbell.c \
	drivers/pci/ecam.c \
	drivers/pci/enum.c \
	drivers/pci/map.c \
	drivers/pci/sriov.c
include hake/module.mk
