/*
 * commands.c: what a monitor can be asked, as text lines.
 *
 *   [@N] spawn NAME [ARGS]       start NAME on this core (or core N); a
 *                                mem=SIZE among the leading NAME=value words
 *                                sets its RAM (e.g. mem=256M), each
 *                                vsa=NAME[:r] there has the kernel give it a
 *                                VSA capability (read-write, or read-only
 *                                with :r; at most 4); both are taken out
 *   [@N] spawnch TAG NAME [ARGS] the same, giving it the channel Frame lent
 *                                to this monitor under TAG (lend.c)
 *   [@N] ps                      domains (on core 0 without @: all cores)
 *   [@N] kill ID                 stop a domain
 *   [@N] ping ID                 ask a domain to answer (MONITOR_MSG_PING)
 *   [@N] caps ID                 the capabilities a domain holds
 *   cores                        cores and their monitors (core 0)
 *   nics                         the NIC's PF and VFs (routed to its core)
 *   filters                      the NIC's Filters (routed to its core)
 *   pair NAME A B [ARGS]         NAME on cores A and B sharing a new UMP
 *                                channel frame; they get "a"/"b" first (core 0)
 *   [@N] nvme NAME [ARGS]        start NAME here holding the NVMe controller
 *                                (the VSIC service; one holder at a time)
 *   [@N] vsarate ID IOPS KBPS    tell that service: limit domain ID's I/O
 *   [@N] vsas                    that service prints the VSAs
 * A table maps names to handlers; each checks its arguments first. Only
 * the admin endpoint (the shell) and monitor 0 send these lines (see the
 * table in main.c); a client's typed requests are served here too.
 */
#include "monitor.h"
#include <libos/debug.h>
#include <libos/libos.h>
#include <libos/lmp.h>
#include <libos/syscall.h>
#include <libos/words.h>
#include <kpi/monitor.h>
#include <kpi/syscall.h>
#include <fmt.h>
#include <stdarg.h>
#include <string.h>

#define MAX_ARGS 16
#define PING_TIMEOUT_S 5
#define CHANNEL_BYTES (16 * 1024)
#define CHANNEL_OBJBITS 14
#define KNOWN_MAX 64
#define CHANNELS 48                 /* CAP_SLOT(0..47): channel Frames being handed out */
#define PAIR_COPY_SLOT 48           /* CAP_SLOT(48): the copy a local side gets */

static struct { uint32_t id; char name[SPAWN_NAME_MAX]; } known[KNOWN_MAX];
static unsigned known_next;
static uint64_t pong_token;
static uint32_t pong_from;

void reply_printf(struct reply *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vsnprintf(r->text + r->len, sizeof(r->text) - r->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        r->len += (size_t)n < sizeof(r->text) - r->len ? (size_t)n : sizeof(r->text) - r->len - 1;
}

const char *commands_domain_name(uint32_t id)
{
    for (unsigned i = 0; i < KNOWN_MAX; i++)
        if (known[i].id == id)
            return known[i].name;
    /* Not started by us (init, say): the CPU driver still has its name. */
    static struct domain_info info[32];
    struct sysret sr = sys_invoke(MON_KERNEL, KERNEL_CMD_DOMAINS, (uint64_t)(uintptr_t)info, 32, 0, 0);
    for (uint64_t i = 0; err_is_ok(sr.err) && i < sr.value; i++)
        if (info[i].id == id)
            return info[i].name;
    return "?";
}

void commands_pong(uint64_t token, uint32_t from)
{
    pong_token = token;
    pong_from = from;
}

/* Join argv[from..] with spaces into buf. */
static void join(char *buf, size_t size, int argc, char **argv, int from)
{
    size_t pos = 0;
    buf[0] = '\0';
    for (int i = from; i < argc; i++)
        pos += (size_t)fmt_snprintf(buf + pos, pos < size ? size - pos : 0, "%s%s",
                                    i > from ? " " : "", argv[i]);
}

/* "256M" -> bytes (K, M, G, or none for bytes); false if it is not a
 * number or overflows 64 bits. The kernel checks the size itself. */
static bool mem_size(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (v > (UINT64_MAX - 9) / 10)
            return false;
        v = v * 10 + (uint64_t)(*p - '0');
    }
    unsigned shift = 0;
    switch (*p | 0x20) {
    case 'k': shift = 10; p++; break;
    case 'm': shift = 20; p++; break;
    case 'g': shift = 30; p++; break;
    default: break;
    }
    if (p == s || *p || (shift && v > UINT64_MAX >> shift))
        return false;
    *out = v << shift;
    return true;
}

