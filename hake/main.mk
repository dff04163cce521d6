SHELL := /bin/bash
# hake/main.mk: the whole build in one make process (non-recursive).
# Each module's rules.mk is included once; see hake/module.mk.

BUILD := build
V ?= 0
Q := $(if $(filter 1,$(V)),,@)

.DEFAULT_GOAL := all
.PHONY: all run test unit-test system-test bench fuzz debug iso deps clean
.DELETE_ON_ERROR:

include hake/toolchain.mk
include hake/newlib.mk

ALL_MODULES :=
KERNEL_OBJS :=
HOST_TESTS :=
USER_PROGRAMS :=
MODULE_FRAGMENTS := $(sort $(shell find kernel drivers lib usr tests -name rules.mk 2>/dev/null))
include $(MODULE_FRAGMENTS)
include hake/halves.mk

include hake/kernel.mk
include hake/iso.mk
include hake/linux.mk

# Compile rules, one per toolchain.
$(BUILD)/kernel/%.c.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(KERNEL_CFLAGS) $(KERNEL_MODULE_CFLAGS) -c -o $@ $<
$(BUILD)/kernel/%.S.o: %.S
	@mkdir -p $(@D)
	@echo "  AS      $<"
	$(Q)$(CC) $(KERNEL_ASFLAGS) $(KERNEL_MODULE_CFLAGS) -c -o $@ $<
$(BUILD)/user/%.c.o: %.c
	@mkdir -p $(@D)
	@echo "  UCC     $<"
	$(Q)$(CC) $(USER_CFLAGS) -c -o $@ $<
$(BUILD)/user/%.S.o: %.S
	@mkdir -p $(@D)
	@echo "  UAS     $<"
	$(Q)$(CC) $(USER_ASFLAGS) -c -o $@ $<
$(BUILD)/host/%.c.o: %.c
	@mkdir -p $(@D)
	@echo "  HOSTCC  $<"
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -c -o $@ $<

all: $(ISO)

deps:
	@bash hake/deps.sh

iso: $(ISO)

run: deps
	@$(MAKE) --no-print-directory all
	@tools/run-qemu

debug: deps
	@$(MAKE) --no-print-directory all
	@tools/run-qemu --gdb

test: deps
	@$(MAKE) --no-print-directory all linux-guest $(HOST_TESTS)
	@tools/run-tests $(HOST_TESTS)

bench: deps
	@$(MAKE) --no-print-directory all linux-guest
	@tools/bench $(BENCH_ARGS)

fuzz: deps
	@$(MAKE) --no-print-directory all
	@tools/fuzz $(FUZZ_ARGS)

clean:
	rm -rf $(BUILD)

# Dependency files of our objects: third-party source trees are skipped
# (Redis's has a directory debian/bash_completion.d).
-include $(shell find $(BUILD) \( -path $(BUILD)/newlib -o -path $(BUILD)/redis \) -prune -o -name '*.d' -type f -print 2>/dev/null)
