/*
 * idt.c: the interrupt descriptor table and the dispatcher of traps.
 *
 * One IDT serves every core (it is written before the other cores start
 * and only read afterwards). Exceptions in the kernel are fatal and go to
 * panic_trap(); interrupts go to the handler registered for the vector.
 */
#include <arch/trap.h>
#include <arch/gdt.h>
#include <panic.h>
#include <console.h>
#include <dispatch.h>

/* Gate descriptor (SDM Vol. 3A, 6.14.1). */
struct idt_gate {
    uint16_t offset_lo, selector;
    uint8_t ist, type_attr;
    uint16_t offset_mid;
    uint32_t offset_hi, reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_gate) == 16, "SDM 3A 6.14.1");

#define GATE_INTERRUPT 0x8e     /* present, DPL 0, 64-bit interrupt gate */

extern const uint64_t isr_table[256];
static struct idt_gate idt[256] __attribute__((aligned(16)));
static trap_handler_fn handlers[256];

static const char *const exception_names[32] = {
    "#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
    "#BR bound range", "#UD invalid opcode", "#NM device not available",
    "#DF double fault", "coprocessor overrun", "#TS invalid TSS",
    "#NP segment not present", "#SS stack fault", "#GP general protection",
    "#PF page fault", "reserved", "#MF x87 error", "#AC alignment check",
    "#MC machine check", "#XM SIMD error", "#VE virtualization",
    "#CP control protection",
};

const char *trap_vector_name(uint64_t vector)
{
    if (vector < 32)
        return exception_names[vector] ? exception_names[vector] : "reserved";
    return "interrupt";
}

static void set_gate(int v, uint64_t addr, uint8_t ist)
{
    idt[v] = (struct idt_gate){
        .offset_lo = addr & 0xffff, .selector = SEL_KCODE, .ist = ist,
        .type_attr = GATE_INTERRUPT, .offset_mid = (addr >> 16) & 0xffff,
        .offset_hi = addr >> 32,
    };
}

void idt_init(void)
{
    for (int v = 0; v < 256; v++)
        set_gate(v, isr_table[v], 0);
    /* Faults that may come with a broken stack get known-good ones. */
    set_gate(VEC_DOUBLE_FAULT, isr_table[VEC_DOUBLE_FAULT], IST_DOUBLE_FAULT);
    set_gate(VEC_NMI, isr_table[VEC_NMI], IST_NMI);
    set_gate(VEC_MACHINE_CHECK, isr_table[VEC_MACHINE_CHECK], IST_MACHINE_CHECK);
}

void idt_load(void)
{
    struct { uint16_t limit; uint64_t base; } __attribute__((packed)) ptr = {
        sizeof(idt) - 1, (uint64_t)idt
    };
    __asm__ volatile("lidt %0" : : "m"(ptr));
}

void trap_register(uint8_t vector, trap_handler_fn fn)
{
    handlers[vector] = fn;
}

/* Device vectors handed out so far (bootstrap core, at boot). */
static unsigned next_device_vector = VEC_DEVICE_FIRST;

errval_t trap_alloc_vectors(unsigned n, uint8_t *first)
{
    if (n == 0 || n > VEC_DEVICE_END - next_device_vector)
        return TRAP_ERR_NO_VECTORS;
    *first = (uint8_t)next_device_vector;
    next_device_vector += n;
    return ERR_OK;
}

/*
 * From user mode: save the dispatcher's state, handle the event, then let
 * the scheduler pick who runs (dispatch_schedule never returns). From
 * kernel mode an exception is fatal; an interrupt can only have come in
 * the idle loop, where the scheduler may now find work.
 */
void trap_dispatch(struct trap_frame *tf)
{
    bool from_user = tf->cs & 3;
    if (tf->vector < VEC_FIRST_IRQ) {
        if (!from_user)
            panic_trap(tf);
        dispatch_save(tf, true);
        dispatch_user_fault(tf);
    }
    if (from_user)
        dispatch_save(tf, false);
    if (handlers[tf->vector])
        handlers[tf->vector](tf);
    else if (tf->vector != VEC_APIC_SPURIOUS)
        kprintf("trap: unexpected interrupt vector %lu ignored\n", tf->vector);
    if (from_user || dispatch_idle())
        dispatch_schedule();
}
