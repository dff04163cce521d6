/*
 * driver.c: the igb kernel half as a driver of the CPU driver. At boot
 * (after the PCI bus, drivers/pci/boot.c) it registers what it serves,
 * whether or not a PF turns up, so that a call with no NIC gets the
 * driver's own refusal (IGB_ERR_NOT_UP), then brings the first 82576 PF
 * up unless the command line says `igb=off`:
 *   - Kernel.nics, Kernel.vnic_create, Kernel.filters and the VNIC
 *     capability's commands, through the NIC layer (drivers/net/nic: the
 *     82599 driver registers there too; the NIC that is up serves);
 *   - what happens when a VNIC, Filter, Doorbell or a Frame (it may be
 *     registered for a VF's DMA) goes;
 *   - the timer hook that answers the VFs' mailbox on the NIC's core.
 * Requests from other cores come through its cross-core service
 * (forward.c).
 */
#include <net/igb/pf/igb.h>
#include <net/igb/pf/vnic.h>
#include <net/igb/pf/pf.h>
#include <net/nic/nic.h>
#include <pci/pci.h>
#include <arch/apic.h>
#include <boot/cmdline.h>
#include <cap_hooks.h>
#include <driver.h>
#include <invoke.h>

static const struct invoke_entry kernel_cmds[] = {
    [KERNEL_CMD_NICS]        = { igb_invoke_nics, "Kernel.nics", 0 },
    [KERNEL_CMD_VNIC_CREATE] = { igb_invoke_vnic_create, "Kernel.vnic_create", 0 },
    [KERNEL_CMD_FILTERS]     = { igb_invoke_filters, "Kernel.filters", 0 },
};

static const struct invoke_entry vnic_cmds[] = {
    [VNIC_CMD_MAP_REGS]        = { igb_invoke_map_regs, "VNIC.map_regs", CAP_RIGHT_WRITE },
    [VNIC_CMD_REGISTER_DMA]    = { igb_invoke_register_dma, "VNIC.register_dma", CAP_RIGHT_WRITE },
    [VNIC_CMD_UNREGISTER_DMA]  = { igb_invoke_unregister_dma, "VNIC.unregister_dma", 0 },
    [VNIC_CMD_RATE_SET]        = { igb_invoke_rate_set, "VNIC.rate_set", CAP_RIGHT_WRITE },
    [VNIC_CMD_FILTER_CREATE]   = { igb_invoke_filter_create, "VNIC.filter_create", CAP_RIGHT_WRITE },
    [VNIC_CMD_DOORBELL_CREATE] = { igb_invoke_doorbell_create, "VNIC.doorbell_create",
                                   CAP_RIGHT_WRITE },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static bool igb_up(void) { return igb_pf.up; }

static const struct nic_ops igb_nic_ops = {
    .name = "82576", .up = igb_up,
    .kernel_cmds = kernel_cmds, .nkernel = N(kernel_cmds),
    .vnic_cmds = vnic_cmds, .nvnic = N(vnic_cmds),
    .unserved = SYS_ERR_ILLEGAL_INVOCATION,
};

static void igb_boot(const struct driver_env *env)
{
    nic_register(&igb_nic_ops);
    cap_removed_register(CAP_FRAME, igb_dma_frame_removed);
    cap_removed_register(CAP_VNIC, igb_vnic_removed);
    cap_removed_register(CAP_FILTER, igb_filter_removed);
    timer_hook_register(igb_tick);
    struct pci_table *t = pci_boot_table();
    if (t && !cmdline_has("igb=off"))
        igb_pf_init(t);
}

DRIVER(igb_driver, DRIVER_ORDER_DEVICE, "igb", igb_boot);
