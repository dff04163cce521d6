MODULE := test_cap
MODULE_KIND := hosttest
MODULE_SRCS := \
	kernel/cap/cap.c \
	kernel/cap/cnode.c \
	kernel/cap/copy.c \
	kernel/cap/delete.c \
	kernel/cap/mdb.c \
	kernel/cap/retype.c \
	kernel/cap/vsa.c \
	lib/common/err.c \
	tests/unit/cap/test_cap.c
include hake/module.mk
