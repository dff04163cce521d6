# hake/iso.mk: the GRUB 2 rescue ISO, bootable by BIOS and by UEFI.
ISO := $(BUILD)/arrakis.iso
ISO_ROOT := $(BUILD)/isoroot

# The user programs ride along as multiboot2 modules, one per program.
$(ISO): $(KERNEL_ELF) $(USER_PROGRAMS) tools/grub.cfg tools/mkiso
	@echo "  ISO     $@"
	$(Q)tools/mkiso $(KERNEL_ELF) $@ "" $(USER_PROGRAMS)
