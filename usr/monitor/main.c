/*
 * main.c: a monitor, one per core (started by init through each core's
 * CPU driver). It holds the Kernel capability of its core and does on
 * behalf of other domains what needs it: spawning, listing and stopping
 * domains on this core, VNICs, moving Frames between cores. Local domains
 * send typed LMP messages (kpi/monitor.h); what each may ask is decided by
 * the badge of the endpoint it came by (the table in monitor_handle_lmp):
 * the shell's admin endpoint may send the text command lines a person
 * types, which monitor 0 routes ("@N command") to core N over the
 * boot-time UMP channels; every other domain gets only the typed client
 * requests. When idle it sleeps until a message or the next tick.
 */
#include "monitor.h"
#include <libos/debug.h>
#include <libos/libos.h>
#include <libos/lmp.h>
#include <libos/syscall.h>
#include <kpi/cspace.h>
#include <kpi/monitor.h>
#include <kpi/syscall.h>
#include <string.h>
#include <fmt.h>

uint32_t mon_core, mon_ncores;

/* Per local client: the text it is sending us. */
#define MAX_CLIENTS 16
static struct { uint32_t id; struct textmsg_rx rx; } clients[MAX_CLIENTS];

static struct textmsg_rx *client_rx(uint32_t id)
{
    for (int i = 0; i < MAX_CLIENTS; i++)
        if (clients[i].id == id)
            return &clients[i].rx;
    for (int i = 0; i < MAX_CLIENTS; i++) {
        if (clients[i].id == 0) {
            clients[i].id = id;
            textmsg_reset(&clients[i].rx);
            return &clients[i].rx;
        }
    }
    return NULL;
}

/* Kernel.notify, retried while the client's ring is full. */
/* Kernel.notify, retried a while if the client's ring is full: a client
 * that never reads its ring must not hold its monitor forever. */
#define NOTIFY_WAIT_MS 200
static errval_t notify(uint32_t to, uint64_t type, uint64_t w1, uint64_t w2)
{
    uint64_t deadline = rdtsc_now() + NOTIFY_WAIT_MS * libos_tsc_hz() / 1000;
    for (;;) {
        struct sysret sr = sys_invoke(MON_KERNEL, KERNEL_CMD_NOTIFY, to, type, w1, w2);
        if (err_no(sr.err) != SYS_ERR_ENDPOINT_FULL || rdtsc_now() > deadline)
            return sr.err;
        sys_yield(SYS_YIELD_SLICE);
    }
}

/* Send a reply to a local client, 2 words of text a message. */
static void notify_reply(uint32_t to, const struct reply *r, errval_t status)
{
    size_t off = 0;
    bool last = false;
    errval_t err = ERR_OK;
    while (!last && err_is_ok(err)) {
        uint64_t w[2];
        last = textmsg_pack(r->text, &off, w, 2);
        err = notify(to, MONITOR_MSG_REPLY_CHUNK, w[0], w[1]);
    }
    if (err_is_ok(err))
        err = notify(to, MONITOR_MSG_REPLY_END, status, 0);
    if (err_is_fail(err))
        debug_err("monitor: reply lost", err);
}

/* Who may send a message type (the badge of the endpoint it came by). */
enum who { WHO_CLIENT, WHO_ADMIN, WHO_KERNEL };

static const char *who_name(enum who w)
{
    return w == WHO_KERNEL ? "the CPU driver" : w == WHO_ADMIN ? "the admin endpoint" : "a client";
}

static bool sender_is(const struct lmp_msg *m, enum who w)
{
    switch (w) {
    case WHO_KERNEL: return m->badge == LMP_BADGE_KERNEL;
    case WHO_ADMIN: return m->badge == MONITOR_BADGE_ADMIN;
    default: return m->badge == MONITOR_BADGE_CLIENT || m->badge == MONITOR_BADGE_ADMIN;
    }
}

/* A result is told once: a client whose ring is full has not been
 * reading, and waiting for it would stall every other client. */
void monitor_result(uint32_t to, uint64_t op, errval_t status)
{
    static unsigned lost;
    struct sysret sr = sys_invoke(MON_KERNEL, KERNEL_CMD_NOTIFY, to, MONITOR_MSG_RESULT, op, status);
    if (err_is_fail(sr.err) && lost++ < 4)
        debug_printf("monitor: core %u: result for domain %#x lost: %s\n", mon_core, to,
                     err_name(err_no(sr.err)));
}

/* One refusal: a log line naming the sender, and an answer if it waits. */
static void refuse(const struct lmp_msg *m, const char *what, errval_t why)
{
    debug_printf("monitor: core %u: refused %s from domain %s (%#x): %s\n", mon_core, what,
                 commands_domain_name(m->sender), m->sender, err_name(err_no(why)));
    if (m->badge == LMP_BADGE_KERNEL || m->sender == 0)
        return;
    if (m->words[0] == MONITOR_MSG_CMD_CHUNK) {
        static struct reply r;
        r.len = 0;
        r.text[0] = '\0';
        reply_printf(&r, "%s refused: %s\n", what, err_msg(err_no(why)));
        notify_reply(m->sender, &r, why);
    } else {
        monitor_result(m->sender, m->words[0], why);
    }
}

static void on_exit(const struct lmp_msg *m)
{
    const char *name = commands_domain_name((uint32_t)m->words[1]);
    if (m->words[3] == DOMAIN_EXITED)
        debug_printf("monitor: domain %s (%#lx) on core %u exited, status %ld\n",
                     name, m->words[1], mon_core, (long)m->words[2]);
    else
        debug_printf("monitor: domain %s (%#lx) on core %u was stopped\n",
                     name, m->words[1], mon_core);
}

