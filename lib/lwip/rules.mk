include hake/lwip.mk
MODULE := lwip
MODULE_KIND := userlib
MODULE_LIBC := newlib
MODULE_SRCS := \
	$(LWIP_UPSTREAM_SRCS) \
	lib/lwip/init.c \
	lib/lwip/netif_vnic.c \
	lib/lwip/sys_arch.c \
	lib/lwip/vnic_vf.c
include hake/module.mk
$(lwip_OBJS): | $(LWIP_STAMP)
