/**
 * \file cmdline.h
 * \brief The kernel command line: space-separated `key` or `key=value`.
 *
 * Options the CPU driver understands:
 *   crash=pagefault|divide   trigger a deliberate fault after boot (tests)
 *   halt=poweroff            power off through isa-debug-exit after boot or
 *                            a panic instead of halting (tests)
 *   acpi.dump                print the raw ACPI tables as "acpidump" lines
 *                            (tools/acpi-capture makes unit-test fixtures)
 *   boot.ignore_memmap       act as if the loader gave no memory map (tests)
 *   boot.ignore_acpi         act as if the firmware had no ACPI tables
 *                            (tests: QEMU's q35 firmware always has them)
 *   sriov.vfs=N              enable N virtual functions on every SR-IOV
 *                            PCIe function at boot (default 4; 0 = none);
 *                            more than its TotalVFs is refused, with a log
 *                            line, and the boot goes on (drivers/pci)
 *   iommu=off                leave VT-d DMA remapping off (default: on, and
 *                            every device is blocked until attached)
 *   igb=off                  leave the 82576 PF alone: no reset, link, VF
 *                            pools or mailbox (drivers/net/igb)
 *   igb.selftest             after igb bring-up, play VF 0 against the PF's
 *                            mailbox and log the result (drivers/net/igb)
 *   iommu.selftest           after enabling VT-d, map, attach and walk a
 *                            test domain (drivers/iommu/vtd/vtd.c)
 */
#ifndef BOOT_CMDLINE_H
#define BOOT_CMDLINE_H
#include <stdbool.h>
#include <stddef.h>

#define CMDLINE_MAX 512

void cmdline_set(const char *s);
const char *cmdline_raw(void);
/** True when `key` appears, alone or as key=value. */
bool cmdline_has(const char *key);
/** Copy the value of key=value into buf (NUL-terminated); false if absent. */
bool cmdline_value(const char *key, char *buf, size_t size);
#endif
