include hake/lwip.mk
MODULE := lwip
MODULE_KIND := userlib
MODULE_LIBC := newlib
MODULE_SRCS := \
	$(LWIP_UPSTREAM_SRCS) \
	lib/lwip/init.c \
	lib/lwip/sys_arch.c
include hake/module.mk
$(lwip_OBJS): | $(LWIP_STAMP)
