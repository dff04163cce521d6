MODULE := newlib_glue
MODULE_KIND := userlib
MODULE_LIBC := newlib
MODULE_SRCS := \
	lib/newlib/dir.c \
	lib/newlib/env.c \
	lib/newlib/fd.c \
	lib/newlib/memfs.c \
	lib/newlib/mount.c \
	lib/newlib/path.c \
	lib/newlib/syscalls.c \
	lib/newlib/threads.c \
	lib/newlib/time.c
include hake/module.mk
