/*
 * monitor.c: what an ordinary domain may not get from its monitor. Its
 * endpoint carries MONITOR_BADGE_CLIENT, so every privileged line and
 * every message only the CPU driver may send must come back refused
 * (MONITOR_ERR_NOT_PERMITTED, MONITOR_ERR_BAD_MESSAGE), with the monitor
 * still serving afterwards; and the Kernel capability is not in its cspace.
 */
#include "forge.h"
#include <libos/debug.h>
#include <libos/libos.h>
#include <libos/lmp.h>
#include <libos/syscall.h>
#include <kpi/cspace.h>
#include <kpi/monitor.h>
#include <kpi/syscall.h>
#include <fmt.h>

#define MONITOR CAP_TASK(TASKCN_SLOT_MONITOREP)

static errval_t send(uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3)
{
    errval_t err;
    while (err_no(err = lmp_send(MONITOR, w0, w1, w2, w3)) == SYS_ERR_ENDPOINT_FULL)
        sys_yield(SYS_YIELD_SLICE);
    return err;
}

/* A text command line, as the shell sends it; the status it ends with. */
static errval_t command(const char *line)
{
    errval_t err = lmp_send_text(MONITOR, MONITOR_MSG_CMD_CHUNK, line);
    while (err_is_ok(err)) {
        struct lmp_msg m;
        if (err_is_fail(err = lmp_recv(&m)))
            break;
        if (m.words[0] == MONITOR_MSG_REPLY_END)
            return (errval_t)m.words[1];
    }
    return err;
}

/* A typed message; the status of the RESULT the monitor answers with. */
static errval_t typed(uint64_t type, uint64_t w1, uint64_t w2)
{
    errval_t err = send(type, w1, w2, 0);
    while (err_is_ok(err)) {
        struct lmp_msg m;
        if (err_is_fail(err = lmp_recv(&m)))
            break;
        if (m.words[0] == MONITOR_MSG_RESULT && m.words[1] == type)
            return (errval_t)m.words[2];
    }
    return err;
}

int forge_monitor(uint32_t victim, uint64_t victim_pa, int *tried)
{
    char line[160];
    int ok = 0;
    /* 1: a root Frame over the victim's memory, described as text. */
    fmt_snprintf(line, sizeof(line), "capimport %#x 2 %#lx 8192 15 0 0", libos_domain_id(), victim_pa);
    ok += forge_report("capimport of the victim's memory", command(line), MONITOR_ERR_NOT_PERMITTED);
    /* 2: a new domain with a raw physical range mapped. */
    fmt_snprintf(line, sizeof(line), "spawnch %#lx 8192 hello", victim_pa);
    ok += forge_report("spawnch with the victim's memory", command(line), MONITOR_ERR_NOT_PERMITTED);
    fmt_snprintf(line, sizeof(line), "kill %#x", victim);
    ok += forge_report("kill the victim", command(line), MONITOR_ERR_NOT_PERMITTED);
    fmt_snprintf(line, sizeof(line), "vnic %#x", victim);
    ok += forge_report("vnic for the victim", command(line), MONITOR_ERR_NOT_PERMITTED);
    ok += forge_report("ps", command("ps"), MONITOR_ERR_NOT_PERMITTED);
    /* Messages only the CPU driver sends, passed off as its own. */
    ok += forge_report("a forged exit notice", typed(MONITOR_MSG_EXIT, victim, 0),
                       MONITOR_ERR_NOT_PERMITTED);
    ok += forge_report("a forged import-gone notice", typed(MONITOR_MSG_IMPORT_GONE, 1, 1),
                       MONITOR_ERR_NOT_PERMITTED);
    ok += forge_report("a forged export-revoked notice", typed(MONITOR_MSG_EXPORT_REVOKED, 1, 1),
                       MONITOR_ERR_NOT_PERMITTED);
    ok += forge_report("an inter-monitor capability move", typed(MONITOR_MSG_UMP_CAP_MOVE, 0, 0),
                       MONITOR_ERR_BAD_MESSAGE);
    ok += forge_report("message type 999", typed(999, 0, 0), MONITOR_ERR_BAD_MESSAGE);
    /* The Kernel capability itself. */
    static struct cap_desc desc = { .type = CAP_FRAME, .rights = CAP_RIGHT_ALL, .bytes = 8192 };
    desc.base = victim_pa;
    ok += forge_report("Kernel.cap_import without the Kernel capability",
                       sys_invoke(CAP_TASK(TASKCN_SLOT_KERNEL), KERNEL_CMD_CAP_IMPORT,
                                  (uint64_t)(uintptr_t)&desc, libos_domain_id(), 0, 0).err,
                       CAP_ERR_SLOT_EMPTY);
    /* The monitor still serves what a client may ask. */
    ok += forge_report("send_cap without a capability", typed(MONITOR_MSG_SEND_CAP, victim, 0),
                       MONITOR_ERR_BAD_MESSAGE);
    /* A VNIC for itself, again and again: a client gets a few in its life,
     * not every VF (each is let go at once, which gives no grant back). */
    for (unsigned i = 0; i <= MONITOR_VNICS_PER_CLIENT; i++) {
        char what[48];
        fmt_snprintf(what, sizeof(what), "VNIC request %u", i + 1);
        ok += forge_report(what, typed(MONITOR_MSG_VNIC_REQUEST, 0x71c, 0),
                           i < MONITOR_VNICS_PER_CLIENT ? ERR_OK : MONITOR_ERR_LIMIT);
        sys_invoke(CAP_TASK(TASKCN_SLOT_ROOTCN), CNODE_CMD_DELETE, CAP_TASK(TASKCN_SLOT_RECV), 0, 0, 0);
    }
    *tried = 12 + MONITOR_VNICS_PER_CLIENT + 1;
    return ok;
}