static bool is_assignment(const char *w, size_t n)
{
    size_t i = 0;
    while (i < n && (w[i] == '_' || ((w[i] | 0x20) >= 'a' && (w[i] | 0x20) <= 'z') ||
                     (i > 0 && w[i] >= '0' && w[i] <= '9')))
        i++;
    return i > 0 && i < n && w[i] == '=';
}

/* Take the first mem=SIZE out of the leading NAME=value words of `args`
 * (as the environment words are taken out of argv: lib/newlib/env.c);
 * *mem stays 0 (the kernel's default) without one. */
static errval_t take_mem(char *args, uint64_t *mem)
{
    char *w = args;
    for (;;) {
        while (*w == ' ')
            w++;
        size_t n = 0;
        while (w[n] && w[n] != ' ')
            n++;
        if (!n || !is_assignment(w, n))
            return ERR_OK;
        if (n > 4 && strncmp(w, "mem=", 4) == 0) {
            char size[24];
            size_t len = n - 4 < sizeof(size) - 1 ? n - 4 : sizeof(size) - 1;
            memcpy(size, w + 4, len);
            size[len] = '\0';
            if (n - 4 >= sizeof(size) || !mem_size(size, mem) || *mem == 0)
                return SPAWN_ERR_MEM_SIZE;
            memmove(w, w + n, strlen(w + n) + 1);
            return ERR_OK;
        }
        w += n;
    }
}

/* Take every vsa=NAME[:r] out of the leading NAME=value words of `args`
 * into the spawn request's grants: the kernel mints a VSA capability of
 * each in the new domain (kpi/caps.h CAP_VSA). Only an admin's command
 * line gets here, so only the shell grants VSAs. */
static errval_t take_vsas(char *args, struct spawn_vsa *vsa)
{
    unsigned nvsa = 0;
    char *w = args;
    for (;;) {
        while (*w == ' ')
            w++;
        size_t n = 0;
        while (w[n] && w[n] != ' ')
            n++;
        if (!n || !is_assignment(w, n))
            return ERR_OK;
        if (n <= 4 || strncmp(w, "vsa=", 4) != 0) {
            w += n;
            continue;
        }
        size_t len = n - 4;
        bool ro = len > 2 && strncmp(w + n - 2, ":r", 2) == 0;
        if (ro)
            len -= 2;
        if (nvsa == TASKCN_VSAS || len == 0 || len > CAP_VSA_NAME_MAX)
            return SPAWN_ERR_VSA;       /* never cut short: a shorter name is another VSA */
        vsa[nvsa].name = 0;
        memcpy(&vsa[nvsa].name, w + 4, len);
        vsa[nvsa++].rights = CAP_RIGHT_READ | (ro ? 0 : CAP_RIGHT_WRITE);
        memmove(w, w + n, strlen(w + n) + 1);
    }
}

