MODULE := libos_minic
MODULE_KIND := userlib
MODULE_SRCS := \
	lib/libos/minic/exit.c
include hake/module.mk
