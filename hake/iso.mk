# hake/iso.mk: the GRUB 2 rescue ISO, bootable by BIOS and by UEFI.
ISO := $(BUILD)/arrakis.iso
ISO_ROOT := $(BUILD)/isoroot

$(ISO): $(KERNEL_ELF) tools/grub.cfg tools/mkiso
	@echo "  ISO     $@"
	$(Q)tools/mkiso $(KERNEL_ELF) $@ ""
