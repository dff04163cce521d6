/*
 * fmt.c: the printf engine of the kernel and user space.
 *
 * One pass over the format string; each conversion is parsed into a spec
 * (flags, width, precision, length) and rendered by fmt_integer() or
 * fmt_string(). Output goes through a callback so the same code serves the
 * serial console and snprintf. Pure logic: tested on the host.
 */
#include <fmt.h>
#include <stdint.h>
#include <stdbool.h>

struct fmt_spec {
    bool left, zero, plus, space, alt;
    int width;
    int precision;          /* -1: none given */
    char length;            /* 'H' hh, 'h', 0, 'l', 'L' ll, 'z', 't', 'j' */
};

struct fmt_sink {
    fmt_out_fn out;
    void *arg;
    int count;
};

static void emit(struct fmt_sink *s, char c)
{
    s->out(c, s->arg);
    s->count++;
}

static void pad(struct fmt_sink *s, char c, int n)
{
    while (n-- > 0)
        emit(s, c);
}

static void fmt_string(struct fmt_sink *s, const struct fmt_spec *sp, const char *str)
{
    if (!str)
        str = "(null)";
    int len = 0;
    while (str[len] && (sp->precision < 0 || len < sp->precision))
        len++;
    if (!sp->left)
        pad(s, ' ', sp->width - len);
    for (int i = 0; i < len; i++)
        emit(s, str[i]);
    if (sp->left)
        pad(s, ' ', sp->width - len);
}

static void fmt_integer(struct fmt_sink *s, const struct fmt_spec *sp, uint64_t mag,
                        bool negative, unsigned base, bool upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buf[24];
    int n = 0;
    if (mag == 0 && sp->precision != 0)
        buf[n++] = '0';
    while (mag) {
        buf[n++] = digits[mag % base];
        mag /= base;
    }
    char sign = negative ? '-' : sp->plus ? '+' : sp->space ? ' ' : 0;
    const char *prefix = "";
    if (sp->alt && base == 16 && n && !(n == 1 && buf[0] == '0'))
        prefix = upper ? "0X" : "0x";
    int zeros = sp->precision > n ? sp->precision - n : 0;
    /* '#' octal: the first digit must be 0 (just "0" for %#.0o of 0). */
    if (sp->alt && base == 8 && zeros == 0 && (n == 0 || buf[n - 1] != '0'))
        prefix = "0";
    int plen = (sign ? 1 : 0) + (prefix[0] ? (prefix[1] ? 2 : 1) : 0);
    if (sp->zero && !sp->left && sp->precision < 0 && sp->width > plen + n)
        zeros = sp->width - plen - n;
    int total = plen + zeros + n;
    if (!sp->left)
        pad(s, ' ', sp->width - total);
    if (sign)
        emit(s, sign);
    for (const char *p = prefix; *p; p++)
        emit(s, *p);
    pad(s, '0', zeros);
    while (n)
        emit(s, buf[--n]);
    if (sp->left)
        pad(s, ' ', sp->width - total);
}

static int parse_number(const char **p)
{
    int v = 0;
    while (**p >= '0' && **p <= '9')
        v = v * 10 + (*(*p)++ - '0');
    return v;
}

static uint64_t take_unsigned(va_list *ap, char length)
{
    switch (length) {
    case 'H': return (unsigned char)va_arg(*ap, unsigned int);
    case 'h': return (unsigned short)va_arg(*ap, unsigned int);
    case 'l': return va_arg(*ap, unsigned long);
    case 'L': return va_arg(*ap, unsigned long long);
    case 'z': return va_arg(*ap, size_t);
    case 't': return (uint64_t)va_arg(*ap, ptrdiff_t);
    case 'j': return va_arg(*ap, uintmax_t);
    default:  return va_arg(*ap, unsigned int);
    }
}

static int64_t take_signed(va_list *ap, char length)
{
    switch (length) {
    case 'H': return (signed char)va_arg(*ap, int);
    case 'h': return (short)va_arg(*ap, int);
    case 'l': return va_arg(*ap, long);
    case 'L': return va_arg(*ap, long long);
    case 'z': return (int64_t)va_arg(*ap, size_t);
    case 't': return va_arg(*ap, ptrdiff_t);
    case 'j': return va_arg(*ap, intmax_t);
    default:  return va_arg(*ap, int);
    }
}

int fmt_vformat(fmt_out_fn out, void *arg, const char *fmt, va_list ap_in)
{
    struct fmt_sink s = { out, arg, 0 };
    va_list ap;
    va_copy(ap, ap_in);
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            emit(&s, *p);
            continue;
        }
        struct fmt_spec sp = { .precision = -1 };
        for (;; p++) {
            char f = p[1];
            if (f == '-') sp.left = true;
            else if (f == '0') sp.zero = true;
            else if (f == '+') sp.plus = true;
            else if (f == ' ') sp.space = true;
            else if (f == '#') sp.alt = true;
            else break;
        }
        p++;
        if (*p == '*') {
            sp.width = va_arg(ap, int);
            if (sp.width < 0) { sp.left = true; sp.width = -sp.width; }
            p++;
        } else {
            sp.width = parse_number(&p);
        }
        if (*p == '.') {
            p++;
            if (*p == '*') { sp.precision = va_arg(ap, int); p++; }
            else sp.precision = parse_number(&p);
            if (sp.precision < 0) sp.precision = -1;
        }
        if (*p == 'h') { sp.length = 'h'; if (p[1] == 'h') { sp.length = 'H'; p++; } p++; }
        else if (*p == 'l') { sp.length = 'l'; if (p[1] == 'l') { sp.length = 'L'; p++; } p++; }
        else if (*p == 'z' || *p == 't' || *p == 'j') { sp.length = *p; p++; }

        switch (*p) {
        case 'd': case 'i': {
            int64_t v = take_signed(&ap, sp.length);
            uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
            fmt_integer(&s, &sp, mag, v < 0, 10, false);
            break;
        }
        case 'u': fmt_integer(&s, &sp, take_unsigned(&ap, sp.length), false, 10, false); break;
        case 'x': fmt_integer(&s, &sp, take_unsigned(&ap, sp.length), false, 16, false); break;
        case 'X': fmt_integer(&s, &sp, take_unsigned(&ap, sp.length), false, 16, true); break;
        case 'o': fmt_integer(&s, &sp, take_unsigned(&ap, sp.length), false, 8, false); break;
        case 'p':
            sp.alt = true;
            fmt_integer(&s, &sp, (uint64_t)(uintptr_t)va_arg(ap, void *), false, 16, false);
            break;
        case 'c': {
            char c = (char)va_arg(ap, int);
            if (!sp.left) pad(&s, ' ', sp.width - 1);
            emit(&s, c);
            if (sp.left) pad(&s, ' ', sp.width - 1);
            break;
        }
        case 's': fmt_string(&s, &sp, va_arg(ap, const char *)); break;
        case '%': emit(&s, '%'); break;
        case '\0': p--; break;              /* lone '%' at the end */
        default:                            /* unknown: print it as written */
            emit(&s, '%');
            emit(&s, *p);
            break;
        }
    }
    va_end(ap);
    return s.count;
}

struct fmt_buf {
    char *buf;
    size_t size, pos;
};

static void buf_out(char c, void *arg)
{
    struct fmt_buf *b = arg;
    if (b->pos + 1 < b->size)
        b->buf[b->pos] = c;
    b->pos++;
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct fmt_buf b = { buf, size, 0 };
    int n = fmt_vformat(buf_out, &b, fmt, ap);
    if (size > 0)
        buf[b.pos < size ? b.pos : size - 1] = '\0';
    return n;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