/* Spawn NAME here; with frame != 0, that Frame slot goes to it (moved). */
static errval_t spawn_here(const char *name, const char *args, capaddr_t frame, struct reply *r)
{
    static struct spawn_request req;
    memset(&req, 0, sizeof(req));
    strncpy(req.name, name, sizeof(req.name) - 1);
    strncpy(req.args, args, sizeof(req.args) - 1);
    errval_t err = take_mem(req.args, &req.mem_bytes);
    if (err_is_ok(err))
        err = take_vsas(req.args, req.vsa);
    if (err_is_fail(err)) {
        reply_printf(r, "spawn %s on core %u refused: %s (%s)\n", name, mon_core,
                     err_name(err_no(err)), err_msg(err_no(err)));
        return err;
    }
    req.flags = frame ? SPAWN_FLAG_FRAME : 0;
    req.frame = frame;
    struct sysret sr = sys_invoke(MON_KERNEL, KERNEL_CMD_SPAWN, (uint64_t)(uintptr_t)&req, 0, 0, 0);
    if (err_is_fail(sr.err)) {
        reply_printf(r, "spawn %s on core %u failed: %s (%s)\n", name, mon_core,
                     err_name(err_no(sr.err)), err_msg(err_no(sr.err)));
        return sr.err;
    }
    known[known_next % KNOWN_MAX].id = (uint32_t)sr.value;
    strncpy(known[known_next % KNOWN_MAX].name, name, SPAWN_NAME_MAX - 1);
    known_next++;
    if (req.mem_bytes)
        reply_printf(r, "spawned %s as domain %#lx on core %u with %lu MiB of RAM\n", name, sr.value,
                     mon_core, req.mem_bytes >> 20);
    else
        reply_printf(r, "spawned %s as domain %#lx on core %u\n", name, sr.value, mon_core);
    return ERR_OK;
}

static errval_t cmd_spawn(int argc, char **argv, struct reply *r)
{
    if (argc < 2)
        return MONITOR_ERR_BAD_COMMAND;
    char args[SPAWN_ARGS_MAX];
    join(args, sizeof(args), argc, argv, 2);
    return spawn_here(argv[1], args, 0, r);
}

static errval_t cmd_spawnch(int argc, char **argv, struct reply *r)
{
    uint64_t tag;
    if (argc < 3 || !words_u64(argv[1], &tag) || tag > UINT32_MAX)
        return MONITOR_ERR_BAD_COMMAND;
    char args[SPAWN_ARGS_MAX];
    join(args, sizeof(args), argc, argv, 3);
    errval_t err = spawn_here(argv[2], args, lend_stash_slot((uint32_t)tag), r);
    lend_stash_taken((uint32_t)tag, err_is_fail(err));  /* not taken: back to its owner */
    return err;
}

static const char *state_name(uint32_t s)
{
    switch (s) {
    case DOMAIN_RUNNABLE: return "running";
    case DOMAIN_EXITED: return "exited";
    case DOMAIN_KILLED: return "stopped";
    case DOMAIN_ENDING: return "ending";
    default: return "?";
    }
}

static errval_t ps_here(struct reply *r)
{
    static struct domain_info info[32];
    struct sysret sr = sys_invoke(MON_KERNEL, KERNEL_CMD_DOMAINS, (uint64_t)(uintptr_t)info, 32, 0, 0);
    if (err_is_fail(sr.err))
        return sr.err;
    for (uint64_t i = 0; i < sr.value; i++) {
        if (info[i].state != DOMAIN_RUNNABLE)
            continue;
        reply_printf(r, "  %#8x  core %u  %-12s %s\n", info[i].id, info[i].core, info[i].name,
                     state_name(info[i].state));
    }
    return ERR_OK;
}

static errval_t cmd_ps(int argc, char **argv, struct reply *r)
{
    if (argc != 1)
        return MONITOR_ERR_BAD_COMMAND;
    if (argv[0][0] == '@' || mon_core != 0)
        return ps_here(r);
    reply_printf(r, "  %8s  %-6s  %-12s %s\n", "domain", "core", "name", "state");
    errval_t err = ps_here(r);
    for (uint32_t c = 1; c < mon_ncores && err_is_ok(err); c++)
        err = channels_remote(c, "ps", r);
    return err;
}

static errval_t cmd_kill(int argc, char **argv, struct reply *r)
{
    uint64_t id;
    if (argc != 2 || !words_u64(argv[1], &id))
        return MONITOR_ERR_BAD_COMMAND;
    struct sysret sr = sys_invoke(MON_KERNEL, KERNEL_CMD_KILL, id, 0, 0, 0);
    if (err_is_ok(sr.err))
        reply_printf(r, "domain %#lx stopped\n", id);
    return sr.err;
}

