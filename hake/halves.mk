# hake/halves.mk: code says where it runs by the folder it is in.
#
# A folder whose rules.mk defines only kernel modules (kernel/,
# drivers/net/igb/pf/) holds code for the CPU driver; one that defines
# only user modules (lib/libos/, drivers/net/igb/vf/) holds code for user
# space. A user program or library may not list a source from a kernel
# folder, nor a kernel module one from a user folder: code that both
# worlds build lives in a folder that says so by defining both
# (lib/common/). Host tests may take sources from anywhere.
# Included by hake/main.mk after every module fragment.

halves_world = $(if $(filter kernel,$($(1)_KIND)),kernel,$(if $(filter user userlib,$($(1)_KIND)),user))
halves_dirs_of = $(sort $(foreach m,$(ALL_MODULES),$(if $(filter $(1),$(call halves_world,$(m))),$($(m)_DIR))))
HALVES_KERNEL_DIRS := $(call halves_dirs_of,kernel)
HALVES_USER_DIRS := $(call halves_dirs_of,user)
HALVES_SHARED_DIRS := $(filter $(HALVES_KERNEL_DIRS),$(HALVES_USER_DIRS))
HALVES_ONLY_KERNEL := $(filter-out $(HALVES_SHARED_DIRS),$(HALVES_KERNEL_DIRS))
HALVES_ONLY_USER := $(filter-out $(HALVES_SHARED_DIRS),$(HALVES_USER_DIRS))

# $(call halves_in,SRCS,DIRS): the sources that lie under one of DIRS.
halves_in = $(strip $(foreach d,$(2),$(filter $(d)%,$(1))))

$(foreach m,$(ALL_MODULES),\
  $(if $(filter kernel,$(call halves_world,$(m))),\
    $(if $(call halves_in,$($(m)_SRCS),$(HALVES_ONLY_USER)),\
      $(error hake: kernel module $(m) ($($(m)_DIR)rules.mk) lists user-space sources: \
        $(call halves_in,$($(m)_SRCS),$(HALVES_ONLY_USER)); the CPU driver takes code only \
        from kernel folders or from folders both worlds build (lib/common)))))
$(foreach m,$(ALL_MODULES),\
  $(if $(filter user,$(call halves_world,$(m))),\
    $(if $(call halves_in,$($(m)_SRCS),$(HALVES_ONLY_KERNEL)),\
      $(error hake: user module $(m) ($($(m)_DIR)rules.mk) lists kernel sources: \
        $(call halves_in,$($(m)_SRCS),$(HALVES_ONLY_KERNEL)); user space takes code only \
        from user folders or from folders both worlds build (lib/common)))))
