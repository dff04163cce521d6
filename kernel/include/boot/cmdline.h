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
 *
 * Drivers read options of their own the same way (cmdline_has,
 * cmdline_value); each driver's README lists them.
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
