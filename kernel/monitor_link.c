/*
 * monitor_link.c: the CPU driver's two small conversations outside
 * syscalls. A domain's end is reported to the monitor of its core as an
 * LMP message (MONITOR_MSG_EXIT, id, status), so the monitor can tell
 * whoever waits for it. And init may ask, through any core's mailbox
 * (kernel/mailbox.c), for that core's monitor to start.
 */
#include <monitor_link.h>
#include <dispatch.h>
#include <spawn.h>
#include <core.h>
#include <console.h>
#include <string.h>
#include <kpi/monitor.h>

void monitor_notify_exit(struct dcb *d)
{
    struct dcb *m = dispatch_monitor();
    if (!m || m == d)
        return;
    uint64_t w[LMP_WORDS] = { MONITOR_MSG_EXIT, d->id, (uint64_t)(int64_t)d->exit_status, d->state };
    dispatch_deliver(m, w, 0);          /* a full ring: the monitor sees it in ps */
}

void monitor_link_start(void)
{
    uint32_t id;
    errval_t err = spawn_domain("monitor", "", true, &id);
    if (err_is_fail(err))
        kprint_err("monitor: cannot start on this core", err);
}
