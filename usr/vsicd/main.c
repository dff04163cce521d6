/*
 * main.c: the VSIC emulation service. Started by the shell at boot on its
 * own core (`nvme vsicd` through that core's monitor, which gives it the
 * NVMe controller as a capability); brings the controller up, reads the
 * VSA table from the disk, then polls: its messages (clients' hellos,
 * the monitor's rates and listings), every VSIC's request ring,
 * the controller's completions, and rings the doorbells of clients that
 * sleep and got completions. With nothing to do for SPIN_US (or with
 * commands in flight for INFLIGHT_SPIN_US) it sleeps: it tells the
 * clients to kick it (vsic_sleeping), arms its Doorbell (the controller's
 * MSI-X entry is unmasked, kicks may interrupt again), looks once more,
 * and blocks until a completion's interrupt, a client's kick, a message
 * or the next tick. Without a Doorbell it polls for IDLE_MS and then
 * sleeps until the next tick. `vsicd selftest` first exercises the driver
 * (selftest.c); `vsicd probe` first asks the kernel for what it must
 * refuse the service (vsic_bell_probe). Both are test arguments: their
 * refusals are logged on the console, so a plain boot runs neither.
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

#define IDLE_MS 20              /* without a Doorbell */
#define SPIN_US 100             /* nothing in flight: poll this long, then sleep */
#define INFLIGHT_SPIN_US 300    /* commands in flight: their interrupt wakes us after */
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
    if (m->words[0] == MONITOR_MSG_VSA_GONE && m->badge == LMP_BADGE_KERNEL) {
        vsic_vsa_gone((uint32_t)m->words[1]);   /* a hint: the kernel is asked again */
        return;
    }
    if (m->sender != vsicd_monitor) {
        debug_printf("vsicd: message %lu from domain %#x ignored: only our monitor sets rates\n",
                     m->words[0], m->sender);
        return;
    }
    switch (m->words[0]) {
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
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "selftest") == 0)
            vsicd_selftest();
        else if (strcmp(argv[i], "probe") == 0 && vsicd_have_bell)
            vsic_bell_probe();
    }
    uint64_t idle_since = rdtsc_now(), idle = libos_tsc_hz() / 1000 * IDLE_MS;
    uint64_t spin = libos_tsc_hz() / 1000000 * SPIN_US;
    uint64_t spin_inflight = libos_tsc_hz() / 1000000 * INFLIGHT_SPIN_US;
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
        vsic_ring_clients();
        if (!vsicd_have_bell) {
            if (work || vsicd_nvme.inflight)
                idle_since = rdtsc_now();
            else if (rdtsc_now() - idle_since > idle)
                sys_yield(SYS_YIELD_BLOCK);     /* until a message or the next tick */
        } else if (work) {
            idle_since = rdtsc_now();
        } else if (rdtsc_now() - idle_since > (vsicd_nvme.inflight ? spin_inflight : spin)) {
            vsic_sleeping(true);
            errval_t armed = sys_invoke(vsicd_bell, DOORBELL_CMD_ARM, 0, 0, 0, 0).err;
            __atomic_thread_fence(__ATOMIC_SEQ_CST);
            if (err_is_ok(armed) && !vsic_pending() && !nvme_cq_pending(&vsicd_nvme)) {
                vsicd_sleeps++;
                /* Until the controller's interrupt, a kick, a message or
                 * the next tick; a ring since the arm, or a message, keeps
                 * us awake (the kernel's wake_pending, its LMP check). */
                sys_yield(SYS_YIELD_BLOCK);
            }
            vsic_sleeping(false);
            idle_since = rdtsc_now();
        }
        if (rdtsc_now() - checked > check) {
            vsic_check();
            checked = rdtsc_now();
        }
    }
}
