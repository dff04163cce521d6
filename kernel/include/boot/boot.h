/**
 * \file boot.h
 * \brief Boot steps of the CPU driver on the bootstrap core, in order.
 */
#ifndef BOOT_BOOT_H
#define BOOT_BOOT_H
#include <stdint.h>

#define ARRAKIS_VERSION "0.1"
#define BOOT_FAIL_STATUS 2     /* machine_stop() status of a refused boot */

/** Stop the boot with a clear message: not a fault, a refusal. */
__attribute__((noreturn, format(printf, 1, 2))) void boot_fatal(const char *fmt, ...);
void kmain(uint32_t magic, uint32_t mbi_phys);
#endif
