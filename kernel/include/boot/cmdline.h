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
 *   console=ttyS1            the serial port the console uses (default:
 *                            the UART the ACPI SPCR names, else ttyS0 =
 *                            COM1); see console_arg_parse
 *   fbcon=off                do not draw the console on the boot loader's
 *                            framebuffer (kernel/console/README.md)
 *   timer.calibrate=hpet     what the TSC and APIC timer are measured
 *                            against: pit, hpet or pmtimer (default: the
 *                            first that works, in that order)
 *
 * Drivers read options of their own the same way (cmdline_has,
 * cmdline_value); each driver's README lists them.
 */
#ifndef BOOT_CMDLINE_H
#define BOOT_CMDLINE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CMDLINE_MAX 512

void cmdline_set(const char *s);
const char *cmdline_raw(void);
/** True when `key` appears, alone or as key=value. */
bool cmdline_has(const char *key);
/** Copy the value of key=value into buf (NUL-terminated); false if absent. */
bool cmdline_value(const char *key, char *buf, size_t size);

/** A 16550 UART for the console. */
struct console_port {
    uint16_t port;                  /* I/O base */
    uint32_t baud;
};
/** Parse the value of `console=` (kernel/boot/console_arg.c): ttyS0-3 or
 *  uart,io,0xADDR, optionally ",BAUD". False, touching nothing, if it is
 *  none of these. */
bool console_arg_parse(const char *val, struct console_port *out);
#endif
