/*
 * debug.c: debug_printf, debug_err and debug_panic (libos/debug.h).
 *
 * Output is formatted by the kernel's fmt engine into a buffer on the
 * caller's stack and handed to SYS_PRINT whenever DEBUG_PRINT_CHUNK bytes
 * are ready, and once at the end. A print never blocks on a lock, so it is
 * safe from any thread and from the dispatcher while it is disabled; if
 * SYS_PRINT fails there is nowhere to report it, and the text is dropped.
 */
#include <libos/debug.h>
#include <libos/libos.h>
#include <libos/syscall.h>
#include <fmt.h>
#include <stdarg.h>

struct debug_buf {
    char text[DEBUG_PRINT_CHUNK];
    size_t len;
};

static void debug_flush(struct debug_buf *b)
{
    if (b->len)
        (void)sys_print(b->text, b->len);   /* nowhere to report a failure */
    b->len = 0;
}

static void debug_putc(char c, void *arg)
{
    struct debug_buf *b = arg;
    b->text[b->len++] = c;
    if (b->len == sizeof b->text)
        debug_flush(b);
}

static int debug_vprintf(const char *fmt, va_list ap)
{
    struct debug_buf b = { .len = 0 };
    int n = fmt_vformat(debug_putc, &b, fmt, ap);
    debug_flush(&b);
    return n;
}

int debug_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = debug_vprintf(fmt, ap);
    va_end(ap);
    return n;
}

/* Appends to `b` without flushing the tail: builds one line from pieces. */
static void debug_bprintf(struct debug_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void debug_bprintf(struct debug_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fmt_vformat(debug_putc, b, fmt, ap);
    va_end(ap);
}

void debug_err(const char *what, errval_t err)
{
    struct debug_buf b = { .len = 0 };
    debug_bprintf(&b, "%s: ", what);
    if (err_is_ok(err))
        debug_bprintf(&b, "%s", err_name(ERR_OK));
    for (int i = 0; i < ERR_STACK_DEPTH && err; i++, err = err_pop(err))
        debug_bprintf(&b, "%s%s (%s)", i ? " <- " : "", err_name(err_no(err)),
                      err_msg(err_no(err)));
    debug_bprintf(&b, "\n");
    debug_flush(&b);
}

_Noreturn void debug_panic(const char *fmt, ...)
{
    debug_printf("PANIC (domain %u, core %u): ", libos_domain_id(), libos_core_id());
    va_list ap;
    va_start(ap, fmt);
    debug_vprintf(fmt, ap);
    va_end(ap);
    debug_printf("\n");
    libos_exit(DEBUG_PANIC_STATUS);
}
