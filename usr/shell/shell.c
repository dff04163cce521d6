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
 *   vsas                         the VSAs on the disk (the VSIC service lists them)
 * At start it has the VSIC service (usr/vsicd) started on core 3, holding
 * the NVMe controller. `spawn P ... vsa=NAME[:r] rate=IOPS:KBPS` has the
 * monitor's spawn give P a VSA capability for NAME (read-only with :r:
 * the vsa= words go first in the monitor's line, which takes them out),
 * tells the service's monitor to limit P's I/O, and gives P the argument
 * vsicd=ID (first, so a newlib program has it in its environment and its
 * own arguments are left as typed). `fs=NAME` (mount VSA NAME on /data:
 * lib/vsafs) gives a read-write VSA capability for NAME the same way and
 * is passed on.
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
static struct textmsg_rx rx;      /* the last reply, whole */

static errval_t ask(const char *cmd, bool quiet)
{
    errval_t err = lmp_send_text(MONITOR, MONITOR_MSG_CMD_CHUNK, cmd);
    if (err_is_fail(err))
        return err;
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

/* Where `needle` first occurs in `hay`, or NULL (minic has no strstr). */
static const char *find(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncmp(hay, needle, n) == 0)
            return hay;
    return NULL;
}

static uint64_t strtoul_hex(const char *p)
{
    uint64_t v = 0;
    for (;; p++) {
        unsigned d = *p >= '0' && *p <= '9' ? (unsigned)(*p - '0')
                   : (*p | 0x20) >= 'a' && (*p | 0x20) <= 'f' ? (unsigned)((*p | 0x20) - 'a' + 10) : 16;
        if (d == 16)
            return v;
        v = v * 16 + d;
    }
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

/* Storage: the VSIC service's core and domain (start_vsicd), and what a
 * `spawn ... vsa=NAME[:r] rate=IOPS:KBPS` asks for the new domain. */
static uint32_t vsicd_core, vsicd_domain;
#define SPAWN_VSAS 8             /* more than the kernel gives (TASKCN_VSAS): the monitor refuses them by name */
static struct { char name[16]; bool ro; } spawn_vsa[SPAWN_VSAS];
static unsigned spawn_nvsa;
static char spawn_rate[32];

/* Take vsa= and rate= out of a spawn's arguments; true if it was one.
 * fs=NAME grants NAME read-write too, and stays (the program mounts it). */
static bool storage_arg(const char *a)
{
    if (strncmp(a, "fs=", 3) == 0 && a[3] && spawn_nvsa < SPAWN_VSAS) {
        fmt_snprintf(spawn_vsa[spawn_nvsa].name, sizeof(spawn_vsa[0].name), "%s", a + 3);
        spawn_vsa[spawn_nvsa++].ro = false;
        return false;
    }
    if (strncmp(a, "vsa=", 4) == 0 && spawn_nvsa < SPAWN_VSAS) {
        const char *n = a + 4;
        size_t len = strlen(n);
        bool ro = len > 2 && strcmp(n + len - 2, ":r") == 0;
        fmt_snprintf(spawn_vsa[spawn_nvsa].name, sizeof(spawn_vsa[0].name), "%.*s",
                     (int)(ro ? len - 2 : len), n);
        spawn_vsa[spawn_nvsa++].ro = ro;
        return true;
    }
    if (strncmp(a, "rate=", 5) == 0) {
        fmt_snprintf(spawn_rate, sizeof(spawn_rate), "%s", a + 5);
        for (char *c = spawn_rate; *c; c++)
            if (*c == ':')
                *c = ' ';
        return true;
    }
    return false;
}

/* After a spawn with rate=: the VSIC service's monitor is told. (Its VSA
 * capabilities came with the spawn itself.) */
static void storage_rate(void)
{
    const char *p = find(rx.buf, "as domain 0x");
    if (!p || !spawn_rate[0])
        return;
    char dom[20], cmd[96];
    fmt_snprintf(dom, sizeof(dom), "%#lx", strtoul_hex(p + 12));
    fmt_snprintf(cmd, sizeof(cmd), "@%u vsarate %s %s", vsicd_core, dom, spawn_rate);
    ask_monitor(cmd);
}

/* Shell syntax -> monitor syntax. */
static void translate(char *line, char *out, size_t size)
{
    spawn_nvsa = 0;
    spawn_rate[0] = '\0';
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
        size_t first = pos;                 /* where vsicd=ID goes */
        for (int i = 2; i < argc; i++)
            if (i != skip && i != skip + 1 && !storage_arg(argv[i]))
                pos += (size_t)fmt_snprintf(out + pos, size - pos, " %s", argv[i]);
        if (spawn_nvsa) {
            char id[24 + SPAWN_VSAS * 24];
            size_t n = (size_t)fmt_snprintf(id, sizeof(id), " vsicd=%#x", vsicd_domain);
            for (unsigned i = 0; i < spawn_nvsa; i++)
                n += (size_t)fmt_snprintf(id + n, sizeof(id) - n, " vsa=%s%s", spawn_vsa[i].name,
                                          spawn_vsa[i].ro ? ":r" : "");
            if (pos + n < size) {
                memmove(out + first + n, out + first, pos - first + 1);
                memcpy(out + first, id, n);
            }
        }
        return;
    }
    if (strcmp(argv[0], "vsas") == 0 && argc == 1) {
        fmt_snprintf(out, size, "@%u vsas", vsicd_core);
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
    const char *p = err_is_ok(err) ? find(rx.buf, "(0x") : NULL;
    if (p) {
        vsicd_core = n > VSICD_CORE ? VSICD_CORE : n - 1;
        vsicd_domain = (uint32_t)strtoul_hex(p + 3);
    }
    if (err_is_fail(err) || !p)
        debug_printf("shell: no VSIC service: %s\n", err_name(err_no(err)));
    else
        debug_printf("shell: started the VSIC service: vsicd %#x on core %u\n", vsicd_domain,
                     vsicd_core);
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
        if (err_is_ok(err))
            storage_rate();
        const char *holds = err_is_ok(err) ? find(rx.buf, ") holds the NVMe controller") : NULL;
        if (holds && find(rx.buf, "(0x")) {     /* a VSIC service started by hand */
            vsicd_domain = (uint32_t)strtoul_hex(find(rx.buf, "(0x") + 3);
            vsicd_core = vsicd_domain >> 16;
        }
        if (err_is_fail(err))
            debug_printf("error: %s (%s)\n", err_name(err_no(err)), err_msg(err_no(err)));
    }
}
