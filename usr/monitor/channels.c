/*
 * channels.c: the UMP channels between monitor 0 and every other monitor.
 *
 * The CPU drivers set aside one 8 KiB frame per core at boot and map it
 * into both monitors (core N's at USER_SHARED_FRAME_VADDR + N * 8 KiB).
 * Monitor N formats its frame when it starts; monitor 0 attaches to each
 * frame as soon as it is formatted. Monitor N serves command lines arriving
 * on it; monitor 0 sends them and waits for their replies. Typed messages
 * (capability moves, kpi/monitor.h) name their destination core; monitor
 * 0 passes on those not for itself, so every monitor reaches every other.
 */
#include "monitor.h"
#include <libos/debug.h>
#include <libos/libos.h>
#include <libos/syscall.h>
#include <kpi/dispatcher.h>
#include <kpi/monitor.h>
#include <string.h>

#define URPC_BYTES (8 * 1024)
#define TEXT_WORDS (UMP_PAYLOAD_WORDS - 1)
#define REMOTE_TIMEOUT_S 10

struct peer mon_peers[MON_MAX_CORES];

static void *frame_of(uint32_t core)
{
    return (void *)(uintptr_t)(USER_SHARED_FRAME_VADDR + (uint64_t)core * URPC_BYTES);
}

void channels_init(void)
{
    if (mon_core == 0)
        return;                     /* attach lazily in channels_poll */
    struct peer *p = &mon_peers[0];
    errval_t err = ump_frame_format(frame_of(mon_core), URPC_BYTES);
    if (err_is_ok(err))
        err = ump_chan_init(&p->chan, frame_of(mon_core), URPC_BYTES, false);
    if (err_is_fail(err)) {
        debug_err("monitor: channel to core 0", err);
        return;
    }
    p->up = true;
}

void channels_send_text(struct peer *p, uint64_t type, const char *text)
{
    size_t off = 0;
    bool last = false;
    while (!last) {
        uint64_t w[UMP_PAYLOAD_WORDS];
        w[0] = type;
        last = textmsg_pack(text, &off, &w[1], TEXT_WORDS);
        while (err_no(ump_send(&p->chan, w)) == UMP_ERR_FULL)
            sys_yield(SYS_YIELD_SLICE);
    }
}

static void send_end(struct peer *p, errval_t status)
{
    uint64_t w[UMP_PAYLOAD_WORDS] = { MONITOR_MSG_REPLY_END, status };
    while (err_no(ump_send(&p->chan, w)) == UMP_ERR_FULL)
        sys_yield(SYS_YIELD_SLICE);
}

static void send_words(struct peer *p, const uint64_t w[UMP_PAYLOAD_WORDS]);

/* Core N: serve a command line or a typed message from monitor 0. */
static bool serve(struct peer *p)
{
    uint64_t w[UMP_PAYLOAD_WORDS];
    if (err_is_fail(ump_recv(&p->chan, w)))
        return false;
    if (lend_is_typed(w[0])) {
        if (MONITOR_UMP_DST(w[0]) == mon_core)
            lend_handle_ump(w);
        return true;
    }
    if (w[0] != MONITOR_MSG_CMD_CHUNK || !textmsg_unpack(&p->rx, &w[1], TEXT_WORDS))
        return true;
    static struct reply r;
    r.len = 0;
    r.text[0] = '\0';
    errval_t err = commands_run(p->rx.buf, &r);
    channels_send_text(p, MONITOR_MSG_REPLY_CHUNK, r.text);
    send_end(p, err);
    return true;
}

static void send_words(struct peer *p, const uint64_t w[UMP_PAYLOAD_WORDS])
{
    while (err_no(ump_send(&p->chan, w)) == UMP_ERR_FULL)
        sys_yield(SYS_YIELD_SLICE);
}

void channels_send_typed(const uint64_t w[UMP_PAYLOAD_WORDS])
{
    unsigned dst = MONITOR_UMP_DST(w[0]);
    if (dst == mon_core) {
        lend_handle_ump(w);
        return;
    }
    unsigned via = mon_core == 0 ? dst : 0;
    if (dst >= mon_ncores || via >= MON_MAX_CORES || !mon_peers[via].up) {
        debug_printf("monitor: core %u: no channel to core %u; message %u dropped\n", mon_core,
                     dst, MONITOR_UMP_TYPE(w[0]));
        return;
    }
    send_words(&mon_peers[via], w);
}

/* Core 0: a message from monitor N that is not a reply we wait for: a
 * typed message for us, or one to pass on to its destination. */
static void take_unsolicited(const uint64_t *w)
{
    if (lend_is_typed(w[0]))
        channels_send_typed(w);
}

/* Core 0: take what other monitors sent. */
static bool poll_peers(void)
{
    bool work = false;
    for (uint32_t i = 1; i < mon_ncores && i < MON_MAX_CORES; i++) {
        struct peer *p = &mon_peers[i];
        uint64_t w[UMP_PAYLOAD_WORDS];
        while (p->up && err_is_ok(ump_recv(&p->chan, w))) {
            take_unsolicited(w);
            work = true;
        }
    }
    return work;
}

bool channels_poll(void)
{
    if (mon_core != 0)
        return mon_peers[0].up && serve(&mon_peers[0]);
    for (uint32_t i = 1; i < mon_ncores && i < MON_MAX_CORES; i++) {
        struct peer *p = &mon_peers[i];
        if (!p->up && err_is_ok(ump_chan_init(&p->chan, frame_of(i), URPC_BYTES, true)))
            p->up = true;
    }
    return poll_peers();
}

errval_t channels_remote(uint32_t core, const char *cmd, struct reply *r)
{
    channels_poll();
    if (core >= mon_ncores || core >= MON_MAX_CORES || !mon_peers[core].up) {
        reply_printf(r, "no monitor on core %u\n", core);
        return MONITOR_ERR_NO_CORE;
    }
    struct peer *p = &mon_peers[core];
    channels_send_text(p, MONITOR_MSG_CMD_CHUNK, cmd);
    textmsg_reset(&p->rx);
    uint64_t deadline = rdtsc_now() + REMOTE_TIMEOUT_S * libos_tsc_hz();
    /* Replies share the ring with typed messages monitor N sends (to us or
     * to pass on); those are handled as they come. */
    while (rdtsc_now() < deadline) {
        uint64_t w[UMP_PAYLOAD_WORDS];
        if (err_is_fail(ump_recv(&p->chan, w))) {
            sys_yield(SYS_YIELD_SLICE);
            continue;
        }
        if (w[0] == MONITOR_MSG_REPLY_CHUNK && textmsg_unpack(&p->rx, &w[1], TEXT_WORDS))
            reply_printf(r, "%s", p->rx.buf);
        else if (w[0] == MONITOR_MSG_REPLY_END)
            return (errval_t)w[1];
        else
            take_unsolicited(w);
    }
    reply_printf(r, "core %u did not answer within %d s\n", core, REMOTE_TIMEOUT_S);
    return MONITOR_ERR_TIMEOUT;
}