static errval_t cmd_ping(int argc, char **argv, struct reply *r)
{
    uint64_t id;
    if (argc != 2 || !words_u64(argv[1], &id))
        return MONITOR_ERR_BAD_COMMAND;
    static uint64_t token = 1;
    uint64_t mine = token++;
    struct sysret sr = sys_invoke(MON_KERNEL, KERNEL_CMD_NOTIFY, id, MONITOR_MSG_PING, mine, 0);
    if (err_is_fail(sr.err))
        return sr.err;
    uint64_t deadline = rdtsc_now() + PING_TIMEOUT_S * libos_tsc_hz();
    while (pong_token != mine && rdtsc_now() < deadline) {
        struct lmp_msg m;
        if (err_is_ok(lmp_poll(&m)))
            monitor_handle_lmp(&m, true);
        else
            sys_yield(SYS_YIELD_SLICE);
    }
    if (pong_token != mine) {
        reply_printf(r, "domain %#lx did not answer within %d s\n", id, PING_TIMEOUT_S);
        return MONITOR_ERR_TIMEOUT;
    }
    reply_printf(r, "pong from domain %#x on core %u\n", pong_from, mon_core);
    return ERR_OK;
}

static errval_t cmd_caps(int argc, char **argv, struct reply *r)
{
    uint64_t id;
    if (argc != 2 || !words_u64(argv[1], &id))
        return MONITOR_ERR_BAD_COMMAND;
    static struct cap_info caps[64];
    struct sysret sr = sys_invoke(MON_KERNEL, KERNEL_CMD_CAPS, id, (uint64_t)(uintptr_t)caps, 64, 0);
    if (err_is_fail(sr.err))
        return sr.err;
    reply_printf(r, "domain %#lx on core %u holds %lu capabilities:\n", id, mon_core, sr.value);
    for (uint64_t i = 0; i < sr.value; i++) {
        const struct cap_info *c = &caps[i];
        reply_printf(r, "  L%u %3u.%-3u %-11s rights %c%c%c%c", c->level, CAP_CPTR_L1(c->cptr),
                     CAP_CPTR_L2(c->cptr), cap_type_name(c->id.type),
                     c->id.rights & CAP_RIGHT_READ ? 'r' : '-', c->id.rights & CAP_RIGHT_WRITE ? 'w' : '-',
                     c->id.rights & CAP_RIGHT_EXECUTE ? 'x' : '-', c->id.rights & CAP_RIGHT_GRANT ? 'g' : '-');
        if (c->id.bytes)
            reply_printf(r, " %#lx+%#lx", c->id.base, c->id.bytes);
        reply_printf(r, "\n");
    }
    return ERR_OK;
}

static errval_t cmd_nics(int argc, char **argv, struct reply *r)
{
    static struct nic_info nics[8];
    struct sysret sr = sys_invoke(MON_KERNEL, KERNEL_CMD_NICS, (uint64_t)(uintptr_t)nics, 8, 0, 0);
    if (err_no(sr.err) == IGB_ERR_NOT_OWNER && mon_core == 0)
        return channels_remote((uint32_t)sr.value, "nics", r);  /* the NIC's core */
    if (err_is_fail(sr.err)) {
        reply_printf(r, "no NIC to list: %s\n", err_msg(err_no(sr.err)));
        return sr.err;
    }
    reply_printf(r, "  %-5s %-8s %-10s %-18s %-5s %-5s %s\n", "nic", "pci", "device", "mac",
                 "pool", "link", "held by");
    for (uint64_t i = 0; i < sr.value; i++) {
        const struct nic_info *n = &nics[i];
        char name[8], holder[16];
        fmt_snprintf(name, sizeof(name), n->vf < 0 ? "PF" : "VF %d", n->vf);
        fmt_snprintf(holder, sizeof(holder), n->vf < 0 ? "(kernel)" : n->holder ? "%#x" : "free",
                     n->holder);
        reply_printf(r, "  %-5s %02x:%02x.%x  %04x:%04x  %02x:%02x:%02x:%02x:%02x:%02x  %-5u %-5s %s\n",
                     name, n->rid >> 8, (n->rid >> 3) & 31, n->rid & 7, n->vendor, n->device,
                     n->mac[0], n->mac[1], n->mac[2], n->mac[3], n->mac[4], n->mac[5], n->pool,
                     n->link_up ? "up" : "down", holder);
    }
    return ERR_OK;
}

