MODULE := kernel
MODULE_KIND := kernel
MODULE_SRCS := \
	kernel/acpi/dump.c \
	kernel/acpi/madt.c \
	kernel/acpi/mcfg.c \
	kernel/acpi/rsdp_scan.c \
	kernel/acpi/tables.c \
	kernel/arch/x86_64/apic.c \
	kernel/arch/x86_64/boot.S \
	kernel/arch/x86_64/gdt.c \
	kernel/arch/x86_64/idt.c \
	kernel/arch/x86_64/isr.S \
	kernel/arch/x86_64/paging.c \
	kernel/arch/x86_64/pit.c \
	kernel/arch/x86_64/resume.S \
	kernel/arch/x86_64/rtc.c \
	kernel/arch/x86_64/serial.c \
	kernel/arch/x86_64/smp.c \
	kernel/arch/x86_64/syscall.S \
	kernel/arch/x86_64/syscall_init.c \
	kernel/arch/x86_64/trampoline.S \
	kernel/arch/x86_64/vspace.c \
	kernel/boot/cmdline.c \
	kernel/boot/multiboot2.c \
	kernel/cap_hooks.c \
	kernel/capmove.c \
	kernel/console.c \
	kernel/crash.c \
	kernel/cspace.c \
	kernel/dispatch.c \
	kernel/driver.c \
	kernel/elf.c \
	kernel/invoke.c \
	kernel/invoke_cnode.c \
	kernel/invoke_endpoint.c \
	kernel/invoke_kernel.c \
	kernel/main.c \
	kernel/mapping.c \
	kernel/mm/pmm.c \
	kernel/monitor_link.c \
	kernel/panic.c \
	kernel/span.c \
	kernel/spawn.c \
	kernel/syscall.c \
	kernel/tlb.c \
	kernel/xcall.c
include hake/module.mk
