/**
 * \file calibrate.h
 * \brief Boot calibration of the TSC and the local APIC timer against a
 * clock of known rate: the 8254 PIT, the HPET or the ACPI PM timer
 * (kernel/arch/x86_64/calibrate.c).
 */
#ifndef ARCH_CALIBRATE_H
#define ARCH_CALIBRATE_H
#include <stdint.h>
#include <kpi/errors.h>

struct acpi_tables;

/** What was measured, and against what. */
struct calib_result {
    uint64_t tsc_hz;
    uint64_t apic_hz;               /* the APIC timer's input / its divider */
    const char *source;             /* "PIT", "HPET", "ACPI PM timer" */
    const char *how;                /* "forced by timer.calibrate=hpet", "auto" ... */
};

/** The APIC timer as the calibration sees it: start it counting down from
 *  its maximum, and stop it, returning how many counts went by. */
struct calib_counter {
    void (*start)(void);
    uint32_t (*stop)(void);
};

/** Measure on the BSP. The source is `timer.calibrate=pit|hpet|pmtimer`
 *  from the command line, or else (or if that one fails) the PIT, then the
 *  HPET, then the PM timer, whichever first works. Each failure logs one
 *  line. TIMER_ERR_NO_SOURCE if none works. */
errval_t calibrate_timers(const struct acpi_tables *acpi, const struct calib_counter *apic,
                          struct calib_result *out);
#endif
