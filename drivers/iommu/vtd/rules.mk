MODULE := vtd
MODULE_KIND := kernel
MODULE_SRCS := \
	drivers/iommu/vtd/dmar.c \
	drivers/iommu/vtd/dmaset.c \
	drivers/iommu/vtd/domain.c \
	drivers/iommu/vtd/fault.c \
	drivers/iommu/vtd/pagetable.c \
	drivers/iommu/vtd/unit.c \
	drivers/iommu/vtd/vtd.c
include hake/module.mk
