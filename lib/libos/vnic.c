/*
 * vnic.c: a VNIC from the monitor, and the VNIC capability's invocations
 * that any NIC driver's user half needs (Filter, Doorbell). Nothing here
 * knows the device: the VF's own registers and mailbox are its driver's
 * user half (drivers/net/igb/vf/).
 */
#include <libos/vnic.h>
#include <libos/libos.h>
#include <libos/lmp.h>
#include <libos/syscall.h>
#include <kpi/cspace.h>
#include <kpi/monitor.h>

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
