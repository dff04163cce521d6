/*
 * boot.c: the PCI bus as a driver of the CPU driver. At boot it maps the
 * first ECAM region the ACPI MCFG names, enumerates every function and
 * enables SR-IOV VFs (`sriov.vfs=N`, default 4 per SR-IOV function), then
 * keeps the table for the device drivers that follow (pci_boot_table).
 */
#include <pci/pci.h>
#include <acpi/acpi.h>
#include <boot/cmdline.h>
#include <console.h>
#include <driver.h>

static struct pci_ecam ecam;
static struct pci_table pci;
static bool pci_found;

struct pci_table *pci_boot_table(void)
{
    return pci_found ? &pci : NULL;
}

static void pci_boot(const struct driver_env *env)
{
    if (env->mcfg->necam == 0)
        return;
    const struct acpi_mcfg_alloc *a = &env->mcfg->ecam[0];
    errval_t err = pci_ecam_init(&ecam, a->base, a->segment, a->bus_start, a->bus_end);
    if (err_is_fail(err)) {
        kprint_err("pci", err);
        return;
    }
    unsigned n = pci_enumerate(&pci, pci_ecam_ops(&ecam));
    kprintf("pci: %u functions found\n", n);
    char vfs[8] = "4";      /* the control plane's default: 4 VFs per SR-IOV NIC */
    cmdline_value("sriov.vfs", vfs, sizeof(vfs));
    pci_sriov_boot(&pci, vfs);
    pci_found = true;
}

DRIVER(pci_driver, DRIVER_ORDER_BUS, "pci", pci_boot);
