/*
 * calibrate.c: how fast the TSC and the local APIC timer run, measured
 * once at boot on the BSP against a clock whose rate is known:
 *   - the 8254 PIT (1.193182 MHz), channel 2 one-shot, as on every PC;
 *   - the HPET (IA-PC HPET Specification 1.0a), found through the ACPI
 *     "HPET" table; its period in femtoseconds is in GCAP_ID (2.3.9.2.1);
 *   - the ACPI PM timer (3.579545 MHz, ACPI 6.5 4.8.3.3), from the FADT.
 * UEFI servers may have no PIT at all (or gate it off), so the choice is
 * `timer.calibrate=pit|hpet|pmtimer` on the command line, or by default
 * the first of PIT, HPET, PM timer that counts. A PIT that is absent is
 * seen as one whose output does not go low as it is started, or not high
 * again within GIVE_UP_CYCLES of the TSC: no x86 TSC runs faster than
 * 5 GHz, so that is at least 200 ms (ten times the 20 ms asked), and at
 * most 1 s on a slow one, before the next clock is tried.
 * Every address comes from ACPI; nothing assumes QEMU's.
 */
#include <arch/calibrate.h>
#include <arch/cpu.h>
#include <arch/paging.h>
#include <arch/pit.h>
#include <acpi/acpi.h>
#include <boot/cmdline.h>
#include <console.h>
#include <mmio.h>
#include <string.h>

#define CALIBRATION_MS  20
#define GIVE_UP_CYCLES  1000000000ull   /* TSC cycles: >= 200 ms at <= 5 GHz */
#define HPET_GCAP_ID    0x000       /* 2.3.9.2.1: bits 63:32 COUNTER_CLK_PERIOD (fs) */
#define HPET_GEN_CONF   0x010       /* 2.3.9.2.2 */
#define HPET_CONF_ENABLE 0x1u       /* ENABLE_CNF: the main counter runs */
#define HPET_MAIN_COUNTER 0x0f0     /* 2.3.9.2.4 */
#define HPET_PERIOD_MAX 100000000u  /* 100 ns: the largest period the spec allows */
#define FS_PER_S        1000000000000000ull

enum source { SRC_PIT, SRC_HPET, SRC_PMTIMER, SRC_COUNT };
static const char *const source_names[SRC_COUNT] = { "PIT", "HPET", "ACPI PM timer" };
static const char *const source_args[SRC_COUNT] = { "pit", "hpet", "pmtimer" };

/* A free-running counter: HPET or PM timer, read as its low 32 bits. */
struct counter {
    volatile uint8_t *mmio;         /* HPET registers, or a PM timer in memory space */
    uint16_t port;                  /* PM timer in I/O space */
    uint32_t mask;
    uint64_t hz;
};

static uint32_t counter_read(const struct counter *c)
{
    if (c->port)
        return inl(c->port) & c->mask;
    return mmio_read32(c->mmio) & c->mask;
}

static errval_t measure_pit(const struct calib_counter *apic, uint64_t *us,
                            uint64_t *tsc_d, uint32_t *apic_d)
{
    pit_oneshot_start(CALIBRATION_MS);
    if (pit_oneshot_done())         /* mode 0 drives OUT low as the count is written */
        return TIMER_ERR_NO_PIT;
    uint64_t tsc0 = rdtsc();
    apic->start();
    while (!pit_oneshot_done())
        if (rdtsc() - tsc0 > GIVE_UP_CYCLES) {
            apic->stop();
            return TIMER_ERR_NO_PIT;
        }
    *apic_d = apic->stop();
    *tsc_d = rdtsc() - tsc0;
    *us = CALIBRATION_MS * 1000ull;
    return ERR_OK;
}

static errval_t measure_counter(const struct counter *c, const struct calib_counter *apic,
                                uint64_t *us, uint64_t *tsc_d, uint32_t *apic_d)
{
    uint64_t want = c->hz * CALIBRATION_MS / 1000;
    uint32_t t0 = counter_read(c), d = 0;
    uint64_t tsc0 = rdtsc();
    apic->start();
    while ((d = (counter_read(c) - t0) & c->mask) < want)
        if (rdtsc() - tsc0 > GIVE_UP_CYCLES) {
            apic->stop();
            return TIMER_ERR_STUCK;
        }
    *apic_d = apic->stop();
    *tsc_d = rdtsc() - tsc0;
    *us = (uint64_t)d * 1000000 / c->hz;
    return ERR_OK;
}

