MODULE := posix
MODULE_KIND := userlib
MODULE_LIBC := newlib
MODULE_SRCS := \
	lib/posix/mman.c \
	lib/posix/pthread.c \
	lib/posix/pthread_sync.c
include hake/module.mk
