# lib/common: freestanding code both worlds build from the same sources.
# The kernel links its own objects; user programs get libcommon.a (and, on
# minic, libcommon_minic.a for the string functions newlib has its own of)
# from hake/module.mk, so no program lists them.
MODULE := common_kernel
MODULE_KIND := kernel
MODULE_SRCS := \
	lib/common/err.c \
	lib/common/fmt.c \
	lib/common/string.c \
	lib/common/timeconv.c
include hake/module.mk

MODULE := common
MODULE_KIND := userlib
MODULE_SRCS := \
	lib/common/err.c \
	lib/common/fmt.c \
	lib/common/timeconv.c
include hake/module.mk

MODULE := common_minic
MODULE_KIND := userlib
MODULE_SRCS := \
	lib/common/string.c
include hake/module.mk