static errval_t cmd_filters(int argc, char **argv, struct reply *r)
{
    (void)argc;
    (void)argv;
    static struct filter_info fs[48];
    struct sysret sr = sys_invoke(MON_KERNEL, KERNEL_CMD_FILTERS, (uint64_t)(uintptr_t)fs, 48, 0, 0);
    if (err_no(sr.err) == IGB_ERR_NOT_OWNER && mon_core == 0)
        return channels_remote((uint32_t)sr.value, "filters", r);   /* the NIC's core */
    if (err_is_fail(sr.err)) {
        reply_printf(r, "no filters to list: %s\n", err_msg(err_no(sr.err)));
        return sr.err;
    }
    reply_printf(r, "  %-6s %-5s %-9s %s\n", "filter", "vnic", "held by", "admits");
    for (uint64_t i = 0; i < sr.value; i++) {
        const struct filter_info *f = &fs[i];
        char tag[16];
        fmt_snprintf(tag, sizeof(tag), (f->flags & FILTER_VLAN) ? "vlan %u" : "untagged", f->vlan);
        reply_printf(r, "  %-6u VF %-2u %-#9x %s%s%s\n", f->id, f->vf, f->holder,
                     (f->flags & FILTER_MAC) ? "its mac " : "",
                     (f->flags & FILTER_BROADCAST) ? "broadcast " : "", tag);
    }
    if (sr.value == 0)
        reply_printf(r, "  (none: no VNIC receives anything)\n");
    return ERR_OK;
}

/* A free VF as a VNIC for domain `id` on this core (MONITOR_MSG_CAP, tag). */
static struct sysret vnic_for(uint64_t id, uint64_t tag)
{
    return sys_invoke(MON_KERNEL, KERNEL_CMD_VNIC_CREATE, id, tag, 0, 0);
}

/* vnic ID: give domain ID (on this core) a VF as a VNIC. */
static errval_t cmd_vnic(int argc, char **argv, struct reply *r)
{
    uint64_t id;
    if (argc != 2 || !words_u64(argv[1], &id) || id == 0)
        return MONITOR_ERR_BAD_COMMAND;
    struct sysret sr = vnic_for(id, 0x71c);
    if (err_is_fail(sr.err)) {
        reply_printf(r, "no VNIC for domain %#lx: %s\n", id, err_msg(err_no(sr.err)));
        return sr.err;
    }
    reply_printf(r, "domain %#lx holds VF %lu as a VNIC\n", id, sr.value);
    return ERR_OK;
}

/* nvme NAME [ARGS]: start NAME on this core and give it the NVMe
 * controller (Kernel.nvme_create: an NVMe capability in its receive slot,
 * MONITOR_MSG_CAP with NVME_TAG). Only the admin endpoint sends command
 * lines, so only what the shell (or init through it) starts holds the
 * disk; the kernel refuses a second holder. */
#define NVME_TAG 0x5ca
static uint32_t storage_service;    /* the domain on this core holding the controller */
static errval_t cmd_nvme(int argc, char **argv, struct reply *r)
{
    if (argc < 2)
        return MONITOR_ERR_BAD_COMMAND;
    char args[SPAWN_ARGS_MAX];
    join(args, sizeof(args), argc, argv, 2);
    errval_t err = spawn_here(argv[1], args, 0, r);
    if (err_is_fail(err))
        return err;
    uint32_t id = known[(known_next - 1) % KNOWN_MAX].id;
    struct sysret sr = sys_invoke(MON_KERNEL, KERNEL_CMD_NVME_CREATE, id, NVME_TAG, 0, 0);
    if (err_is_fail(sr.err)) {
        reply_printf(r, "no NVMe controller for %s (%#x): %s\n", argv[1], id,
                     err_name(err_no(sr.err)));
        sys_invoke(MON_KERNEL, KERNEL_CMD_KILL, id, 0, 0, 0);
        return sr.err;
    }
    reply_printf(r, "%s (%#x) holds the NVMe controller %04lx:%04lx\n", argv[1], id,
                 (sr.value >> 16) & 0xffff, sr.value & 0xffff);
    storage_service = id;
    return ERR_OK;
}

