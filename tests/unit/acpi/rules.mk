MODULE := test_acpi
MODULE_KIND := hosttest
MODULE_SRCS := \
	kernel/acpi/madt.c \
	kernel/acpi/mcfg.c \
	kernel/acpi/tables.c \
	kernel/acpi/timers.c \
	tests/unit/acpi/test_acpi.c
include hake/module.mk
