/*
 * console.c: kprintf over the serial line.
 *
 * Cores print whole lines: a small spinlock serialises them so the boot
 * log stays readable when every core talks at once. It is the one piece of
 * state the CPU drivers share, and only for debugging output.
 */
#include <console.h>
#include <fmt.h>
#include <arch/serial.h>
#include <stdarg.h>

static volatile int console_lock;

static void console_out(char c, void *arg)
{
    serial_putc(c);
}

int kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    while (__atomic_exchange_n(&console_lock, 1, __ATOMIC_ACQUIRE))
        __asm__ volatile("pause");
    int n = fmt_vformat(console_out, 0, fmt, ap);
    __atomic_store_n(&console_lock, 0, __ATOMIC_RELEASE);
    va_end(ap);
    return n;
}

/* A panic may come while this core holds the lock; take it over. */
void console_break_lock(void)
{
    __atomic_store_n(&console_lock, 0, __ATOMIC_RELEASE);
}

void kprint_err(const char *what, errval_t err)
{
    kprintf("%s: ", what);
    for (int i = 0; i < ERR_STACK_DEPTH && err; i++, err = err_pop(err))
        kprintf("%s%s (%s)", i ? " <- " : "", err_name(err_no(err)), err_msg(err_no(err)));
    kprintf("\n");
}
