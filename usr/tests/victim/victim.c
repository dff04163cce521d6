/* victim: a domain whose memory another domain's VF must not reach. Fills
 * a Frame of its own with a pattern, says where it is (physical address),
 * then on every ping checks the pattern and answers. */
#include <libos/debug.h>
#include <libos/libos.h>
#include <libos/lmp.h>
#include <libos/syscall.h>
#include <kpi/cspace.h>
#include <kpi/dispatcher.h>
#include <kpi/monitor.h>
#include <kpi/syscall.h>

#define ROOTCN CAP_TASK(TASKCN_SLOT_ROOTCN)
#define WORDS 512
#define PATTERN 0x5ca1ab1e00000000ull

int main(int argc, char *argv[])
{
    struct cap_identity id;
    errval_t err = sys_invoke(ROOTCN, CNODE_CMD_RETYPE, CAP_TASK(TASKCN_SLOT_RAM), CAP_FRAME | 12 << 8,
                              1, CAP_SLOT(0)).err;
    if (err_is_ok(err))
        err = sys_invoke(CAP_SLOT(0), FRAME_CMD_MAP, USER_MAP_BASE, FRAME_MAP_WRITE, 0, 0).err;
    if (err_is_ok(err))
        err = sys_invoke(ROOTCN, CNODE_CMD_IDENTIFY, CAP_SLOT(0), (uint64_t)(uintptr_t)&id, 0, 0).err;
    if (err_is_fail(err)) {
        debug_err("victim: canary frame", err);
        return 1;
    }
    volatile uint64_t *c = (volatile uint64_t *)(uintptr_t)USER_MAP_BASE;
    for (unsigned i = 0; i < WORDS; i++)
        c[i] = PATTERN + i;
    debug_printf("victim: domain %#x canary at physical %#lx\n", libos_domain_id(), id.base);
    for (;;) {
        struct lmp_msg m;
        if (err_is_fail(lmp_recv(&m)))
            return 1;
        if (m.words[0] != MONITOR_MSG_PING)
            continue;
        unsigned bad = 0;
        for (unsigned i = 0; i < WORDS; i++)
            bad += c[i] != PATTERN + i;
        debug_printf("victim: canary %s\n", bad ? "OVERWRITTEN" : "intact");
        lmp_send(CAP_TASK(TASKCN_SLOT_MONITOREP), MONITOR_MSG_PONG, m.words[1], libos_domain_id(), 0);
    }
}
