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

# Stacks 1..3 (lwip_stack1..3): the stack's objects once more, every symbol
# they define renamed lwipsK_<name> (objcopy --redefine-syms renames the
# definitions and the references between them), so one domain can run one
# lwIP per core, each with its own PCBs, pools, sockets, tcpip thread and
# core lock (lib/lwip/README.md, "Stacks apart"). The VNIC driver's files
# stay out: one driver serves every stack. lib/lwip/stacks.c (module
# lwip_stacks) reaches each copy by its prefixed names.
LWIP_STACK_OBJS := $(filter-out %/netif_vnic.c.o %/vnic_vf.c.o,$(lwip_OBJS))
LWIP_STACK_SYMS := $(BUILD)/lwip/stack.syms
$(LWIP_STACK_SYMS): $(LWIP_STACK_OBJS)
	@mkdir -p $(@D)
	$(Q)$(NM) -g --defined-only $^ | awk 'NF == 3 { print $$3 }' | sort -u > $@
$(BUILD)/lib/liblwip_stack%.a: $(LWIP_STACK_SYMS) $(LWIP_STACK_OBJS)
	@echo "  STACK   $@"
	$(Q)d=$(BUILD)/lwip/stack$*; rm -rf $$d $@ && mkdir -p $$d && \
	sed 's/.*/& lwips$*_&/' $(LWIP_STACK_SYMS) > $$d.syms && \
	for o in $(LWIP_STACK_OBJS); do \
		$(OBJCOPY) --redefine-syms=$$d.syms $$o $$d/$$(echo $${o#$(BUILD)/} | tr / _) || exit 1; \
	done && ar rcs $@ $$d/*.o

MODULE := lwip_stacks
MODULE_KIND := userlib
MODULE_LIBC := newlib
MODULE_SRCS := \
	lib/lwip/stacks.c
include hake/module.mk
$(lwip_stacks_OBJS): | $(LWIP_STAMP)
