MODULE := capfuzz
MODULE_KIND := user
MODULE_SRCS := \
	usr/tests/capfuzz/check.c \
	usr/tests/capfuzz/main.c \
	usr/tests/capfuzz/model.c \
	usr/tests/capfuzz/ops.c \
	usr/tests/capfuzz/ops_cnode.c \
	usr/tests/capfuzz/ops_frame.c \
	usr/tests/capfuzz/ops_msg.c \
	usr/tests/capfuzz/ops_vnic.c \
	usr/tests/capfuzz/pick.c \
	usr/tests/capfuzz/tlbcheck.c
MODULE_LIBS := libos
include hake/module.mk
