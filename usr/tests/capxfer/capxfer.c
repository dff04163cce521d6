/* capxfer a|b: lend a Frame from a domain on one core to a domain on
 * another, through the monitors (started with `pair capxfer A B`), use it
 * from both, and see the owner's end take it back.
 * b tells a its domain id over their UMP channel; a retypes a Frame from
 * its RAM, maps it, writes a pattern, tells b the frame's address and
 * sends the capability to its monitor (MONITOR_MSG_SEND_CAP); the monitors
 * carry its description to b's core, whose CPU driver puts it in b's
 * receive slot (kernel/capmove.c). b checks it names the same memory, may
 * not copy, retype or send it on (it is the only capability to it on its
 * core), maps it, finds a's pattern and writes an answer, which a checks
 * before it ends. a's end revokes the Frame; b waits until its capability
 * is gone, then touches the page: it must die of a page fault. */
#include <libos/debug.h>
#include <libos/libos.h>
#include <libos/lmp.h>
#include <libos/syscall.h>
#include <libos/ump.h>
#include <libos/tsc.h>
#include <kpi/cspace.h>
#include <kpi/dispatcher.h>
#include <kpi/monitor.h>
#include <kpi/syscall.h>
#include <string.h>

#define CHANNEL_BYTES (16 * 1024)
#define ROOTCN CAP_TASK(TASKCN_SLOT_ROOTCN)
#define TAG 0xca9

static void recv_wait(struct ump_chan *c, uint64_t *w)
{
    while (err_is_fail(ump_recv(c, w)))
        sys_yield(SYS_YIELD_SLICE);
}

static errval_t identify(capaddr_t slot, struct cap_identity *id)
{
    return sys_invoke(ROOTCN, CNODE_CMD_IDENTIFY, slot, (uint64_t)(uintptr_t)id, 0, 0).err;
}

#define PATTERN 0xca9f00d0ca9f00d0ull
#define ANSWER  0x0b0b0b0b0b0b0b0bull
#define GONE_WAIT_S 30

static volatile uint64_t *const mapped = (volatile uint64_t *)(uintptr_t)USER_MAP_BASE;

static void send_wait(struct ump_chan *c, const uint64_t *w)
{
    while (err_is_fail(ump_send(c, w)))
        sys_yield(SYS_YIELD_SLICE);
}

static int side_a(struct ump_chan *c)
{
    uint64_t w[UMP_PAYLOAD_WORDS] = { 0 };
    recv_wait(c, w);
    uint32_t b = (uint32_t)w[0];
    errval_t err = sys_invoke(ROOTCN, CNODE_CMD_RETYPE, CAP_TASK(TASKCN_SLOT_RAM),
                              CAP_FRAME | 12 << 8, 1, CAP_SLOT(0)).err;
    struct cap_identity id;
    if (err_is_ok(err))
        err = identify(CAP_SLOT(0), &id);
    if (err_is_ok(err))
        err = sys_invoke(CAP_SLOT(0), FRAME_CMD_MAP, USER_MAP_BASE, FRAME_MAP_WRITE, 0, 0).err;
    if (err_is_fail(err)) {
        debug_err("capxfer a: make and map a Frame", err);
        return 1;
    }
    mapped[0] = PATTERN;
    memset(w, 0, sizeof(w));
    w[0] = id.base;
    w[1] = id.bytes;
    send_wait(c, w);
    err = sys_invoke(CAP_TASK(TASKCN_SLOT_MONITOREP), ENDPOINT_CMD_SEND_CAP, MONITOR_MSG_SEND_CAP,
                     b, TAG, CAP_SLOT(0)).err;
    if (err_is_fail(err)) {
        debug_err("capxfer a: send to the monitor", err);
        return 1;
    }
    debug_printf("capxfer a: sent Frame %#lx+%#lx from core %u to domain %#x\n", id.base,
                 id.bytes, libos_core_id(), b);
    recv_wait(c, w);                    /* b's verdict */
    bool answered = mapped[1] == ANSWER;
    debug_printf("capxfer a: b's answer %s in our Frame\n", answered ? "is" : "is NOT");
    return w[0] == 1 && answered ? 0 : 1;
}

