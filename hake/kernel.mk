# hake/kernel.mk: link the CPU driver.
#
# Two passes: the first link has an empty symbol table; its text symbols are
# turned into .ksyms (names for panic backtraces) and the kernel is linked
# again. .ksyms sits after .data and before .bss, so no text address moves;
# the rule checks that.

KERNEL_ELF := $(BUILD)/kernel/kernel.elf
KERNEL_LDS := kernel/arch/x86_64/linker.ld
KSYMS_EMPTY := $(BUILD)/kernel/ksyms-empty.S

$(KSYMS_EMPTY):
	@mkdir -p $(@D)
	$(Q)tools/ksyms-gen < /dev/null > $@

$(BUILD)/kernel/%.ksyms.o: $(BUILD)/kernel/%.ksyms.S
	$(Q)$(CC) $(KERNEL_ASFLAGS) -c -o $@ $<
$(BUILD)/kernel/ksyms-empty.o: $(KSYMS_EMPTY)
	$(Q)$(CC) $(KERNEL_ASFLAGS) -c -o $@ $<

$(BUILD)/kernel/kernel.stage1.elf: $(KERNEL_OBJS) $(BUILD)/kernel/ksyms-empty.o $(KERNEL_LDS)
	@echo "  LD      $@"
	$(Q)$(LD) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJS) $(BUILD)/kernel/ksyms-empty.o

$(BUILD)/kernel/kernel.ksyms.S: $(BUILD)/kernel/kernel.stage1.elf tools/ksyms-gen
	$(Q)$(NM) -n --defined-only $< | tools/ksyms-gen > $@

$(KERNEL_ELF): $(BUILD)/kernel/kernel.stage1.elf $(BUILD)/kernel/kernel.ksyms.o
	@echo "  LD      $@"
	$(Q)$(LD) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJS) $(BUILD)/kernel/kernel.ksyms.o
	$(Q)cmp -s <($(NM) -n $< | grep ' [Tt] ') <($(NM) -n $@ | grep ' [Tt] ') || \
	    { echo "hake: text moved between the two kernel links" >&2; rm -f $@; exit 1; }
