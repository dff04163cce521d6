MODULE := storage_crash
MODULE_KIND := user
MODULE_LIBC := newlib
MODULE_SRCS := \
	usr/tests/storage_crash/storage_crash.c
MODULE_LIBS := vsafs tenacious arrakis posix libos
include hake/module.mk
# fs=NAME (datals): the mount constructor, asked for by name (lib/vsafs/README.md).
$(BUILD)/usr/storage_crash: USER_LDFLAGS += -u vsafs_fs_spawn
