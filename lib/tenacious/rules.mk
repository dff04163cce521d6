MODULE := tenacious
MODULE_KIND := userlib
MODULE_LIBC := newlib
MODULE_SRCS := \
	lib/tenacious/blksync.c \
	lib/tenacious/crc32c.c \
	lib/tenacious/tenacious.c
include hake/module.mk
