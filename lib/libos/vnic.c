/*
 * vnic.c: a VNIC from the monitor, and the VF's half of the mailbox
 * (the VF's register window is in drivers/net/igb/regs.h; the protocol is
 * Linux igbvf's, which the PF driver in drivers/net/igb answers on its
 * timer tick).
 */
#include <libos/vnic.h>
#include <libos/libos.h>
#include <libos/lmp.h>
#include <libos/syscall.h>
#include <libos/tsc.h>
#include <kpi/cspace.h>
#include <kpi/monitor.h>
#include <net/igb/regs.h>

#define MAILBOX_TIMEOUT_S 2

#define VNIC_TAG 0x71c

errval_t vnic_acquire(unsigned *vf)
{
    errval_t err = lmp_send(CAP_TASK(TASKCN_SLOT_MONITOREP), MONITOR_MSG_VNIC_REQUEST, VNIC_TAG, 0, 0);
    bool have = false;
    while (err_is_ok(err)) {
        struct lmp_msg m;
        if (err_is_fail(err = lmp_recv(&m)))
            break;
        if (m.words[0] == MONITOR_MSG_CAP && m.words[1] == VNIC_TAG &&
            m.cap_slot == CAP_TASK(TASKCN_SLOT_RECV)) {
            have = true;
            *vf = (unsigned)m.words[2];
        } else if (m.words[0] == MONITOR_MSG_RESULT && m.words[1] == MONITOR_MSG_VNIC_REQUEST) {
            err = (errval_t)m.words[2];
            break;
        }
    }
    return err_is_ok(err) && !have ? SYS_ERR_NO_DOMAIN : err;
}

static uint32_t rd(volatile uint8_t *r, unsigned off) { return *(volatile uint32_t *)(r + off); }
static void wr(volatile uint8_t *r, unsigned off, uint32_t v) { *(volatile uint32_t *)(r + off) = v; }

errval_t vnic_mailbox(volatile uint8_t *regs, const uint32_t *msg, unsigned n, uint32_t reply[4])
{
    wr(regs, IGBVF_V2PMAILBOX, IGBVF_V2P_VFU);
    if (!(rd(regs, IGBVF_V2PMAILBOX) & IGBVF_V2P_VFU))
        return SYS_ERR_BUSY;                    /* the PF holds the buffer */
    for (unsigned i = 0; i < n; i++)
        wr(regs, IGBVF_VMBMEM + 4 * i, msg[i]);
    wr(regs, IGBVF_V2PMAILBOX, IGBVF_V2P_REQ);
    uint64_t deadline = rdtsc_now() + MAILBOX_TIMEOUT_S * libos_tsc_hz();
    while (!(rd(regs, IGBVF_V2PMAILBOX) & IGBVF_V2P_PFSTS)) {
        if (rdtsc_now() > deadline)
            return MONITOR_ERR_TIMEOUT;
        sys_yield(SYS_YIELD_BLOCK);             /* the PF answers on its tick */
    }
    for (unsigned i = 0; i < 4; i++)
        reply[i] = rd(regs, IGBVF_VMBMEM + 4 * i);
    wr(regs, IGBVF_V2PMAILBOX, IGBVF_V2P_ACK);
    return ERR_OK;
}

errval_t vnic_filter_create(capaddr_t vnic, const struct filter_spec *spec, capaddr_t dest,
                            uint32_t *id)
{
    struct sysret r = sys_invoke(vnic, VNIC_CMD_FILTER_CREATE, (uint64_t)(uintptr_t)spec, dest, 0, 0);
    if (err_is_ok(r.err) && id)
        *id = (uint32_t)r.value;
    return r.err;
}

errval_t vnic_doorbell_create(capaddr_t vnic, unsigned msix_entry, capaddr_t dest)
{
    return sys_invoke(vnic, VNIC_CMD_DOORBELL_CREATE, msix_entry, dest, 0, 0).err;
}
