# The VF half both NICs share (user library): rings, buffers and the
# bring-up (drivers/net/vf/nic.h). Programs link it with each NIC's own
# steps: MODULE_LIBS := ... nicvf igbvf ixgbevf ...
MODULE := nicvf
MODULE_KIND := userlib
MODULE_SRCS := \
	drivers/net/vf/mbx.c \
	drivers/net/vf/open.c \
	drivers/net/vf/vfring.c
include hake/module.mk