/* A message to the VSIC service on this core; it believes only its
 * monitor (the sender the kernel names). */
static errval_t tell_storage(uint64_t type, uint64_t w1, uint64_t w2, struct reply *r)
{
    if (!storage_service) {
        reply_printf(r, "no VSIC service on core %u (started with 'nvme vsicd')\n", mon_core);
        return VSIC_ERR_NO_SERVICE;
    }
    return sys_invoke(MON_KERNEL, KERNEL_CMD_NOTIFY, storage_service, type, w1, w2).err;
}

/* vsarate ID IOPS KBPS: the VSIC service limits domain ID's VSICs. */
static errval_t cmd_vsarate(int argc, char **argv, struct reply *r)
{
    uint64_t id, iops, kbps;
    if (argc != 4 || !words_u64(argv[1], &id) || !words_u64(argv[2], &iops) ||
        !words_u64(argv[3], &kbps) || id == 0 || id > UINT32_MAX || iops > UINT32_MAX ||
        kbps > UINT32_MAX)
        return MONITOR_ERR_BAD_COMMAND;
    errval_t err = tell_storage(MONITOR_MSG_VSA_RATE, id, iops | kbps << 32, r);
    if (err_is_ok(err))
        reply_printf(r, "domain %#lx: at most %lu I/Os and %lu KiB a second\n", id, iops, kbps);
    return err;
}

/* vsas: the VSIC service prints its VSAs. */
static errval_t cmd_vsas(int argc, char **argv, struct reply *r)
{
    (void)argv;
    if (argc != 1)
        return MONITOR_ERR_BAD_COMMAND;
    return tell_storage(MONITOR_MSG_VSA_LIST, 0, 0, r);
}

/* A client's VSIC (MONITOR_MSG_VSIC_REQUEST): a few in its life. */
#define VSIC_GRANTS_MAX 32
static struct { uint32_t id, vsics; } vsic_grants[VSIC_GRANTS_MAX];
static unsigned vsic_grants_next;

void commands_vsic_request(uint32_t sender, uint64_t tag)
{
    unsigned i = 0;
    while (i < VSIC_GRANTS_MAX && vsic_grants[i].id != sender)
        i++;
    if (i == VSIC_GRANTS_MAX) {
        i = vsic_grants_next++ % VSIC_GRANTS_MAX;
        vsic_grants[i].id = sender;
        vsic_grants[i].vsics = 0;
    }
    struct sysret sr = { MONITOR_ERR_LIMIT, 0 };
    if (vsic_grants[i].vsics < MONITOR_VSICS_PER_CLIENT)
        sr = sys_invoke(MON_KERNEL, KERNEL_CMD_VSIC_CREATE, sender, tag, 0, 0);
    if (err_is_ok(sr.err))
        vsic_grants[i].vsics++;
    else
        debug_printf("monitor: core %u: no VSIC for domain %#x: %s\n", mon_core, sender,
                     err_name(err_no(sr.err)));
    monitor_result(sender, MONITOR_MSG_VSIC_REQUEST, sr.err);
}

/*
 * A client may ask for a few VNICs in its life, not every VF of the NIC:
 * grants are counted per domain id (deleting a VNIC does not give the
 * grant back), so one domain cannot starve the others by asking again.
 */
#define GRANTS_MAX 32
static struct { uint32_t id, vnics; } grants[GRANTS_MAX];
static unsigned grants_next;

static uint32_t *grants_of(uint32_t id)
{
    for (unsigned i = 0; i < GRANTS_MAX; i++)
        if (grants[i].id == id)
            return &grants[i].vnics;
    unsigned i = grants_next++ % GRANTS_MAX;   /* the oldest entry goes */
    grants[i].id = id;
    grants[i].vnics = 0;
    return &grants[i].vnics;
}