static errval_t hpet_counter(const struct acpi_tables *acpi, struct counter *c)
{
    const struct acpi_sdt_header *h;
    struct acpi_clock clk;
    errval_t err = acpi_find(acpi, "HPET", &h);
    if (err_is_ok(err))
        err = hpet_parse(h, &clk);
    if (err_is_fail(err))
        return err;
    volatile void *va;
    err = paging_map_device(clk.address & ~0xfffull, 4096, &va);
    if (err_is_fail(err))
        return err;
    volatile uint8_t *regs = (volatile uint8_t *)va + (clk.address & 0xfff);
    uint32_t period = (uint32_t)(mmio_read64(regs + HPET_GCAP_ID) >> 32);
    if (period == 0 || period > HPET_PERIOD_MAX)
        return TIMER_ERR_STUCK;
    uint64_t conf = mmio_read64(regs + HPET_GEN_CONF);
    if (!(conf & HPET_CONF_ENABLE))
        mmio_write64(regs + HPET_GEN_CONF, conf | HPET_CONF_ENABLE);
    *c = (struct counter){ .mmio = regs + HPET_MAIN_COUNTER, .mask = 0xffffffffu,
                           .hz = FS_PER_S / period };
    return ERR_OK;
}

static errval_t pm_counter(const struct acpi_tables *acpi, struct counter *c)
{
    const struct acpi_sdt_header *h;
    struct acpi_clock clk;
    errval_t err = acpi_find(acpi, "FACP", &h);
    if (err_is_ok(err))
        err = fadt_pm_timer(h, &clk);
    if (err_is_fail(err))
        return err;
    *c = (struct counter){ .mask = clk.bits == 32 ? 0xffffffffu : 0xffffffu,
                           .hz = ACPI_PM_TIMER_HZ };
    if (clk.space == ACPI_GAS_IO) {
        if (clk.address > 0xffff)
            return ACPI_ERR_NO_CLOCK;
        c->port = (uint16_t)clk.address;
        return ERR_OK;
    }
    volatile void *va;
    err = paging_map_device(clk.address & ~0xfffull, 4096, &va);
    if (err_is_fail(err))
        return err;
    c->mmio = (volatile uint8_t *)va + (clk.address & 0xfff);
    return ERR_OK;
}

static errval_t try_source(enum source s, const struct acpi_tables *acpi,
                           const struct calib_counter *apic, struct calib_result *out)
{
    uint64_t us = 0, tsc_d = 0;
    uint32_t apic_d = 0;
    struct counter c;
    errval_t err;
    if (s == SRC_PIT) {
        err = measure_pit(apic, &us, &tsc_d, &apic_d);
    } else {
        err = s == SRC_HPET ? hpet_counter(acpi, &c) : pm_counter(acpi, &c);
        if (err_is_ok(err))
            err = measure_counter(&c, apic, &us, &tsc_d, &apic_d);
    }
    if (err_is_fail(err))
        return err;
    out->tsc_hz = tsc_d * 1000000 / us;
    out->apic_hz = (uint64_t)apic_d * 1000000 / us;
    out->source = source_names[s];
    return ERR_OK;
}

errval_t calibrate_timers(const struct acpi_tables *acpi, const struct calib_counter *apic,
                          struct calib_result *out)
{
    char arg[16];
    int forced = -1;
    if (cmdline_value("timer.calibrate", arg, sizeof(arg))) {
        for (int s = 0; s < SRC_COUNT; s++)
            if (strcmp(arg, source_args[s]) == 0)
                forced = s;
        if (forced < 0)
            kprintf("timer: timer.calibrate=%s unknown (pit, hpet or pmtimer); choosing "
                    "automatically\n", arg);
    }
    if (forced >= 0) {
        errval_t err = try_source((enum source)forced, acpi, apic, out);
        if (err_is_ok(err)) {
            out->how = "forced by timer.calibrate";
            return ERR_OK;
        }
        kprint_err(source_names[forced], err);
        kprintf("timer: the %s asked for on the command line does not work; choosing "
                "automatically\n", source_names[forced]);
    }
    for (int s = 0; s < SRC_COUNT; s++) {
        if (s == forced)
            continue;
        errval_t err = try_source((enum source)s, acpi, apic, out);
        if (err_is_ok(err)) {
            out->how = s == SRC_PIT ? "auto" : "auto: the sources before it did not work";
            return ERR_OK;
        }
        kprint_err(source_names[s], err);
    }
    return TIMER_ERR_NO_SOURCE;
}
