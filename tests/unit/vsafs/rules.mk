MODULE := test_vsafs
MODULE_KIND := hosttest
MODULE_SRCS := \
	lib/common/err.c \
	lib/tenacious/blksync.c \
	lib/tenacious/crc32c.c \
	lib/tenacious/tenacious.c \
	lib/vsafs/vsafs.c \
	lib/vsafs/vsafs_tree.c \
	tests/unit/crashdev/crashdev.c \
	tests/unit/vsafs/test_vsafs.c
include hake/module.mk