void commands_vnic_request(uint32_t sender, uint64_t tag)
{
    uint32_t *granted = grants_of(sender);
    struct sysret sr = { MONITOR_ERR_LIMIT, 0 };
    if (*granted < MONITOR_VNICS_PER_CLIENT)
        sr = vnic_for(sender, tag);
    if (err_is_ok(sr.err))
        (*granted)++;
    if (err_is_fail(sr.err))
        debug_printf("monitor: core %u: no VNIC for domain %#x: %s\n", mon_core, sender,
                     err_name(err_no(sr.err)));
    monitor_result(sender, MONITOR_MSG_VNIC_REQUEST, sr.err);
}

static errval_t cmd_cores(int argc, char **argv, struct reply *r)
{
    channels_poll();
    reply_printf(r, "%u cores:", mon_ncores);
    for (uint32_t c = 0; c < mon_ncores; c++)
        reply_printf(r, " %u(%s)", c, c == 0 || mon_peers[c].up ? "monitor up" : "no monitor");
    reply_printf(r, "\n");
    return ERR_OK;
}

/*
 * A channel Frame from this monitor's RAM, in slot *slot: the first of
 * CHANNELS places whose memory is free again (its Frames went with the
 * domains that held them).
 */
static errval_t new_channel(capaddr_t *slot, struct reply *r)
{
    struct sysret sr = { MONITOR_ERR_BUSY, 0 };
    for (unsigned i = 0; i < CHANNELS; i++) {
        *slot = CAP_SLOT(i);
        uint64_t spec = CAP_FRAME | (CHANNEL_OBJBITS << 8) | ((uint64_t)i * (CHANNEL_BYTES / 4096) << 16);
        sr = sys_invoke(CAP_TASK(TASKCN_SLOT_ROOTCN), CNODE_CMD_RETYPE, CAP_TASK(TASKCN_SLOT_RAM),
                        spec, 1, *slot);
        if (err_no(sr.err) != CAP_ERR_RETYPE_OVERLAP && err_no(sr.err) != CAP_ERR_RETYPE_PINNED)
            break;
    }
    if (err_is_fail(sr.err))
        reply_printf(r, "no memory for a channel: %s\n", err_name(err_no(sr.err)));
    return sr.err;
}

/* Start one side of a pair on `core` with the channel Frame at `frame`. */
static errval_t pair_side(uint64_t core, capaddr_t frame, const char *name, const char *side,
                          const char *rest, struct reply *r)
{
    char args[SPAWN_ARGS_MAX], cmd[TEXTMSG_MAX];
    if (core == mon_core) {
        capaddr_t copy = CAP_SLOT(PAIR_COPY_SLOT);
        errval_t err = sys_invoke(CAP_TASK(TASKCN_SLOT_ROOTCN), CNODE_CMD_COPY, frame, copy, 0, 0).err;
        fmt_snprintf(args, sizeof(args), "%s %s", side, rest);
        if (err_is_ok(err))
            err = spawn_here(name, args, copy, r);
        return err;
    }
    static uint32_t next_tag;
    uint32_t tag = next_tag++;
    errval_t err = lend_to_monitor(frame, (uint32_t)core, tag);
    if (err_is_fail(err)) {
        reply_printf(r, "cannot lend the channel to core %lu: %s\n", core, err_name(err_no(err)));
        return err;
    }
    fmt_snprintf(cmd, sizeof(cmd), "@%lu spawnch %u %s %s %s", core, tag, name, side, rest);
    return commands_run(cmd, r);
}

static errval_t cmd_pair(int argc, char **argv, struct reply *r)
{
    uint64_t a, b;
    capaddr_t frame;
    if (argc < 4 || !words_u64(argv[2], &a) || !words_u64(argv[3], &b) || a == b ||
        a >= mon_ncores || b >= mon_ncores)
        return MONITOR_ERR_BAD_COMMAND;
    errval_t err = new_channel(&frame, r);
    if (err_is_fail(err))
        return err;
    char rest[SPAWN_ARGS_MAX];
    join(rest, sizeof(rest), argc, argv, 4);
    err = pair_side(a, frame, argv[1], "a", rest, r);
    if (err_is_ok(err))
        err = pair_side(b, frame, argv[1], "b", rest, r);
    /* The monitor keeps nothing: the sides hold the channel, and their
     * ends give its memory back. */
    sys_invoke(CAP_TASK(TASKCN_SLOT_ROOTCN), CNODE_CMD_DELETE, frame, 0, 0, 0);
    return err;
}

