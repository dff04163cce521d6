/*
 * apic.c: the local APIC of each core, and its timer.
 *
 * Registers are named by their xAPIC MMIO offset (SDM Vol. 3A, Table 11-1);
 * in x2APIC mode the same register is MSR 0x800 + offset/16 (11.12.1.2),
 * and the ICR is one 64-bit MSR. The timer is calibrated once on the BSP
 * against a clock of known rate (calibrate.c: PIT, HPET or ACPI PM timer);
 * every core then uses the same divisor and count.
 */
#include <arch/apic.h>
#include <arch/cpu.h>
#include <arch/calibrate.h>
#include <arch/paging.h>
#include <arch/trap.h>
#include <mmio.h>
#include <core.h>
#include <xcall.h>
#include <span.h>
#include <dispatch.h>
#include <panic.h>

#define APIC_ID        0x020
#define APIC_TPR       0x080
#define APIC_EOI       0x0b0
#define APIC_SVR       0x0f0
#define APIC_ICR_LOW   0x300
#define APIC_ICR_HIGH  0x310
#define APIC_LVT_TIMER 0x320
#define APIC_TIMER_INIT 0x380
#define APIC_TIMER_CUR 0x390
#define APIC_TIMER_DIV 0x3e0
#define SVR_ENABLE     (1u << 8)
#define LVT_MASKED     (1u << 16)
#define LVT_PERIODIC   (1u << 17)
#define TIMER_DIV_16   0x3
#define ICR_PENDING    (1u << 12)
#define APIC_BASE_X2APIC (1ull << 10)
#define APIC_BASE_ENABLE (1ull << 11)
#define CPUID1_ECX_X2APIC (1u << 21)
#define X2APIC_MSR(reg) (0x800 + ((reg) >> 4))

static bool x2apic;
static volatile uint8_t *xapic_regs;
static uint64_t timer_hz_measured;      /* APIC timer input / 16 */
static uint64_t tsc_hz_measured;

static uint32_t apic_read(uint32_t reg)
{
    return x2apic ? (uint32_t)rdmsr(X2APIC_MSR(reg)) : mmio_read32(xapic_regs + reg);
}

static void apic_write(uint32_t reg, uint32_t v)
{
    if (x2apic)
        wrmsr(X2APIC_MSR(reg), v);
    else
        mmio_write32(xapic_regs + reg, v);
}

bool apic_is_x2apic(void) { return x2apic; }

errval_t apic_init(uint64_t mmio_phys)
{
    uint64_t base = rdmsr(MSR_APIC_BASE);
    x2apic = cpuid(1, 0).ecx & CPUID1_ECX_X2APIC;
    if (x2apic) {
        wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE | APIC_BASE_X2APIC);
    } else if (!xapic_regs) {
        volatile void *va;
        errval_t err = paging_map_device(mmio_phys, 4096, &va);
        if (err_is_fail(err))
            return err;
        xapic_regs = va;
        wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
    }
    apic_write(APIC_TPR, 0);
    apic_write(APIC_SVR, SVR_ENABLE | VEC_APIC_SPURIOUS);
    return ERR_OK;
}

uint32_t apic_id(void)
{
    return x2apic ? apic_read(APIC_ID) : apic_read(APIC_ID) >> 24;
}

void apic_eoi(void)
{
    apic_write(APIC_EOI, 0);
}

static void calib_start(void)
{
    apic_write(APIC_TIMER_DIV, TIMER_DIV_16);
    apic_write(APIC_LVT_TIMER, LVT_MASKED);
    apic_write(APIC_TIMER_INIT, 0xffffffff);
}

static uint32_t calib_stop(void)
{
    uint32_t elapsed = 0xffffffff - apic_read(APIC_TIMER_CUR);
    apic_write(APIC_TIMER_INIT, 0);
    return elapsed;
}

errval_t apic_timer_calibrate(const struct acpi_tables *acpi, struct calib_result *r)
{
    static const struct calib_counter counter = { calib_start, calib_stop };
    errval_t err = calibrate_timers(acpi, &counter, r);
    if (err_is_fail(err))
        return err;
    timer_hz_measured = r->apic_hz;
    tsc_hz_measured = r->tsc_hz;
    return ERR_OK;
}

/* Drivers' tick hooks (written at boot, read-only after). */
static timer_hook_fn timer_hooks[TIMER_HOOKS];

void timer_hook_register(timer_hook_fn fn)
{
    for (int i = 0; i < TIMER_HOOKS; i++) {
        if (!timer_hooks[i]) {
            timer_hooks[i] = fn;
            return;
        }
    }
    panic("apic: more than %d timer hooks", TIMER_HOOKS);
}

static void timer_interrupt(struct trap_frame *tf)
{
    this_core()->ticks++;
    apic_eoi();
    xcall_poll();           /* in case a request came before this core took them */
    span_tick();
    capmove_tick();
    for (int i = 0; i < TIMER_HOOKS && timer_hooks[i]; i++)
        timer_hooks[i]();
    dispatch_tick();
}

void apic_timer_start(unsigned hz)
{
    trap_register(VEC_APIC_TIMER, timer_interrupt);
    apic_write(APIC_TIMER_DIV, TIMER_DIV_16);
    apic_write(APIC_LVT_TIMER, VEC_APIC_TIMER | LVT_PERIODIC);
    uint64_t count = timer_hz_measured / hz;
    apic_write(APIC_TIMER_INIT, (uint32_t)(count ? count : 1));
}

uint64_t apic_timer_ticks(void) { return this_core()->ticks; }
uint64_t tsc_hz(void) { return tsc_hz_measured; }
uint64_t apic_timer_hz(void) { return timer_hz_measured; }

void apic_send_ipi(uint32_t dest, uint32_t icr_low)
{
    if (x2apic) {
        wrmsr(X2APIC_MSR(APIC_ICR_LOW), ((uint64_t)dest << 32) | icr_low);
        return;
    }
    apic_write(APIC_ICR_HIGH, dest << 24);
    apic_write(APIC_ICR_LOW, icr_low);
    while (apic_read(APIC_ICR_LOW) & ICR_PENDING)
        cpu_relax();
}
