/* capxfer a|b: move a capability from a domain on one core to a domain on
 * another, through the monitors (started with `pair capxfer A B`).
 * b tells a its domain id over their UMP channel; a retypes a Frame from
 * its RAM, tells b the frame's address, and sends the capability to its
 * monitor with MONITOR_MSG_SEND_CAP; the monitors carry it to b's core,
 * whose CPU driver puts it in b's receive slot. b checks it names the
 * same memory and tells a, which only then ends: a's end revokes its RAM,
 * and with it the copy in transit (the monitor's receive slot). */
#include <libos/debug.h>
#include <libos/libos.h>
#include <libos/lmp.h>
#include <libos/syscall.h>
#include <libos/ump.h>
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
    if (err_is_fail(err)) {
        debug_err("capxfer a: make a Frame", err);
        return 1;
    }
    memset(w, 0, sizeof(w));
    w[0] = id.base;
    w[1] = id.bytes;
    while (err_is_fail(ump_send(c, w)))
        sys_yield(SYS_YIELD_SLICE);
    err = sys_invoke(CAP_TASK(TASKCN_SLOT_MONITOREP), ENDPOINT_CMD_SEND_CAP, MONITOR_MSG_SEND_CAP,
                     b, TAG, CAP_SLOT(0)).err;
    if (err_is_fail(err)) {
        debug_err("capxfer a: send to the monitor", err);
        return 1;
    }
    debug_printf("capxfer a: sent Frame %#lx+%#lx from core %u to domain %#x\n", id.base,
                 id.bytes, libos_core_id(), b);
    recv_wait(c, w);                    /* b's verdict */
    return w[0] == 1 ? 0 : 1;
}

static int side_b(struct ump_chan *c)
{
    uint64_t w[UMP_PAYLOAD_WORDS] = { libos_domain_id() };
    while (err_is_fail(ump_send(c, w)))
        sys_yield(SYS_YIELD_SLICE);
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
    memset(w, 0, sizeof(w));
    w[0] = same;
    while (err_is_fail(ump_send(c, w)))
        sys_yield(SYS_YIELD_SLICE);
    return same ? 0 : 1;
}

int main(int argc, char *argv[])
{
    bool a = argc > 1 && strcmp(argv[1], "a") == 0;
    void *frame = (void *)(uintptr_t)USER_SHARED_FRAME_VADDR;
    struct ump_chan chan;
    errval_t err = a ? ump_frame_format(frame, CHANNEL_BYTES) : ERR_OK;
    while (err_is_ok(err) && err_is_fail(err = ump_chan_init(&chan, frame, CHANNEL_BYTES, a))) {
        if (err_no(err) != UMP_ERR_NOT_FORMATTED)
            break;
        err = ERR_OK;
        sys_yield(SYS_YIELD_SLICE);
    }
    if (err_is_fail(err)) {
        debug_err("capxfer: channel", err);
        return 1;
    }
    return a ? side_a(&chan) : side_b(&chan);
}