static errval_t cmd_help(int argc, char **argv, struct reply *r);

static const struct command {
    const char *name;
    errval_t (*fn)(int argc, char **argv, struct reply *r);
    bool core0_only;
    const char *help;
} commands[] = {
    { "spawn", cmd_spawn, false, "spawn NAME [ARGS]: start a program" },
    { "spawnch", cmd_spawnch, false, "spawnch TAG NAME [ARGS]: with the channel Frame lent under TAG" },
    { "ps", cmd_ps, false, "ps: list domains" },
    { "kill", cmd_kill, false, "kill ID: stop a domain" },
    { "ping", cmd_ping, false, "ping ID: ask a domain to answer" },
    { "caps", cmd_caps, false, "caps ID: capabilities a domain holds" },
    { "cores", cmd_cores, true, "cores: list cores and monitors" },
    { "nics", cmd_nics, false, "nics: the SR-IOV NIC's PF and VFs, and who holds each" },
    { "filters", cmd_filters, false, "filters: the NIC's filters, and which VNIC each feeds" },
    { "vnic", cmd_vnic, false, "vnic ID: give a domain on this core a VF as a VNIC" },
    { "nvme", cmd_nvme, false, "nvme NAME [ARGS]: start NAME here holding the NVMe controller" },
    { "vsarate", cmd_vsarate, false, "vsarate ID IOPS KBPS: limit domain ID's storage (0: none)" },
    { "vsas", cmd_vsas, false, "vsas: the VSAs on the disk (printed by the VSIC service)" },
    { "pair", cmd_pair, true, "pair NAME A B [ARGS]: NAME on cores A and B with a channel" },
    { "help", cmd_help, false, "help: this list" },
};

static errval_t cmd_help(int argc, char **argv, struct reply *r)
{
    for (unsigned i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        reply_printf(r, "  %s\n", commands[i].help);
    return ERR_OK;
}

errval_t commands_run(const char *line, struct reply *r)
{
    char buf[TEXTMSG_MAX];          /* not static: pair runs commands within */
    strncpy(buf, line, sizeof(buf) - 1);
    buf[sizeof(buf) - 1] = '\0';
    char *argv[MAX_ARGS];
    int argc = words_split(buf, argv, MAX_ARGS);
    if (argc == 0)
        return ERR_OK;
    bool routed = false;
    if (argv[0][0] == '@') {
        uint64_t core;
        if (!words_u64(argv[0] + 1, &core) || argc < 2)
            return MONITOR_ERR_BAD_COMMAND;
        if (core != mon_core) {
            if (mon_core != 0)
                return MONITOR_ERR_NO_CORE;
            const char *rest = line;
            while (*rest == ' ') rest++;
            while (*rest && *rest != ' ') rest++;
            return channels_remote((uint32_t)core, rest, r);
        }
        routed = true;
        argv[1][-1] = '\0';
        for (int i = 1; i < argc; i++)
            argv[i - 1] = argv[i];
        argc--;
    }
    for (unsigned i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        if (strcmp(argv[0], commands[i].name) != 0)
            continue;
        if (commands[i].core0_only && mon_core != 0)
            return MONITOR_ERR_BAD_COMMAND;
        char *saved = argv[0];
        if (routed && commands[i].fn == cmd_ps)
            argv[0] = "@ps";             /* this core only */
        errval_t err = commands[i].fn(argc, argv, r);
        argv[0] = saved;
        if (err_no(err) == MONITOR_ERR_BAD_COMMAND)
            reply_printf(r, "usage: %s\n", commands[i].help);
        return err;
    }
    reply_printf(r, "unknown command '%s' (try help)\n", argv[0]);
    return MONITOR_ERR_BAD_COMMAND;
}
