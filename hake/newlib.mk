# hake/newlib.mk: newlib 3.3.0 for user programs that set MODULE_LIBC := newlib.
#
# lib/newlib/build.sh unpacks Debian's newlib-source tarball into
# build/newlib/src, applies lib/newlib/patches/, configures in
# build/newlib/obj and installs libc.a, libm.a and the headers into
# build/newlib/install/x86_64-elf. The stamp below makes that one step for
# make: it reruns only when the script or a patch changes (the script keeps
# its own per-step stamps, so a rerun redoes only what changed). The `+`
# lets newlib's own make share this make's jobserver. Programs depend on
# the stamp, not on the libraries; objects wait for it (order-only) so the
# headers exist, and their .d files track the headers after that.

NEWLIB_DIR   := $(BUILD)/newlib
NEWLIB_STAMP := $(NEWLIB_DIR)/install.stamp
NEWLIB_INC   := $(NEWLIB_DIR)/install/x86_64-elf/include
NEWLIB_LIBS  := $(NEWLIB_DIR)/install/x86_64-elf/lib/libc.a \
                $(NEWLIB_DIR)/install/x86_64-elf/lib/libm.a

$(NEWLIB_STAMP): lib/newlib/build.sh $(wildcard lib/newlib/patches/*.patch)
	+$(Q)bash lib/newlib/build.sh $(NEWLIB_DIR)
	@touch $@

# The newlib world's compile rules (hake/toolchain.mk says how it differs).
$(BUILD)/user-newlib/%.c.o: %.c | $(NEWLIB_STAMP)
	@mkdir -p $(@D)
	@echo "  NCC     $<"
	$(Q)$(CC) $(USER_NEWLIB_CFLAGS) -c -o $@ $<
$(BUILD)/user-newlib/%.S.o: %.S | $(NEWLIB_STAMP)
	@mkdir -p $(@D)
	@echo "  NAS     $<"
	$(Q)$(CC) $(USER_NEWLIB_ASFLAGS) -c -o $@ $<
