/*
 * main.c: the VSIC emulation service. Started by the shell at boot on its
 * own core (`nvme vsicd` through that core's monitor, which gives it the
 * NVMe controller as a capability); brings the controller up, reads the
 * VSA table from the disk, then polls: its messages (clients' hellos,
 * the monitor's grants, rates and listings), every VSIC's request ring,
 * the controller's completions. Idle for IDLE_MS, it sleeps until the
 * next tick. `vsicd selftest` first exercises the driver (selftest.c).
 */
#include "vsicd.h"
#include "vsa.h"
#include <libos/debug.h>
#include <libos/libos.h>
#include <libos/lmp.h>
#include <libos/syscall.h>
#include <libos/tsc.h>
#include <kpi/cspace.h>
#include <kpi/monitor.h>
#include <string.h>

#define IDLE_MS 20
#define CHECK_S 1               /* how often the VSICs' holders are asked after */

static void on_message(const struct lmp_msg *m)
{
    if (m->words[0] == MONITOR_MSG_CAP) {
        /* A Frame lent from another core: our monitor imported it, and
         * word 2 is the domain that sent it (the monitors fill it in). */
        if ((m->words[1] & 0xffff) == VSIC_HELLO_TAG && m->cap_slot == CAP_TASK(TASKCN_SLOT_RECV) &&
            m->sender == vsicd_monitor)
            vsic_hello((uint32_t)m->words[2], m->words[1]);
        else if (m->cap_slot)
            sys_invoke(CAP_TASK(TASKCN_SLOT_ROOTCN), CNODE_CMD_DELETE, m->cap_slot, 0, 0, 0);
        return;
    }
    if (m->words[0] == MONITOR_MSG_RESULT) {
        if (err_is_fail((errval_t)m->words[2]))
            debug_printf("vsicd: the monitor refused request %lu: %s\n", m->words[1],
                         err_name(err_no((errval_t)m->words[2])));
        return;
    }
    if (m->sender != vsicd_monitor) {
        debug_printf("vsicd: message %lu from domain %#x ignored: only our monitor grants\n",
                     m->words[0], m->sender);
        return;
    }
    switch (m->words[0]) {
    case MONITOR_MSG_VSA_GRANT:
        vsic_grant((uint32_t)m->words[1], (uint32_t)(m->words[1] >> 32), m->words[2]);
        break;
    case MONITOR_MSG_VSA_RATE:
        vsic_rate((uint32_t)m->words[1], (uint32_t)m->words[2], (uint32_t)(m->words[2] >> 32));
        break;
    case MONITOR_MSG_VSA_LIST:
        vsic_list();
        break;
    }
}

int main(int argc, char *argv[])
{
    errval_t err = vsicd_ctrl_open();
    if (err_is_ok(err))
        err = vsa_init();
    if (err_is_fail(err)) {
        debug_err("vsicd: no NVMe controller", err);
        return 1;
    }
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "selftest") == 0)
            vsicd_selftest();
    uint64_t idle_since = rdtsc_now(), idle = libos_tsc_hz() / 1000 * IDLE_MS;
    uint64_t checked = rdtsc_now(), check = libos_tsc_hz() * CHECK_S;
    for (;;) {
        bool work = false;
        struct lmp_msg m;
        while (err_is_ok(lmp_poll(&m))) {
            on_message(&m);
            work = true;
        }
        work |= vsic_poll();
        work |= nvme_poll(&vsicd_nvme, vsicd_complete, NULL) > 0;
        if (work || vsicd_nvme.inflight)
            idle_since = rdtsc_now();
        else if (rdtsc_now() - idle_since > idle)
            sys_yield(SYS_YIELD_BLOCK);     /* until a message or the next tick */
        if (rdtsc_now() - checked > check) {
            vsic_check();
            checked = rdtsc_now();
        }
    }
}
