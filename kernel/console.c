/*
 * console.c: kprintf over the serial line, mirrored on the framebuffer
 * console (kernel/console) once that is up.
 *
 * Cores print whole lines: a small spinlock serialises them so the boot
 * log stays readable when every core talks at once. It is the one piece of
 * state the CPU drivers share, and only for debugging output.
 *
 * The framebuffer can be drawn on only after paging is up, so what is
 * printed before is kept (the last EARLY_BYTES) and drawn when the
 * framebuffer console attaches: the screen shows the boot from its first
 * line, as the serial port does.
 */
#include <console.h>
#include <console/fbcon.h>
#include <fmt.h>
#include <arch/serial.h>
#include <stdarg.h>

#define EARLY_BYTES 8192

static volatile int console_lock;
static struct fbcon *fb;
static char early[EARLY_BYTES];
static size_t early_len;        /* bytes ever written to `early` */

static bool drawing;             /* inside fbcon_putc (see console_break_lock) */

static void console_out(char c, void *arg)
{
    serial_putc(c);
    if (fb) {
        drawing = true;
        fbcon_putc(fb, c);
        drawing = false;
        /* Write-combined pixels may wait in the core's WC buffers; a
         * finished line is pushed out (a halt or panic may come next). */
        if (c == '\n')
            __asm__ volatile("sfence" ::: "memory");
    } else {
        early[early_len++ % EARLY_BYTES] = c;
    }
}

static void lock(void)
{
    while (__atomic_exchange_n(&console_lock, 1, __ATOMIC_ACQUIRE))
        __asm__ volatile("pause");
}

static void unlock(void)
{
    __atomic_store_n(&console_lock, 0, __ATOMIC_RELEASE);
}

int kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lock();
    int n = fmt_vformat(console_out, 0, fmt, ap);
    unlock();
    va_end(ap);
    return n;
}

void console_attach_fb(struct fbcon *c)
{
    lock();
    size_t start = early_len > EARLY_BYTES ? early_len - EARLY_BYTES : 0;
    size_t i = start;
    if (start > 0)              /* the oldest line kept is cut: start at the next */
        while (i < early_len && early[i++ % EARLY_BYTES] != '\n')
            ;
    for (; i < early_len; i++)
        fbcon_putc(c, early[i % EARLY_BYTES]);
    fb = c;
    unlock();
}

/* A panic may come while this core holds the lock; take it over. A
 * panic that came while drawing (a fault in the framebuffer mapping, say)
 * would fault again on the way out: it is told on the serial port only. */
void console_break_lock(void)
{
    if (drawing)
        fb = NULL;
    unlock();
}

void kprint_err(const char *what, errval_t err)
{
    kprintf("%s: ", what);
    for (int i = 0; i < ERR_STACK_DEPTH && err; i++, err = err_pop(err))
        kprintf("%s%s (%s)", i ? " <- " : "", err_name(err_no(err)), err_msg(err_no(err)));
    kprintf("\n");
}
