/*
 * driver.c: the igb kernel half as a driver of the CPU driver. At boot
 * (after the PCI bus, drivers/pci/boot.c) it registers the 82576's
 * hardware operations with the VNIC layer (drivers/net/nic, which serves
 * Kernel.nics, Kernel.vnic_create, Kernel.filters and the VNIC
 * capability's commands for every NIC, and keeps the VNICs' book),
 * whether or not a PF turns up, so that a call with no NIC gets a named
 * refusal (IGB_ERR_NOT_UP); then it brings the first 82576 PF up unless
 * the command line says `igb=off`, and registers the timer hook that
 * answers the VFs' mailbox on the NIC's core.
 */
#include <net/igb/pf/igb.h>
#include <net/igb/pf/nichw.h>
#include <net/igb/pf/pf.h>
#include <pci/pci.h>
#include <arch/apic.h>
#include <boot/cmdline.h>
#include <driver.h>

static void igb_boot(const struct driver_env *env)
{
    igb_nic_register();
    timer_hook_register(igb_tick);
    struct pci_table *t = pci_boot_table();
    if (t && !cmdline_has("igb=off"))
        igb_pf_init(t);
}

DRIVER(igb_driver, DRIVER_ORDER_DEVICE, "igb", igb_boot);
