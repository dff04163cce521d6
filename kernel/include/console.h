/**
 * \file console.h
 * \brief Kernel console output: kprintf, and klog which prefixes the
 * subsystem so every boot line says who printed it ("acpi: ..."). It
 * goes to the serial port and, once attached, the framebuffer console.
 */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H
#include <kpi/errors.h>

int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** Print an error stack: "what: CODE_A (message) <- CODE_B (message)". */
void kprint_err(const char *what, errval_t err);
struct fbcon;
/** Mirror the console on a framebuffer console from now on, after drawing
 *  on it what was printed before (kernel/console/fbcon_start.c). */
void console_attach_fb(struct fbcon *c);
/** Used only by panic: drop the console lock this core may hold. */
void console_break_lock(void);
#endif
