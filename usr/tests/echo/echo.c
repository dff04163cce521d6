/* echo: sleep until a message; answer every MONITOR_MSG_PING with a
 * MONITOR_MSG_PONG to this core's monitor. Proves a domain still runs. */
#include <libos/debug.h>
#include <libos/libos.h>
#include <libos/lmp.h>
#include <kpi/cspace.h>
#include <kpi/monitor.h>

int main(int argc, char *argv[])
{
    debug_printf("echo: domain %#x waiting for pings on core %u\n", libos_domain_id(),
                 libos_core_id());
    for (;;) {
        struct lmp_msg m;
        errval_t err = lmp_recv(&m);
        if (err_is_fail(err)) {
            debug_err("echo: receive", err);
            return 1;
        }
        if (m.words[0] != MONITOR_MSG_PING)
            continue;
        err = lmp_send(CAP_TASK(TASKCN_SLOT_MONITOREP), MONITOR_MSG_PONG, m.words[1],
                       libos_domain_id(), 0);
        if (err_is_fail(err))
            debug_err("echo: answer", err);
    }
}
