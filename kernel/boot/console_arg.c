/*
 * console_arg.c: which serial port `console=` names. A server's console
 * is often not COM1: IPMI serial-over-LAN is usually COM2. Accepted, as
 * Linux spells them:
 *   console=ttyS0..ttyS3[,BAUD]      the PC's COM1-COM4 (0x3F8, 0x2F8,
 *                                    0x3E8, 0x2E8: the I/O addresses the
 *                                    PC standard and every server BIOS
 *                                    give them)
 *   console=uart,io,0xADDR[,BAUD]    a 16550 at another I/O port
 * BAUD divides 115200 exactly (115200, 57600, 38400, 19200, 9600).
 * Pure: host-tested in tests/unit/boot.
 */
#include <boot/cmdline.h>
#include <string.h>

static const uint16_t com_ports[] = { 0x3f8, 0x2f8, 0x3e8, 0x2e8 };

static bool parse_uint(const char *s, unsigned base, uint32_t *out, const char **end)
{
    uint64_t v = 0;
    const char *p = s;
    for (;; p++) {
        unsigned d;
        if (*p >= '0' && *p <= '9') d = (unsigned)(*p - '0');
        else if (base == 16 && *p >= 'a' && *p <= 'f') d = (unsigned)(*p - 'a' + 10);
        else if (base == 16 && *p >= 'A' && *p <= 'F') d = (unsigned)(*p - 'A' + 10);
        else break;
        v = v * base + d;
        if (v > 0xffffffffu)
            return false;
    }
    if (p == s)
        return false;
    *out = (uint32_t)v;
    *end = p;
    return true;
}

bool console_arg_parse(const char *val, struct console_port *out)
{
    uint32_t n;
    const char *p;
    struct console_port c = { .baud = 115200 };
    if (strncmp(val, "ttyS", 4) == 0) {
        if (!parse_uint(val + 4, 10, &n, &p) || n >= sizeof(com_ports) / sizeof(com_ports[0]))
            return false;
        c.port = com_ports[n];
    } else if (strncmp(val, "uart,io,0x", 10) == 0) {
        if (!parse_uint(val + 10, 16, &n, &p) || n == 0 || n > 0xfff8)
            return false;
        c.port = (uint16_t)n;
    } else {
        return false;
    }
    if (*p == ',') {
        if (!parse_uint(p + 1, 10, &n, &p) || n == 0 || 115200 % n != 0)
            return false;
        c.baud = n;
    }
    if (*p != '\0')
        return false;
    *out = c;
    return true;
}
