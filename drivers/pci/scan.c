/*
 * scan.c: the first PCIe scan: every bus the ECAM region covers, every
 * device, every function of a multi-function device, one log line each.
 * (Bridge-aware enumeration with BAR sizing comes with the control-plane
 * issue; the firmware has already numbered the buses behind bridges.)
 */
#include <pci/pci.h>
#include <console.h>

static const struct { uint8_t cls, sub; const char *name; } class_names[] = {
    { 0x01, 0x01, "IDE controller" }, { 0x01, 0x06, "SATA controller" },
    { 0x01, 0x08, "NVMe controller" }, { 0x02, 0x00, "Ethernet controller" },
    { 0x03, 0x00, "VGA display" }, { 0x06, 0x00, "host bridge" },
    { 0x06, 0x01, "ISA bridge" }, { 0x06, 0x04, "PCI bridge" },
    { 0x0c, 0x05, "SMBus controller" }, { 0x08, 0x06, "IOMMU" },
};

const char *pci_class_name(uint8_t cls, uint8_t sub)
{
    for (unsigned i = 0; i < sizeof(class_names) / sizeof(class_names[0]); i++)
        if (class_names[i].cls == cls && class_names[i].sub == sub)
            return class_names[i].name;
    return "device";
}

static bool log_function(const struct pci_ecam *e, uint8_t bus, uint8_t dev, uint8_t fn)
{
    uint16_t vendor = pci_cfg_read16(e, bus, dev, fn, PCI_VENDOR_ID);
    if (vendor == PCI_VENDOR_NONE)
        return false;
    uint16_t device = pci_cfg_read16(e, bus, dev, fn, PCI_DEVICE_ID);
    uint32_t cr = pci_cfg_read32(e, bus, dev, fn, PCI_CLASS_REV);
    uint8_t cls = cr >> 24, sub = (cr >> 16) & 0xff;
    kprintf("pci %02x:%02x.%x %04x:%04x class %02x.%02x %s\n",
            bus, dev, fn, vendor, device, cls, sub, pci_class_name(cls, sub));
    return true;
}

unsigned pci_scan_log(const struct pci_ecam *e)
{
    unsigned found = 0;
    for (unsigned bus = e->bus_start; bus <= e->bus_end; bus++) {
        for (uint8_t dev = 0; dev < 32; dev++) {
            if (!log_function(e, (uint8_t)bus, dev, 0))
                continue;
            found++;
            uint8_t ht = pci_cfg_read8(e, (uint8_t)bus, dev, 0, PCI_HEADER_TYPE);
            if (!(ht & PCI_HEADER_MULTIFUNCTION))
                continue;
            for (uint8_t fn = 1; fn < 8; fn++)
                found += log_function(e, (uint8_t)bus, dev, fn);
        }
    }
    return found;
}
