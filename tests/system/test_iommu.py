"""VT-d DMA remapping (drivers/iommu/vtd), checked from the serial log:
the unit QEMU's intel-iommu presents, translation on by default, the boot
unharmed with it on and with iommu=off, and the in-kernel self test."""
import re

BOOT_COMPLETE = r"^arrakis: boot complete on core 0$"
UNIT = (r"^vtd: unit at 0xfed90000, version 1\.0, SAGAW 39-bit/3-level 48-bit/4-level, "
        r"MGAW 48, 1 fault record, QI yes")


def test_dmar_and_unit_found(bios_boot):
    # Does the driver find QEMU's one remapping unit through the ACPI DMAR?
    bios_boot.expect(r"^vtd: DMAR: host address width 48, 1 remapping unit, 0 reserved regions",
                     "DMAR summary")
    bios_boot.expect(UNIT, "unit line (base, version, SAGAW, MGAW, fault records, QI)")


def test_translation_on_by_default_and_boot_completes(bios_boot):
    # With every device blocked, does the rest of the boot still complete?
    bios_boot.expect(r"^vtd: translation enabled on 1 unit", "translation not enabled")
    bios_boot.expect(BOOT_COMPLETE, "boot did not complete with the IOMMU on")
    assert bios_boot.status == 0, f"guest exit status {bios_boot.status}, see {bios_boot.logfile}"
    # Nothing in the kernel does DMA yet, so nothing may fault.
    assert not bios_boot.lines(r"^vtd: DMA fault"), "unexpected DMA faults"


def test_iommu_off_leaves_translation_off(boot):
    # Does iommu=off keep the unit's translation disabled, and boot?
    b = boot(smp=1, cmdline="halt=poweroff iommu=off")
    b.expect(UNIT, "the unit is still probed and logged")
    b.expect(r"^vtd: iommu=off: translation left disabled", "iommu=off not honoured")
    assert not b.lines(r"^vtd: translation enabled"), "translation enabled despite iommu=off"
    b.expect(BOOT_COMPLETE, "boot did not complete with iommu=off")
    assert b.status == 0, f"guest exit status {b.status}, see {b.logfile}"


def test_selftest_maps_attaches_and_walks(boot):
    # Does a test domain map, attach and translate through the tables the
    # hardware was given (RTADDR), then come apart cleanly?
    b = boot(smp=1, cmdline="halt=poweroff iommu.selftest")
    assert not b.lines(r"^vtd: selftest FAILED"), b.lines(r"^vtd: selftest FAILED")
    m = re.search(r"^vtd: selftest: domain (\d+), 4-level table; iova 0x100000 -> (0x[0-9a-f]+) "
                  r"\(rw\), 0x101000 -> (0x[0-9a-f]+) \(r\) walked from RTADDR", b.log, re.M)
    assert m, f"no selftest walk line in {b.logfile}"
    assert int(m.group(3), 16) == int(m.group(2), 16) + 0x1000, "pages not where they were mapped"
    b.expect(r"^vtd: selftest passed", "selftest did not pass")
    b.expect(BOOT_COMPLETE, "boot did not complete after the selftest")
