/*
 * monitor_link.c: the CPU driver's two small conversations outside
 * syscalls. A domain's end is reported to the monitor of its core as an
 * LMP message (MONITOR_MSG_EXIT, id, status), so the monitor can tell
 * whoever waits for it. And init may ask any core to start its monitor:
 * a cross-core request (kernel/xcall.c) to this file's service there.
 */
#include <monitor_link.h>
#include <dispatch.h>
#include <spawn.h>
#include <core.h>
#include <console.h>
#include <string.h>
#include <kpi/monitor.h>
#include <xcall.h>

void monitor_notify_exit(struct dcb *d)
{
    struct dcb *m = dispatch_monitor();
    if (!m || m == d)
        return;
    uint64_t w[LMP_WORDS] = { MONITOR_MSG_EXIT, d->id, (uint64_t)(int64_t)d->exit_status, d->state };
    dispatch_deliver(m, w, 0);          /* a full ring: the monitor sees it in ps */
}

/* On the target core: start its monitor (nobody waits for the answer;
 * a failure is said on the console). */
static struct xcall_answer serve(const struct xcall_msg *m, uint32_t from)
{
    uint32_t id;
    errval_t err = spawn_domain("monitor", "", true, &id);
    if (err_is_fail(err))
        kprint_err("monitor: cannot start on this core", err);
    return (struct xcall_answer){ err, { id, 0 } };
}

XCALL_SERVICE(monitor_link_service, "monitor_link", serve);

errval_t monitor_link_start(uint32_t core, uint32_t *id)
{
    *id = 0;
    if (core == this_core()->id)
        return spawn_domain("monitor", "", true, id);
    struct xcall_msg m = xcall_msg(&monitor_link_service, 0, NULL, 0);
    return xcall_send(core, &m, NULL, NULL);
}
