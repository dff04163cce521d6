MODULE := vsafs
MODULE_KIND := userlib
MODULE_LIBC := newlib
MODULE_SRCS := \
	lib/vsafs/vsafs.c \
	lib/vsafs/vsafs_tree.c \
	lib/vsafs/vsafs_vfs.c \
	lib/vsafs/vsafs_vsic.c
include hake/module.mk
