/*
 * nics.c: Kernel.nics, what the shell's `nics` shows: the igb PF and each
 * VF with its MAC address, VMDq pool and the domain holding it as a VNIC. Answered only on the core that
 * owns the NIC; control-plane calls from other cores go through the
 * monitors to that core.
 */
#include <net/igb/pf/pf.h>
#include <net/igb/pf/vnic.h>
#include <invoke.h>
#include <dispatch.h>
#include <core.h>
#include <string.h>

#define NIC_VENDOR_INTEL 0x8086
#define NIC_DEVICE_PF    0x10c9
#define NIC_DEVICE_VF    0x10ca

struct sysret igb_invoke_nics(struct invocation *inv)
{
    struct dcb *d = inv->d;
    uint64_t max = inv->arg[1];
    if (!igb_pf.up)
        return (struct sysret){ IGB_ERR_NOT_UP, 0 };
    if (igb_pf.owner_core != this_core()->id)
        return (struct sysret){ IGB_ERR_NOT_OWNER, igb_pf.owner_core };
    if (max > IGB_MAX_VFS + 1)
        max = IGB_MAX_VFS + 1;
    if (!vspace_user_range(&d->vspace, inv->arg[0], max * sizeof(struct nic_info), true))
        return (struct sysret){ SYS_ERR_BAD_USER_POINTER, 0 };
    bool link = igb_rd(IGB_STATUS) & IGB_STATUS_LU;
    uint64_t n = 0;
    for (int i = -1; i < (int)igb_pf.nvfs && n < max; i++, n++) {
        struct nic_info info = {
            .rid = i < 0 ? igb_pf.rid : igb_pf.vf_rid[i], .vf = i,
            .vendor = NIC_VENDOR_INTEL, .device = i < 0 ? NIC_DEVICE_PF : NIC_DEVICE_VF,
            .link_up = link, .pool = i < 0 ? IGB_PF_POOL : (uint32_t)i,
            .holder = i < 0 ? 0 : igb_vnic_holder((unsigned)i),
        };
        memcpy(info.mac, i < 0 ? igb_pf.mac : igb_pf.vf[i].mac, sizeof(info.mac));
        errval_t err = vspace_copy_in(&d->vspace, inv->arg[0] + n * sizeof(info), &info, sizeof(info));
        if (err_is_fail(err))
            return (struct sysret){ invoke_refuse_arg(inv, 1, err, 0, 0), n };
    }
    return (struct sysret){ ERR_OK, n };
}
