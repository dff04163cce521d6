# hake/module.mk: turn one module fragment into rules.
#
# A module's rules.mk sets, then includes this file:
#   MODULE       a unique name
#   MODULE_KIND  kernel    objects linked into the CPU driver
#                hosttest  a cmocka program compiled for the host and run by
#                          `make test` (sources may include kernel files of
#                          pure logic)
#   MODULE_SRCS  sources (.c, .S), paths from the top of the tree, one a line
# Every MODULE_* variable is cleared at the end so fragments cannot leak.

ifeq ($(strip $(MODULE)),)
$(error $(lastword $(filter-out hake/module.mk,$(MAKEFILE_LIST))): MODULE is not set)
endif
ifneq ($(filter-out kernel hosttest,$(MODULE_KIND)),)
$(error module $(MODULE): unknown MODULE_KIND '$(MODULE_KIND)' (kernel, hosttest))
endif
ifeq ($(strip $(MODULE_SRCS)),)
$(error module $(MODULE): MODULE_SRCS is empty)
endif
ifneq ($(filter $(MODULE),$(ALL_MODULES)),)
$(error module $(MODULE): defined twice)
endif
ALL_MODULES += $(MODULE)

ifeq ($(MODULE_KIND),kernel)
KERNEL_OBJS += $(patsubst %,$(BUILD)/kernel/%.o,$(MODULE_SRCS))
endif

ifeq ($(MODULE_KIND),hosttest)
$(MODULE)_OBJS := $(patsubst %,$(BUILD)/host/%.o,$(MODULE_SRCS))
HOST_TESTS += $(BUILD)/host/tests/$(MODULE)
$(BUILD)/host/tests/$(MODULE): $($(MODULE)_OBJS)
	@mkdir -p $(@D)
	@echo "  HOSTLD  $@"
	$(Q)$(HOST_CC) -o $@ $^ $(HOST_LDLIBS)
endif

MODULE :=
MODULE_KIND :=
MODULE_SRCS :=
