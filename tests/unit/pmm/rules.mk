MODULE := test_pmm
MODULE_KIND := hosttest
MODULE_SRCS := \
	kernel/mm/pmm.c \
	tests/unit/pmm/test_pmm.c
include hake/module.mk
