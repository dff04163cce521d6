/*
 * crash.c: deliberate faults, asked for on the command line
 * (crash=pagefault, crash=divide), so the tests can check that a kernel
 * exception ends in a readable panic that names the faulting function,
 * not a reboot loop. noinline keeps each function in the backtrace.
 */
#include <crash.h>
#include <boot/cmdline.h>
#include <console.h>
#include <string.h>
#include <stdint.h>

__attribute__((noinline)) void crash_page_fault(void)
{
    volatile uintptr_t null = 0;    /* volatile: the compiler cannot see it is NULL */
    *(volatile int *)null = 42;     /* the low half is unmapped: #PF */
}

__attribute__((noinline)) void crash_divide_error(void)
{
    /* An explicit div: GCC rewrites 1/x as x==1 and would never fault. */
    volatile uint32_t zero = 0;
    uint32_t divisor = zero, quotient, remainder;
    __asm__ volatile("divl %4" : "=a"(quotient), "=d"(remainder)
                     : "a"(1u), "d"(0u), "r"(divisor));          /* #DE */
    (void)quotient;
    (void)remainder;
}

static const struct { const char *name; void (*fn)(void); } crashes[] = {
    { "pagefault", crash_page_fault },
    { "divide", crash_divide_error },
};

void crash_if_asked(void)
{
    char what[32];
    if (!cmdline_value("crash", what, sizeof(what)))
        return;
    for (unsigned i = 0; i < sizeof(crashes) / sizeof(crashes[0]); i++) {
        if (strcmp(what, crashes[i].name) == 0) {
            kprintf("crash: triggering a deliberate %s as asked\n", what);
            crashes[i].fn();
        }
    }
    kprintf("crash: unknown crash=%s ignored (pagefault, divide)\n", what);
}
