/*
 * lend.c: the monitors' half of lending a Frame to another core
 * (kernel/capmove.c has the kernels' half and the picture).
 *
 * A description of a capability crosses cores only here, between
 * monitors, over their own UMP channels, as typed messages with fixed
 * fields (kpi/monitor.h); the CPU driver of the owner core wrote it
 * (Kernel.cap_export) and only a monitor may hand it to the CPU driver of
 * the importing core (Kernel.cap_import). No client text ever becomes a
 * description.
 */
#include "monitor.h"
#include <libos/debug.h>
#include <libos/libos.h>
#include <libos/syscall.h>
#include <kpi/cspace.h>
#include <kpi/monitor.h>
#include <kpi/syscall.h>
#include <string.h>

#define STASH_FIRST 64              /* CAP_SLOT(64..95): Frames lent to this monitor */
#define STASH_SLOTS 32
#define RECV CAP_TASK(TASKCN_SLOT_RECV)
#define ROOTCN CAP_TASK(TASKCN_SLOT_ROOTCN)

static bool stash_full[STASH_SLOTS];

capaddr_t lend_stash_slot(uint32_t tag)
{
    return CAP_SLOT(STASH_FIRST + tag % STASH_SLOTS);
}

void lend_stash_taken(uint32_t tag, bool delete_it)
{
    if (delete_it && stash_full[tag % STASH_SLOTS])
        sys_invoke(ROOTCN, CNODE_CMD_DELETE, lend_stash_slot(tag), 0, 0, 0);
    stash_full[tag % STASH_SLOTS] = false;
}

bool lend_is_typed(uint64_t w0)
{
    unsigned t = MONITOR_UMP_TYPE(w0);
    return t == MONITOR_MSG_UMP_CAP_MOVE || t == MONITOR_MSG_UMP_CAP_DROP ||
           t == MONITOR_MSG_UMP_CAP_RELEASED;
}

/* Export the Frame at `slot` to `core` and send the description there. */
static errval_t lend(capaddr_t slot, uint32_t core, uint32_t target, uint32_t sender, uint64_t tag)
{
    static struct cap_desc desc;
    struct sysret sr = sys_invoke(MON_KERNEL, KERNEL_CMD_CAP_EXPORT, slot, core,
                                  (uint64_t)(uintptr_t)&desc, 0);
    if (err_is_fail(sr.err))
        return sr.err;
    uint64_t w[UMP_PAYLOAD_WORDS] = {
        MONITOR_UMP_WORD0(MONITOR_MSG_UMP_CAP_MOVE, mon_core, core),
        desc.type | desc.rights << 8 | (uint64_t)desc.flags << 16,
        desc.base, desc.bytes,
        desc.owner | (uint64_t)desc.export_id << 32,
        target | (uint64_t)sender << 32,
        tag,
    };
    channels_send_typed(w);
    return ERR_OK;
}

void lend_send(uint32_t sender, uint64_t target, uint64_t tag)
{
    uint64_t core = target >> 16;
    errval_t err = target > UINT32_MAX || core >= mon_ncores ? MONITOR_ERR_NO_CORE
                 : core == mon_core ? MONITOR_ERR_SAME_CORE
                 : lend(RECV, (uint32_t)core, (uint32_t)target, sender, tag);
    monitor_recv_clear();           /* the kernel keeps its own copy while lent */
    if (err_is_fail(err))
        debug_printf("monitor: core %u: Frame from domain %#x for domain %#lx not sent: %s\n",
                     mon_core, sender, target, err_name(err_no(err)));
    monitor_result(sender, MONITOR_MSG_SEND_CAP, err);
}

errval_t lend_to_monitor(capaddr_t slot, uint32_t core, uint32_t tag)
{
    return lend(slot, core, 0, 0, tag);
}

static void send_released(uint32_t owner, uint32_t id)
{
    uint64_t w[UMP_PAYLOAD_WORDS] = {
        MONITOR_UMP_WORD0(MONITOR_MSG_UMP_CAP_RELEASED, mon_core, owner), id,
    };
    channels_send_typed(w);
}

void lend_revoked(uint32_t id, uint32_t core)
{
    uint64_t w[UMP_PAYLOAD_WORDS] = {
        MONITOR_UMP_WORD0(MONITOR_MSG_UMP_CAP_DROP, mon_core, core), mon_core, id,
    };
    channels_send_typed(w);
}

void lend_gone(uint32_t owner, uint32_t id)
{
    send_released(owner, id);
}

/* UMP_CAP_MOVE arrived: make it a capability here (target 0: for us). */
static void take(const uint64_t w[UMP_PAYLOAD_WORDS])
{
    static struct cap_desc desc;
    desc = (struct cap_desc){
        .type = (uint32_t)(w[1] & 0xff), .rights = (uint32_t)((w[1] >> 8) & 0xff),
        .flags = (uint32_t)((w[1] >> 16) & 0xff), .base = w[2], .bytes = w[3],
        .owner = (uint32_t)w[4], .export_id = (uint32_t)(w[4] >> 32),
        .sender = (uint32_t)(w[5] >> 32),
    };
    uint32_t target = (uint32_t)w[5];
    capaddr_t dest = 0;
    if (target == 0) {
        target = libos_domain_id();
        dest = lend_stash_slot((uint32_t)w[6]);
        lend_stash_taken((uint32_t)w[6], true);     /* a stale one goes back */
    }
    errval_t err;
    for (;;) {
        err = sys_invoke(MON_KERNEL, KERNEL_CMD_CAP_IMPORT, (uint64_t)(uintptr_t)&desc, target,
                         dest, w[6]).err;
        if (err_no(err) != SYS_ERR_ENDPOINT_FULL)
            break;
        sys_yield(SYS_YIELD_SLICE);
    }
    if (err_is_ok(err) && dest)
        stash_full[w[6] % STASH_SLOTS] = true;
    if (err_is_fail(err)) {
        debug_printf("monitor: core %u: Frame %#lx+%#lx from core %u for domain %#x refused: %s\n",
                     mon_core, desc.base, desc.bytes, desc.owner, target, err_name(err_no(err)));
        send_released(desc.owner, desc.export_id);      /* it never was here */
    }
}

void lend_handle_ump(const uint64_t w[UMP_PAYLOAD_WORDS])
{
    struct sysret sr = { ERR_OK, 0 };
    switch (MONITOR_UMP_TYPE(w[0])) {
    case MONITOR_MSG_UMP_CAP_MOVE:
        take(w);
        return;
    case MONITOR_MSG_UMP_CAP_DROP:
        sr = sys_invoke(MON_KERNEL, KERNEL_CMD_CAP_DROP, w[1], w[2], 0, 0);
        if (err_no(sr.err) == CAP_ERR_MOVE_UNKNOWN)
            return;                 /* its holder let go first: released already */
        break;
    case MONITOR_MSG_UMP_CAP_RELEASED:
        sr = sys_invoke(MON_KERNEL, KERNEL_CMD_CAP_RELEASE, w[1], 0, 0, 0);
        break;
    }
    if (err_is_fail(sr.err))
        debug_err("monitor: lent Frame", sr.err);
}
