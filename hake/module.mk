# hake/module.mk: turn one module fragment into rules.
#
# A module's rules.mk sets, then includes this file:
#   MODULE       a unique name
#   MODULE_KIND  kernel    objects linked into the CPU driver
#                hosttest  a cmocka program compiled for the host and run by
#                          `make test` (sources may include kernel files of
#                          pure logic)
#                userlib   a static library for user programs
#                user      a user program, packed into the ISO as a boot
#                          module named MODULE
#   MODULE_SRCS  sources (.c, .S), paths from the top of the tree, one a line,
#                sorted
#   MODULE_LIBS  (user only) userlib modules to link, in link order
#   MODULE_LIBC  (user, userlib) the C library the code is written against:
#                minic   (the default) freestanding, lib/common's <string.h>;
#                        a program links libos_minic (exit) and common_minic
#                        (memcpy...)
#                newlib  newlib's headers; a program links the glue
#                        (lib/newlib), newlib's libc.a and libm.a, and libgcc
#                The two worlds compile into separate object directories
#                (build/user, build/user-newlib); see hake/toolchain.mk.
# Every MODULE_* variable is cleared at the end so fragments cannot leak.

ifeq ($(strip $(MODULE)),)
$(error $(lastword $(filter-out hake/module.mk,$(MAKEFILE_LIST))): MODULE is not set)
endif
ifneq ($(filter-out kernel hosttest userlib user,$(MODULE_KIND)),)
$(error module $(MODULE): unknown MODULE_KIND '$(MODULE_KIND)' (kernel, hosttest, userlib, user))
endif
ifneq ($(and $(MODULE_LIBS),$(filter-out user,$(MODULE_KIND))),)
$(error module $(MODULE): MODULE_LIBS is only for MODULE_KIND user)
endif
MODULE_LIBC := $(or $(strip $(MODULE_LIBC)),minic)
ifneq ($(filter-out minic newlib,$(MODULE_LIBC)),)
$(error module $(MODULE): unknown MODULE_LIBC '$(MODULE_LIBC)' (minic, newlib))
endif
ifneq ($(and $(filter newlib,$(MODULE_LIBC)),$(filter-out user userlib,$(MODULE_KIND))),)
$(error module $(MODULE): MODULE_LIBC is only for MODULE_KIND user and userlib)
endif
ifeq ($(strip $(MODULE_SRCS)),)
$(error module $(MODULE): MODULE_SRCS is empty)
endif
# Sorted, one a line: a change to a list is a one-line diff ($(sort) also
# drops duplicates, so a source listed twice fails here too).
ifneq ($(strip $(MODULE_SRCS)),$(sort $(MODULE_SRCS)))
$(error module $(MODULE): MODULE_SRCS must be sorted and listed once each: $(sort $(MODULE_SRCS)))
endif
ifneq ($(filter $(MODULE),$(ALL_MODULES)),)
$(error module $(MODULE): defined twice)
endif
ALL_MODULES += $(MODULE)
# Where the module's fragment lives and what it builds, for the check of
# halves in hake/halves.mk (run once every fragment is read).
$(MODULE)_DIR := $(dir $(lastword $(filter-out hake/%,$(MAKEFILE_LIST))))
$(MODULE)_KIND := $(MODULE_KIND)
$(MODULE)_SRCS := $(MODULE_SRCS)

ifeq ($(MODULE_KIND),kernel)
$(MODULE)_OBJS := $(patsubst %,$(BUILD)/kernel/%.o,$(MODULE_SRCS))
KERNEL_OBJS += $($(MODULE)_OBJS)
# Drivers see each other's headers (<pci/pci.h>); the CPU driver's own
# modules do not: it names no driver, and this keeps it so.
ifneq ($(filter drivers/%,$($(MODULE)_DIR)),)
$($(MODULE)_OBJS): KERNEL_MODULE_CFLAGS := -Idrivers
endif
endif

ifeq ($(MODULE_KIND),hosttest)
$(MODULE)_OBJS := $(patsubst %,$(BUILD)/host/%.o,$(MODULE_SRCS))
HOST_TESTS += $(BUILD)/host/tests/$(MODULE)
$(BUILD)/host/tests/$(MODULE): $($(MODULE)_OBJS)
	@mkdir -p $(@D)
	@echo "  HOSTLD  $@"
	$(Q)$(HOST_CC) -o $@ $^ $(HOST_LDLIBS)
endif

# User code: the object directory and the C library follow MODULE_LIBC.
MODULE_ODIR := $(if $(filter newlib,$(MODULE_LIBC)),$(BUILD)/user-newlib,$(BUILD)/user)
# Every program links lib/common (fmt, err, timeconv) without listing it.
MODULE_CLIBS := $(BUILD)/lib/libcommon.a $(if $(filter newlib,$(MODULE_LIBC)),\
    $(BUILD)/lib/libnewlib_glue.a $(NEWLIB_LIBS) $(LIBGCC),\
    $(BUILD)/lib/liblibos_minic.a $(BUILD)/lib/libcommon_minic.a)

ifeq ($(MODULE_KIND),userlib)
$(MODULE)_OBJS := $(patsubst %,$(MODULE_ODIR)/%.o,$(MODULE_SRCS))
$(BUILD)/lib/lib$(MODULE).a: $($(MODULE)_OBJS)
	@mkdir -p $(@D)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^
endif

ifeq ($(MODULE_KIND),user)
$(MODULE)_OBJS := $(patsubst %,$(MODULE_ODIR)/%.o,$(MODULE_SRCS))
$(MODULE)_LIBS := $(patsubst %,$(BUILD)/lib/lib%.a,$(MODULE_LIBS)) $(MODULE_CLIBS)
USER_PROGRAMS += $(BUILD)/usr/$(MODULE)
$(BUILD)/usr/$(MODULE): $($(MODULE)_OBJS) $(filter $(BUILD)/lib/%,$($(MODULE)_LIBS)) hake/user.ld \
    $(if $(filter newlib,$(MODULE_LIBC)),$(NEWLIB_STAMP))
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(LD) $(USER_LDFLAGS) -o $@ $($@_OBJS) --start-group $($@_LIBS) --end-group
$(BUILD)/usr/$(MODULE)_OBJS := $($(MODULE)_OBJS)
$(BUILD)/usr/$(MODULE)_LIBS := $($(MODULE)_LIBS)
endif

MODULE :=
MODULE_KIND :=
MODULE_SRCS :=
MODULE_LIBS :=
MODULE_LIBC :=
MODULE_ODIR :=
MODULE_CLIBS :=
