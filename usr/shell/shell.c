/*
 * shell.c: the serial console shell on core 0.
 *
 * Reads a line from the console, turns it into a monitor command line and
 * sends it to this core's monitor (LMP, text chunks), which runs it here
 * or routes it to the monitor of another core; prints the reply.
 *
 *   spawn NAME [core N] [ARGS]   start a program on core N (default 0)
 *   ps                           domains on every core
 *   kill ID                      stop a domain (its core is in its id)
 *   ping ID                      check that a domain still answers
 *   caps ID                      capabilities a domain holds
 *   cores                        the cores and their monitors
 *   nics                         the SR-IOV NIC's PF and VFs, who holds each
 *   pair NAME A B [ARGS]         NAME on cores A and B with a shared channel
 *   help
 */
#include <libos/debug.h>
#include <libos/libos.h>
#include <libos/lmp.h>
#include <libos/syscall.h>
#include <libos/textmsg.h>
#include <libos/words.h>
#include <kpi/cspace.h>
#include <kpi/monitor.h>
#include <fmt.h>
#include <string.h>

#define LINE_MAX 256
#define MONITOR CAP_TASK(TASKCN_SLOT_MONITOREP)
#define PROMPT "arrakis> "

static int read_char(void)
{
    for (;;) {
        struct sysret r = sys_getchar();
        if (err_is_ok(r.err))
            return (int)r.value;
        sys_yield(SYS_YIELD_BLOCK);         /* poll again on the next tick */
    }
}

static void read_line(char *buf, size_t size)
{
    size_t n = 0;
    for (;;) {
        int c = read_char();
        if (c == '\r' || c == '\n') {
            debug_printf("\n");
            buf[n] = '\0';
            return;
        }
        if ((c == 0x7f || c == '\b') && n > 0) {
            n--;
            debug_printf("\b \b");
        } else if (c >= ' ' && c < 0x7f && n + 1 < size) {
            buf[n++] = (char)c;
            debug_printf("%c", c);
        }
    }
}

/* Send a command line to the monitor and print what it answers (unless
 * quiet). */
static errval_t ask(const char *cmd, bool quiet)
{
    errval_t err = lmp_send_text(MONITOR, MONITOR_MSG_CMD_CHUNK, cmd);
    if (err_is_fail(err))
        return err;
    static struct textmsg_rx rx;
    textmsg_reset(&rx);
    for (;;) {
        struct lmp_msg m;
        err = lmp_recv(&m);
        if (err_is_fail(err))
            return err;
        if (m.words[0] == MONITOR_MSG_REPLY_CHUNK && textmsg_unpack(&rx, &m.words[1], 2) &&
            !quiet)
            debug_printf("%s", rx.buf);
        else if (m.words[0] == MONITOR_MSG_REPLY_END)
            return (errval_t)m.words[1];
    }
}

static errval_t ask_monitor(const char *cmd)
{
    return ask(cmd, false);
}

static uint32_t core_of(const char *id)
{
    uint64_t v = 0;
    const char *p = id;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
        p += 2;
    for (; *p; p++)
        v = v * 16 + (uint64_t)(*p <= '9' ? *p - '0' : (*p | 0x20) - 'a' + 10);
    return (uint32_t)(v >> 16);
}

/* Shell syntax -> monitor syntax. */
static void translate(char *line, char *out, size_t size)
{
    char *argv[16];
    int argc = words_split(line, argv, 16);
    out[0] = '\0';
    if (argc == 0)
        return;
    size_t pos = 0;
    if (strcmp(argv[0], "spawn") == 0 && argc >= 2) {
        const char *core = "0";
        int skip = -1;
        for (int i = 2; i + 1 < argc; i++)
            if (strcmp(argv[i], "core") == 0) {
                core = argv[i + 1];
                skip = i;
                break;
            }
        pos += (size_t)fmt_snprintf(out, size, "@%s spawn %s", core, argv[1]);
        for (int i = 2; i < argc; i++)
            if (i != skip && i != skip + 1)
                pos += (size_t)fmt_snprintf(out + pos, size - pos, " %s", argv[i]);
        return;
    }
    if ((strcmp(argv[0], "kill") == 0 || strcmp(argv[0], "ping") == 0 ||
         strcmp(argv[0], "caps") == 0 || strcmp(argv[0], "vnic") == 0) && argc == 2) {
        fmt_snprintf(out, size, "@%u %s %s", core_of(argv[1]), argv[0], argv[1]);
        return;
    }
    for (int i = 0; i < argc; i++)
        pos += (size_t)fmt_snprintf(out + pos, size - pos, "%s%s", i ? " " : "", argv[i]);
}

/* The VSIC service on a core of its own (the last of the first four),
 * holding the NVMe controller (usr/vsicd). That core's monitor may not be
 * up yet: asked again for a while. */
#define VSICD_CORE 3u
#define VSICD_START_TRIES 200
static void start_vsicd(void)
{
    uint32_t n = (uint32_t)libos_ncores();
    char cmd[32];
    fmt_snprintf(cmd, sizeof(cmd), "@%u nvme vsicd", n > VSICD_CORE ? VSICD_CORE : n - 1);
    errval_t err = MONITOR_ERR_NO_CORE;
    for (unsigned i = 0; i < VSICD_START_TRIES && err_no(err) == MONITOR_ERR_NO_CORE; i++) {
        if (i)
            sys_yield(SYS_YIELD_BLOCK);     /* until the next tick */
        err = ask(cmd, true);
    }
    if (err_is_fail(err))
        debug_printf("shell: no VSIC service: %s\n", err_name(err_no(err)));
    else
        debug_printf("shell: started the VSIC service: %s\n", cmd + 1);
}

int main(int argc, char *argv[])
{
    start_vsicd();
    debug_printf("shell: type 'help' for commands\n");
    for (;;) {
        static char line[LINE_MAX], cmd[LINE_MAX + 32];
        debug_printf(PROMPT);
        read_line(line, sizeof(line));
        translate(line, cmd, sizeof(cmd));
        if (!cmd[0])
            continue;
        errval_t err = ask_monitor(cmd);
        if (err_is_fail(err))
            debug_printf("error: %s (%s)\n", err_name(err_no(err)), err_msg(err_no(err)));
    }
}
