/*
 * panic.c: the last words of a CPU driver.
 *
 * Prints the cause, the register file, the faulting address for a page
 * fault, and a backtrace through the frame-pointer chain with names from
 * the kernel's own symbol table (.ksyms, generated at link time). Every
 * step is careful not to fault again: the backtrace stops at the first
 * frame pointer outside the kernel's stacks or image.
 */
#include <panic.h>
#include <console.h>
#include <memlayout.h>
#include <boot/cmdline.h>
#include <arch/cpu.h>
#include <arch/trap.h>
#include <stdarg.h>
#include <fmt.h>

struct ksym { uint64_t addr; const char *name; };
extern const uint64_t ksyms_count;
extern const struct ksym ksyms_table[];
extern const char _text_start[], _text_end[];

#define ISA_DEBUG_EXIT_PORT 0xf4
#define BACKTRACE_MAX 16

const char *ksym_lookup(uint64_t addr, uint64_t *offset)
{
    if (addr < (uint64_t)_text_start || addr >= (uint64_t)_text_end || ksyms_count == 0)
        return 0;
    uint64_t lo = 0, hi = ksyms_count;      /* find the last addr <= target */
    while (hi - lo > 1) {
        uint64_t mid = (lo + hi) / 2;
        if (ksyms_table[mid].addr <= addr) lo = mid; else hi = mid;
    }
    if (ksyms_table[lo].addr > addr)
        return 0;
    *offset = addr - ksyms_table[lo].addr;
    return ksyms_table[lo].name;
}

static void print_addr(const char *label, uint64_t addr)
{
    uint64_t off;
    const char *name = ksym_lookup(addr, &off);
    if (name)
        kprintf("%s%016lx <%s+0x%lx>\n", label, addr, name, off);
    else
        kprintf("%s%016lx\n", label, addr);
}

static void backtrace(uint64_t rbp)
{
    kprintf("  backtrace:\n");
    for (int i = 0; i < BACKTRACE_MAX; i++) {
        if (rbp < KERNEL_VBASE || rbp % 8)
            break;
        const uint64_t *frame = (const uint64_t *)rbp;
        if (frame[1] == 0)
            break;
        print_addr("    ", frame[1]);
        if (frame[0] <= rbp)
            break;
        rbp = frame[0];
    }
}

void machine_stop(int status)
{
    irq_disable();
    if (cmdline_has("halt=poweroff")) {
        kprintf("system powering off (status %d)\n", status);
        outl(ISA_DEBUG_EXIT_PORT, (uint32_t)status);
    }
    kprintf("system halted.\n");
    for (;;)
        cpu_halt();
}

void panic(const char *fmt, ...)
{
    irq_disable();
    console_break_lock();
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    kprintf("\nPANIC: %s\n", msg);
    backtrace((uint64_t)__builtin_frame_address(0));
    machine_stop(PANIC_EXIT_STATUS);
}

static void print_page_fault(const struct trap_frame *tf)
{
    uint64_t e = tf->error;
    kprintf("  fault address %016lx (%s, %s, %s mode%s)\n", read_cr2(),
            e & 2 ? "write" : (e & 16 ? "instruction fetch" : "read"),
            e & 1 ? "protection violation" : "page not present",
            e & 4 ? "user" : "kernel", e & 8 ? ", reserved bit set" : "");
}

void panic_trap(struct trap_frame *tf)
{
    irq_disable();
    console_break_lock();
    uint64_t off;
    const char *fn = ksym_lookup(tf->rip, &off);
    kprintf("\nPANIC: exception %lu (%s), error code %#lx, in %s\n",
            tf->vector, trap_vector_name(tf->vector), tf->error, fn ? fn : "an unknown function");
    print_addr("  rip ", tf->rip);
    if (tf->vector == VEC_PAGE_FAULT)
        print_page_fault(tf);
    kprintf("  rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", tf->rax, tf->rbx, tf->rcx, tf->rdx);
    kprintf("  rsi %016lx rdi %016lx rbp %016lx rsp %016lx\n", tf->rsi, tf->rdi, tf->rbp, tf->rsp);
    kprintf("  r8  %016lx r9  %016lx r10 %016lx r11 %016lx\n", tf->r8, tf->r9, tf->r10, tf->r11);
    kprintf("  r12 %016lx r13 %016lx r14 %016lx r15 %016lx\n", tf->r12, tf->r13, tf->r14, tf->r15);
    kprintf("  cs %04lx ss %04lx rflags %08lx cr3 %016lx\n", tf->cs, tf->ss, tf->rflags, read_cr3());
    backtrace(tf->rbp);
    machine_stop(PANIC_EXIT_STATUS);
}
