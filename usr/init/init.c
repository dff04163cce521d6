/*
 * init.c: the first domain, started by the CPU driver of core 0 with the
 * Kernel capability. It asks every core's CPU driver to start that core's
 * monitor (its own core first), then starts the shell on core 0 and ends.
 * The shell gets the admin endpoint to its monitor (SPAWN_FLAG_ADMIN): it
 * is the one domain whose command lines the monitors run.
 */
#include <libos/debug.h>
#include <libos/libos.h>
#include <libos/syscall.h>
#include <kpi/cspace.h>
#include <kpi/syscall.h>
#include <string.h>

#define KERNEL CAP_TASK(TASKCN_SLOT_KERNEL)

int main(int argc, char *argv[])
{
    uint32_t ncores = (uint32_t)libos_ncores();
    debug_printf("init: starting monitors on %u cores\n", ncores);
    for (uint32_t core = 0; core < ncores; core++) {
        struct sysret r = sys_invoke(KERNEL, KERNEL_CMD_START_MONITOR, core, 0, 0, 0);
        if (err_is_fail(r.err))
            debug_err("init: start monitor", r.err);
    }
    const char *shell = argc > 1 ? argv[1] : "shell";
    static struct spawn_request req;
    strncpy(req.name, shell, sizeof(req.name) - 1);
    req.flags = SPAWN_FLAG_ADMIN;       /* the person at the console may ask for everything */
    struct sysret r = sys_invoke(KERNEL, KERNEL_CMD_SPAWN, (uint64_t)(uintptr_t)&req, 0, 0, 0);
    if (err_is_fail(r.err)) {
        debug_err("init: start the shell", r.err);
        return 1;
    }
    return 0;
}
