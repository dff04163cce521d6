/*
 * driver.c: the 82599 kernel half as a driver of the CPU driver. At boot
 * (after the PCI bus) it registers with the NIC layer (drivers/net/nic:
 * the one entry point of the NIC commands, which the 82576 driver uses
 * too), brings the first 82599 PF up unless the command line says
 * `ixgbe=off`, and registers its mailbox tick. In QEMU no 82599 exists:
 * it logs that none was found, and the 82576 serves the NIC commands.
 *
 * When it is the NIC that is up, the VNIC layer serves Kernel.nics,
 * Kernel.vnic_create, Kernel.filters and every VNIC, Filter, Doorbell and
 * Rate call for it, through the 82599's operations (nichw.c), exactly as
 * for the 82576.
 */
#include <net/ixgbe/pf/ixgbe.h>
#include <pci/pci.h>
#include <arch/apic.h>
#include <boot/cmdline.h>
#include <driver.h>

static void ixgbe_boot(const struct driver_env *env)
{
    ixgbe_nic_register();
    struct pci_table *t = pci_boot_table();
    if (!t || cmdline_has("ixgbe=off"))
        return;
    ixgbe_pf_init(t);
    if (ixgbe_pf.up)
        timer_hook_register(ixgbe_tick);
}

DRIVER(ixgbe_driver, DRIVER_ORDER_DEVICE, "ixgbe", ixgbe_boot);
