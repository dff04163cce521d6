MODULE := test_vtd
MODULE_KIND := hosttest
MODULE_SRCS := \
	drivers/iommu/vtd/dmar.c \
	drivers/iommu/vtd/pagetable.c \
	tests/unit/vtd/test_vtd.c
include hake/module.mk
