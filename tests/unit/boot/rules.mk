MODULE := test_boot
MODULE_KIND := hosttest
MODULE_SRCS := \
	kernel/boot/cmdline.c \
	kernel/boot/console_arg.c \
	kernel/boot/multiboot2.c \
	tests/unit/boot/test_boot.c
include hake/module.mk