/* What b may not do with a capability lent to its core. */
static bool refuses_copies(capaddr_t slot)
{
    errval_t copy = sys_invoke(ROOTCN, CNODE_CMD_COPY, slot, CAP_SLOT(1), 0, 0).err;
    errval_t retype = sys_invoke(ROOTCN, CNODE_CMD_RETYPE, slot, CAP_FRAME | 12 << 8 | 1 << 16, 1,
                                 CAP_SLOT(2)).err;
    errval_t send = sys_invoke(CAP_TASK(TASKCN_SLOT_MONITOREP), ENDPOINT_CMD_SEND_CAP,
                               MONITOR_MSG_SEND_CAP, 0, TAG, slot).err;
    debug_printf("capxfer b: copy %s, retype %s, send %s\n", err_name(err_no(copy)),
                 err_name(err_no(retype)), err_name(err_no(send)));
    return err_no(copy) == CAP_ERR_IMPORTED && err_no(retype) == CAP_ERR_IMPORTED &&
           err_no(send) == CAP_ERR_IMPORTED;
}

static int side_b(struct ump_chan *c)
{
    uint64_t w[UMP_PAYLOAD_WORDS] = { libos_domain_id() };
    send_wait(c, w);
    recv_wait(c, w);
    uint64_t base = w[0], bytes = w[1];
    struct lmp_msg m;
    do {
        errval_t err = lmp_recv(&m);
        if (err_is_fail(err)) {
            debug_err("capxfer b: receive", err);
            return 1;
        }
    } while (m.words[0] != MONITOR_MSG_CAP);
    struct cap_identity id;
    errval_t err = identify(m.cap_slot, &id);
    bool same = err_is_ok(err) && m.words[1] == TAG && id.type == CAP_FRAME && id.base == base &&
                id.bytes == bytes;
    debug_printf("capxfer b: on core %u received %s %#lx+%#lx from domain %#lx: %s\n",
                 libos_core_id(), cap_type_name(id.type), id.base, id.bytes, m.words[2],
                 same ? "the same memory" : "MISMATCH");
    same = same && refuses_copies(m.cap_slot);
    if (same)
        err = sys_invoke(m.cap_slot, FRAME_CMD_MAP, USER_MAP_BASE, FRAME_MAP_WRITE, 0, 0).err;
    same = same && err_is_ok(err) && mapped[0] == PATTERN;
    debug_printf("capxfer b: mapped here: %s\n", err_is_fail(err) ? err_name(err_no(err))
                 : mapped[0] == PATTERN ? "a's pattern is there" : "PATTERN MISSING");
    if (same)
        mapped[1] = ANSWER;
    memset(w, 0, sizeof(w));
    w[0] = same;
    send_wait(c, w);
    if (!same)
        return 1;
    /* a ends now, and its end revokes the Frame: the copy here must go. */
    uint64_t deadline = rdtsc_now() + GONE_WAIT_S * libos_tsc_hz();
    while (err_is_ok(identify(m.cap_slot, &id)) && rdtsc_now() < deadline)
        sys_yield(SYS_YIELD_BLOCK);
    bool gone = err_is_fail(identify(m.cap_slot, &id));
    debug_printf("capxfer b: the Frame %s after its owner ended; touching the page\n",
                 gone ? "was taken back" : "is STILL HERE");
    uint64_t v = mapped[0];
    debug_printf("capxfer b: STILL MAPPED after the revoke (read %#lx)\n", v);
    return 1;
}

int main(int argc, char *argv[])
{
    bool a = argc > 1 && strcmp(argv[1], "a") == 0;
    struct ump_chan chan;
    errval_t err = ump_spawn_chan_open(&chan, a);
    if (err_is_fail(err)) {
        debug_err("capxfer: channel", err);
        return 1;
    }
    return a ? side_a(&chan) : side_b(&chan);
}
