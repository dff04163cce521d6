MODULE := test_console
MODULE_KIND := hosttest
MODULE_SRCS := \
	kernel/acpi/spcr.c \
	kernel/acpi/tables.c \
	kernel/boot/multiboot2.c \
	kernel/console/fbcon.c \
	kernel/console/font8x16.c \
	tests/unit/console/test_console.c
include hake/module.mk
