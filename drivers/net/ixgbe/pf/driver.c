/*
 * driver.c: the 82599 kernel half as a driver of the CPU driver. At boot
 * (after the PCI bus) it registers with the NIC layer (drivers/net/nic:
 * the one entry point of the NIC commands, which the 82576 driver uses
 * too), brings the first 82599 PF up unless the command line says
 * `ixgbe=off`, and registers its mailbox tick. In QEMU no 82599 exists:
 * it logs that none was found, and the 82576 serves the NIC commands.
 *
 * What it serves when it is the NIC that is up: Kernel.nics (the PF and
 * its VFs). Not yet: Kernel.vnic_create, Kernel.filters and the VNIC
 * commands, refused by name (IXGBE_ERR_NO_VNIC_YET): the Filter compiler
 * and the rate factor exist and are tested (filter_compile.c), hw.c
 * writes them, but the VNIC capability's bookkeeping (which VF belongs to
 * whom, its DMA Frames, its doorbell) is still the 82576 driver's own.
 */
#include <net/ixgbe/pf/ixgbe.h>
#include <net/nic/nic.h>
#include <pci/pci.h>
#include <arch/apic.h>
#include <boot/cmdline.h>
#include <driver.h>
#include <dispatch.h>
#include <core.h>
#include <string.h>

static struct sysret ixgbe_invoke_nics(struct invocation *inv)
{
    struct dcb *d = inv->d;
    uint64_t max = inv->arg[1];
    if (!ixgbe_pf.up)
        return (struct sysret){ IGB_ERR_NOT_UP, 0 };
    if (ixgbe_pf.owner_core != this_core()->id)
        return (struct sysret){ IGB_ERR_NOT_OWNER, ixgbe_pf.owner_core };
    if (max > IXGBE_MAX_VFS + 1)
        max = IXGBE_MAX_VFS + 1;
    if (!vspace_user_range(&d->vspace, inv->arg[0], max * sizeof(struct nic_info), true))
        return (struct sysret){ SYS_ERR_BAD_USER_POINTER, 0 };
    bool link = ixgbe_rd(IXGBE_LINKS) & IXGBE_LINKS_UP;
    uint64_t n = 0;
    for (int i = -1; i < (int)ixgbe_pf.nvfs && n < max; i++, n++) {
        struct nic_info info = {
            .rid = i < 0 ? ixgbe_pf.rid : 0, .vf = i, .vendor = IXGBE_VENDOR_INTEL,
            .device = i < 0 ? IXGBE_DEV_82599_SFP : IXGBE_DEV_82599_VF, .link_up = link,
            .pool = i < 0 ? ixgbe_pf.nvfs : (uint32_t)i,
        };
        memcpy(info.mac, i < 0 ? ixgbe_pf.mac : ixgbe_pf.vf[i].mac, sizeof(info.mac));
        errval_t err = vspace_copy_in(&d->vspace, inv->arg[0] + n * sizeof(info), &info, sizeof(info));
        if (err_is_fail(err))
            return (struct sysret){ invoke_refuse_arg(inv, 1, err, 0, 0), n };
    }
    return (struct sysret){ ERR_OK, n };
}

static const struct invoke_entry kernel_cmds[] = {
    [KERNEL_CMD_NICS] = { ixgbe_invoke_nics, "Kernel.nics", 0 },
};

static bool ixgbe_up(void) { return ixgbe_pf.up; }

static const struct nic_ops ixgbe_nic_ops = {
    .name = "82599", .up = ixgbe_up,
    .kernel_cmds = kernel_cmds, .nkernel = sizeof(kernel_cmds) / sizeof(kernel_cmds[0]),
    .unserved = IXGBE_ERR_NO_VNIC_YET,
};

static void ixgbe_boot(const struct driver_env *env)
{
    nic_register(&ixgbe_nic_ops);
    struct pci_table *t = pci_boot_table();
    if (!t || cmdline_has("ixgbe=off"))
        return;
    ixgbe_pf_init(t);
    if (ixgbe_pf.up)
        timer_hook_register(ixgbe_tick);
}

DRIVER(ixgbe_driver, DRIVER_ORDER_DEVICE, "ixgbe", ixgbe_boot);
