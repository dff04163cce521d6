MODULE := lwipstacks
MODULE_KIND := user
MODULE_LIBC := newlib
MODULE_SRCS := \
	usr/tests/lwipstacks/main.c
MODULE_LIBS := lwip_stacks lwip_stack1 lwip_stack2 lwip_stack3 lwip arrakis nicvf igbvf ixgbevf posix libos
include hake/module.mk
$(lwipstacks_OBJS): | $(LWIP_STAMP)
