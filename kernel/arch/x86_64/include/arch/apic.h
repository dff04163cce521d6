/**
 * \file apic.h
 * \brief This core's local APIC: x2APIC through MSRs when the CPU has it,
 * xAPIC through MMIO otherwise (Intel SDM Vol. 3A, chapter 11).
 */
#ifndef ARCH_APIC_H
#define ARCH_APIC_H
#include <stdint.h>
#include <stdbool.h>
#include <kpi/errors.h>

/** Enable the local APIC on this core (x2APIC if present). */
errval_t apic_init(uint64_t mmio_phys);
bool apic_is_x2apic(void);
uint32_t apic_id(void);
void apic_eoi(void);
struct acpi_tables;
struct calib_result;
/** Measure the APIC timer (and the TSC) once, on the BSP, against the
 *  clock calibrate.c chooses; `r` says which and what was measured. */
errval_t apic_timer_calibrate(const struct acpi_tables *acpi, struct calib_result *r);
/** Start the periodic timer on this core at `hz`, on VEC_APIC_TIMER. */
void apic_timer_start(unsigned hz);
uint64_t apic_timer_ticks(void);
uint64_t tsc_hz(void);
uint64_t apic_timer_hz(void);
/** Send an IPI: INIT, STARTUP or a fixed vector (for the multikernel). */
void apic_send_ipi(uint32_t dest_apic_id, uint32_t icr_low);
#define ICR_FIXED 0x00004000        /* icr_low: fixed delivery, level assert, | vector */

typedef void (*timer_hook_fn)(void);
#define TIMER_HOOKS 4
/** Run `fn` on every timer tick of every core (a driver's polling: it
 *  checks itself whether this is its core). At boot, before user space;
 *  more than TIMER_HOOKS is a kernel bug (panic). */
void timer_hook_register(timer_hook_fn fn);
#endif
