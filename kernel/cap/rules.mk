MODULE := cap
MODULE_KIND := kernel
MODULE_SRCS := \
	kernel/cap/cap.c \
	kernel/cap/cnode.c \
	kernel/cap/copy.c \
	kernel/cap/delete.c \
	kernel/cap/mdb.c \
	kernel/cap/retype.c \
	kernel/cap/vsa.c
include hake/module.mk
