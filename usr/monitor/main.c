/*
 * main.c: a monitor, one per core (started by init through each core's
 * CPU driver). It holds the Kernel capability of its core and does on
 * behalf of other domains what needs it: spawning, listing and stopping
 * domains on this core. Requests come as text lines over LMP from local
 * domains (the shell on core 0) and over the boot-time UMP channel from
 * monitor 0, which routes "@N command" lines to core N. Replies go back
 * the same way. When idle it sleeps until a message or the next tick.
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

uint32_t mon_core, mon_ncores;
uint32_t mon_requester;         /* the local domain whose command runs, or 0 */

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
static errval_t notify(uint32_t to, uint64_t type, uint64_t w1, uint64_t w2)
{
    for (;;) {
        struct sysret sr = sys_invoke(MON_KERNEL, KERNEL_CMD_NOTIFY, to, type, w1, w2);
        if (err_no(sr.err) != SYS_ERR_ENDPOINT_FULL)
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

void monitor_handle_lmp(const struct lmp_msg *m, bool busy)
{
    switch (m->words[0]) {
    case MONITOR_MSG_EXIT: {
        const char *name = commands_domain_name((uint32_t)m->words[1]);
        if (m->words[3] == DOMAIN_EXITED)
            debug_printf("monitor: domain %s (%#lx) on core %u exited, status %ld\n",
                         name, m->words[1], mon_core, (long)m->words[2]);
        else
            debug_printf("monitor: domain %s (%#lx) on core %u was stopped\n",
                         name, m->words[1], mon_core);
        break;
    }
    case MONITOR_MSG_CMD_CHUNK: {
        struct textmsg_rx *rx = client_rx(m->sender);
        if (!rx || !textmsg_unpack(rx, &m->words[1], 3))
            break;
        static struct reply r;
        r.len = 0;
        r.text[0] = '\0';
        if (busy) {                 /* one command at a time */
            reply_printf(&r, "monitor on core %u is busy; try again\n", mon_core);
            notify_reply(m->sender, &r, MONITOR_ERR_BUSY);
            break;
        }
        mon_requester = m->sender;
        errval_t err = commands_run(rx->buf, &r);
        mon_requester = 0;
        notify_reply(m->sender, &r, err);
        break;
    }
    case MONITOR_MSG_PONG:
        commands_pong(m->words[1], (uint32_t)m->words[2]);
        break;
    case MONITOR_MSG_SEND_CAP:
        if (m->cap_slot)
            commands_move_cap((uint32_t)m->words[1], m->words[2], m->sender);
        break;
    default:
        debug_printf("monitor: core %u: unknown message %lu from %#x ignored\n", mon_core,
                     m->words[0], m->sender);
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