/* A text command line from the shell, in chunks; run once it is whole. */
static void on_cmd_chunk(const struct lmp_msg *m, bool busy)
{
    struct textmsg_rx *rx = client_rx(m->sender);
    if (!rx || !textmsg_unpack(rx, &m->words[1], 3))
        return;
    static struct reply r;
    r.len = 0;
    r.text[0] = '\0';
    if (busy) {                 /* one command at a time */
        reply_printf(&r, "monitor on core %u is busy; try again\n", mon_core);
        notify_reply(m->sender, &r, MONITOR_ERR_BUSY);
        return;
    }
    errval_t err = commands_run(rx->buf, &r);
    notify_reply(m->sender, &r, err);
}

void monitor_recv_clear(void)
{
    errval_t err = sys_invoke(CAP_TASK(TASKCN_SLOT_ROOTCN), CNODE_CMD_DELETE,
                              CAP_TASK(TASKCN_SLOT_RECV), 0, 0, 0).err;
    if (err_is_fail(err) && err_no(err) != CAP_ERR_SLOT_EMPTY)
        debug_err("monitor: clear the receive slot", err);
}

void monitor_handle_lmp(const struct lmp_msg *m, bool busy)
{
    static const struct { uint64_t type; enum who who; const char *name; } allowed[] = {
        { MONITOR_MSG_EXIT, WHO_KERNEL, "exit notice" },
        { MONITOR_MSG_EXPORT_REVOKED, WHO_KERNEL, "export revoked" },
        { MONITOR_MSG_IMPORT_GONE, WHO_KERNEL, "import gone" },
        { MONITOR_MSG_CMD_CHUNK, WHO_ADMIN, "a command line" },
        { MONITOR_MSG_PONG, WHO_CLIENT, "pong" },
        { MONITOR_MSG_SEND_CAP, WHO_CLIENT, "send_cap" },
        { MONITOR_MSG_VNIC_REQUEST, WHO_CLIENT, "vnic request" },
        { MONITOR_MSG_VSIC_REQUEST, WHO_CLIENT, "vsic request" },
    };
    unsigned i = 0;
    while (i < sizeof(allowed) / sizeof(allowed[0]) && allowed[i].type != m->words[0])
        i++;
    if (i == sizeof(allowed) / sizeof(allowed[0])) {
        if (m->cap_slot)
            monitor_recv_clear();
        char what[48];
        fmt_snprintf(what, sizeof(what), "message type %lu", m->words[0]);
        refuse(m, what, MONITOR_ERR_BAD_MESSAGE);
        return;
    }
    if (!sender_is(m, allowed[i].who)) {
        if (m->cap_slot)
            monitor_recv_clear();
        char what[96];
        if (m->words[0] == MONITOR_MSG_CMD_CHUNK) {
            struct textmsg_rx *rx = client_rx(m->sender);
            if (!rx || !textmsg_unpack(rx, &m->words[1], 3))
                return;             /* refuse the whole line once */
            char *sp = strchr(rx->buf, ' ');
            if (sp)
                *sp = '\0';
            fmt_snprintf(what, sizeof(what), "'%.32s' (a command line needs %s)", rx->buf,
                         who_name(allowed[i].who));
        } else {
            fmt_snprintf(what, sizeof(what), "%s (needs %s)", allowed[i].name,
                         who_name(allowed[i].who));
        }
        refuse(m, what, MONITOR_ERR_NOT_PERMITTED);
        return;
    }
    switch (m->words[0]) {
    case MONITOR_MSG_EXIT:
        on_exit(m);
        break;
    case MONITOR_MSG_EXPORT_REVOKED:
        lend_revoked((uint32_t)m->words[1], (uint32_t)m->words[2]);
        break;
    case MONITOR_MSG_IMPORT_GONE:
        lend_gone((uint32_t)m->words[1], (uint32_t)m->words[2]);
        break;
    case MONITOR_MSG_CMD_CHUNK:
        on_cmd_chunk(m, busy);
        break;
    case MONITOR_MSG_PONG:
        commands_pong(m->words[1], (uint32_t)m->words[2]);
        break;
    case MONITOR_MSG_SEND_CAP:
        if (m->cap_slot)
            lend_send(m->sender, m->words[1], m->words[2]);
        else
            refuse(m, "send_cap without a capability", MONITOR_ERR_BAD_MESSAGE);
        break;
    case MONITOR_MSG_VNIC_REQUEST:
        commands_vnic_request(m->sender, m->words[1]);
        break;
    case MONITOR_MSG_VSIC_REQUEST:
        commands_vsic_request(m->sender, m->words[1]);
        break;
    }
}

/* One round of work; false if there was none. */
static bool poll_once(void)
{
    bool work = false;
    struct lmp_msg m;
    while (err_is_ok(lmp_poll(&m))) {
        monitor_handle_lmp(&m, false);
        work = true;
    }
    return channels_poll() || work;
}

int main(int argc, char *argv[])
{
    mon_core = libos_core_id();
    mon_ncores = (uint32_t)libos_ncores();
    channels_init();
    debug_printf("monitor: core %u up (domain %#x)\n", mon_core, libos_domain_id());
    for (;;) {
        if (!poll_once())
            sys_yield(SYS_YIELD_BLOCK);     /* until a message or the next tick */
    }
}
