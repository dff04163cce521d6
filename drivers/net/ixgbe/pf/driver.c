/*
 * driver.c: the 82599 kernel half as a driver of the CPU driver. At boot
 * (after the PCI bus) it brings the first 82599 PF up unless the command
 * line says `ixgbe=off`, and registers its mailbox tick. In QEMU no
 * 82599 exists, so it logs that none was found and does nothing more.
 *
 * Not yet done: the VNIC/Filter/Doorbell/Rate capabilities are served by
 * the igb driver's tables (drivers/net/igb/pf/driver.c); serving them for
 * both NICs through one table of per-NIC operations is the next step, so
 * on an X520 machine the PF, its link and its VFs' mailbox come up but a
 * domain cannot yet be handed a VNIC of it.
 */
#include <net/ixgbe/pf/ixgbe.h>
#include <pci/pci.h>
#include <arch/apic.h>
#include <boot/cmdline.h>
#include <driver.h>

static void ixgbe_boot(const struct driver_env *env)
{
    struct pci_table *t = pci_boot_table();
    if (!t || cmdline_has("ixgbe=off"))
        return;
    ixgbe_pf_init(t);
    if (ixgbe_pf.up)
        timer_hook_register(ixgbe_tick);
}

DRIVER(ixgbe_driver, DRIVER_ORDER_DEVICE, "ixgbe", ixgbe_boot);
