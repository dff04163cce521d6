MODULE := libos_minic
MODULE_KIND := userlib
MODULE_SRCS := \
	kernel/lib/string.c \
	lib/libos/minic/exit.c
include hake/module.mk
