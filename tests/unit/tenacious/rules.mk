MODULE := test_tenacious
MODULE_KIND := hosttest
MODULE_SRCS := \
	lib/common/err.c \
	lib/tenacious/blksync.c \
	lib/tenacious/crc32c.c \
	lib/tenacious/tenacious.c \
	tests/unit/crashdev/crashdev.c \
	tests/unit/tenacious/test_tenacious.c
include hake/module.mk
