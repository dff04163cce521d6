# hake/toolchain.mk: the one place for compilers and flags.
#
# Kernel and drivers are freestanding and use no SSE/x87 registers, so the
# CPU driver never has to save FPU state and MMIO instructions stay simple
# enough for KVM's instruction emulator. Frame pointers stay on: the panic
# handler walks them for a backtrace.

CC        ?= gcc
LD        := ld
OBJCOPY   := objcopy
NM        := nm
HOST_CC   := gcc
PYTHON    := /usr/bin/python3

COMMON_WARN := -Wall -Wextra -Werror -Wno-unused-parameter -Wstrict-prototypes \
               -Wmissing-prototypes -Wshadow

KERNEL_CFLAGS := -std=c11 -O2 -g $(COMMON_WARN) \
    -ffreestanding -fno-builtin -nostdlib -fno-stack-protector -fno-pic -fno-pie \
    -mno-red-zone -mcmodel=kernel -mgeneral-regs-only -mno-sse -mno-mmx \
    -mno-80387 -fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
    -fno-common -fno-delete-null-pointer-checks -MMD -MP \
    -Ikernel/include -Ikernel/arch/x86_64/include -Ilib/common/include -Ilib/common/freestanding \
    -Ilib/kpi/include

KERNEL_ASFLAGS := $(filter-out -std=c11,$(KERNEL_CFLAGS)) -D__ASSEMBLY__

KERNEL_LDFLAGS := -nostdlib -n -z max-page-size=0x1000 -z noexecstack \
    --no-warn-rwx-segments -T kernel/arch/x86_64/linker.ld

# Host unit tests compile the pure-logic kernel files unchanged, with
# HOST_TEST defined so headers can leave out what only the CPU driver has.
HOST_CFLAGS := -std=c11 -O1 -g $(COMMON_WARN) -DHOST_TEST -MMD -MP \
    -fsanitize=address,undefined -fno-omit-frame-pointer \
    -Ikernel/include -Ikernel/arch/x86_64/include -Ilib/common/include -Ilib/kpi/include -Idrivers -Itests/unit -Ilib/libos/include -Ilib/arrakis/include -Ilib/tenacious/include -Ilib/vsafs/include -pthread
HOST_LDLIBS := -fsanitize=address,undefined -lcmocka -pthread

# User space: ordinary x86-64 code (SSE allowed: the CPU driver saves each
# dispatcher's FXSAVE state), static, linked at 0x400000 by hake/user.ld.
# A program picks its C library with MODULE_LIBC (hake/module.mk), and the
# choice picks the flags and the object directory:
#   minic   freestanding; <string.h> is the kernel's too (lib/common/
#           freestanding), common_minic supplies memcpy..., libos_minic
#           exit. Objects in build/user/.
#   newlib  hosted C with newlib's headers (hake/newlib.mk) and gcc's own
#           (stddef.h, stdarg.h), never the host's; gnu11 so POSIX and BSD
#           declarations are visible. lib/posix/include comes first: its
#           <pthread.h> and <sys/_pthreadtypes.h> replace newlib's (which
#           are RTEMS's object ids). __DYNAMIC_REENT__: _REENT is
#           __getreent(), per thread (lib/newlib/threads.c); newlib itself
#           is built with it too. Objects in build/user-newlib/.
# libos itself is compiled once, in the minic world, and links into both:
# its sources use only standard prototypes, so the ABI is the same.
# (-Idrivers: user code drives its VF directly and takes the register
# definitions from the driver's regs.h, as the kernel does.)
USER_BASE_CFLAGS := -O2 -g $(COMMON_WARN) -fno-stack-protector -fno-pic -fno-pie \
    -fno-omit-frame-pointer -fno-asynchronous-unwind-tables -fno-common -MMD -MP \
    -Ilib/kpi/include -Ilib/libos/include -Ilib/arrakis/include -Ilib/tenacious/include -Ilib/vsafs/include -Ilib/common/include -Idrivers
USER_CFLAGS := -std=c11 $(USER_BASE_CFLAGS) -ffreestanding -fno-builtin \
    -Ilib/common/freestanding
USER_ASFLAGS := $(filter-out -std=c11,$(USER_CFLAGS)) -D__ASSEMBLY__
USER_NEWLIB_CFLAGS = -std=gnu11 $(USER_BASE_CFLAGS) -Ilib/posix/include -nostdinc \
    -isystem $(NEWLIB_INC) -isystem $(GCC_INC) -D__DYNAMIC_REENT__
USER_NEWLIB_ASFLAGS = $(filter-out -std=gnu11,$(USER_NEWLIB_CFLAGS)) -D__ASSEMBLY__
USER_LDFLAGS := -nostdlib -static -z max-page-size=0x1000 -z noexecstack -T hake/user.ld
GCC_INC := $(shell $(CC) -print-file-name=include)
LIBGCC := $(shell $(CC) -print-libgcc-file-name)
