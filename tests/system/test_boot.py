"""The boot foundation, checked from the outside: the serial log of real
boots under QEMU (q35, intel-iommu, igb, NVMe), by BIOS and by UEFI."""
import re

import pytest

BOOT_COMPLETE = r"^arrakis: boot complete on core 0$"


def test_banner_and_clean_poweroff(bios_boot):
    # Does the CPU driver announce itself and reach the end of its boot?
    bios_boot.expect(r"^arrakis \S+: CPU driver starting on the bootstrap core$", "banner")
    bios_boot.expect(BOOT_COMPLETE, "boot did not complete")
    assert bios_boot.status == 0, f"guest exit status {bios_boot.status}, see {bios_boot.logfile}"


def test_memory_map_and_kernel_page_tables(bios_boot):
    # Is the loader's memory map used, and are the kernel's own tables live?
    bios_boot.expect(r"^mm: \d+ MiB usable, \d+ MiB free for allocation$", "allocator summary")
    usable = int(re.search(r"^mm: (\d+) MiB usable", bios_boot.log, re.M).group(1))
    assert 900 <= usable <= 1024, f"{usable} MiB usable with -m 1024"
    bios_boot.expect(r"^paging: kernel page tables active", "kernel page tables")


@pytest.mark.parametrize("smp", [1, 2, 4])
def test_madt_lists_every_core(boot, smp):
    # Does the MADT walk find exactly the cores QEMU was given?
    b = boot(smp=smp)
    m = re.search(r"^acpi: MADT lists (\d+) cores:(.*)$", b.log, re.M)
    assert m, f"no MADT line in {b.logfile}"
    assert int(m.group(1)) == smp, f"MADT lists {m.group(1)} cores, -smp {smp}"
    assert m.group(2).split()[1::2] == [str(i) for i in range(smp)], "APIC ids"
    # ...and does every one of them come up as its own CPU driver?
    up = b.lines(r"^core \d+ up \(apic \d+\)")
    assert sorted(l.split()[1] for l in up) == [str(i) for i in range(1, smp)], f"core up lines: {up}"
    b.expect(rf"^smp: {smp} of {smp} cores up$", "smp summary")


def test_apic_timer_ticks(bios_boot):
    # Does the local APIC timer deliver interrupts after calibration?
    bios_boot.expect(r"^apic: (x2APIC|xAPIC), id 0; timer \d+ kHz; tsc \d+ MHz$", "APIC line")
    bios_boot.expect(r"^apic: timer ticking at 100 Hz", "timer never ticked")


def test_pci_scan_finds_igb_and_nvme(bios_boot):
    # Does the ECAM scan list the 82576 PF and the NVMe controller?
    bios_boot.expect(r"^acpi: MCFG ECAM at 0xb0000000, segment 0, buses 00-ff$", "MCFG")
    igb = bios_boot.lines(r"^pci [0-9a-f]{2}:[0-9a-f]{2}\.[0-7] 8086:10c9 class 02\.00")
    nvme = bios_boot.lines(r"^pci [0-9a-f]{2}:[0-9a-f]{2}\.[0-7] [0-9a-f]{4}:[0-9a-f]{4} class 01\.08")
    assert len(igb) == 1, f"igb PF lines: {igb}"
    assert len(nvme) == 1, f"NVMe lines: {nvme}"


def test_uefi_boot_reaches_the_same_point(bios_boot, uefi_boot):
    # Does the same ISO boot through OVMF and find the same machine?
    uefi_boot.expect(BOOT_COMPLETE, "UEFI boot did not complete")
    assert uefi_boot.status == 0
    uefi_boot.expect(r"^acpi: revision 2, .* XSDT$", "UEFI firmware gives an XSDT")
    assert uefi_boot.lines(r"^pci ") == bios_boot.lines(r"^pci "), "PCI scans differ"
    assert uefi_boot.lines(r"^acpi: MADT") == bios_boot.lines(r"^acpi: MADT")


@pytest.mark.parametrize("crash,vector,name,function", [
    ("pagefault", 14, "#PF page fault", "crash_page_fault"),
    ("divide", 0, "#DE divide error", "crash_divide_error"),
])
def test_kernel_fault_panics_cleanly(boot, crash, vector, name, function):
    # Does a kernel exception end in a panic naming vector and function,
    # rather than a triple fault and a reboot loop?
    b = boot(cmdline=f"halt=poweroff crash={crash}")
    b.expect(rf"^PANIC: exception {vector} \({re.escape(name)}\), error code \S+, in {function}$",
             "panic report")
    b.expect(rf"^  rip [0-9a-f]{{16}} <{function}\+0x[0-9a-f]+>$", "symbolised rip")
    b.expect(r"^    [0-9a-f]{16} <kmain\+0x[0-9a-f]+>$", "backtrace reaches kmain")
    assert b.status == 3, f"expected the panic's poweroff status 3, got {b.status} (rc {b.returncode})"
    assert len(b.lines(r"CPU driver starting")) == 1, "the machine rebooted"
    if crash == "pagefault":
        b.expect(r"^  fault address 0000000000000000 \(write, page not present, kernel mode\)$",
                 "page-fault address")


def test_no_acpi_is_refused_clearly(boot):
    # With no ACPI tables at all, does the kernel stop with a message?
    # (q35 firmware always builds ACPI tables, SeaBIOS even with acpi=off,
    # so the kernel is told to ignore them.)
    b = boot(cmdline="halt=poweroff boot.ignore_acpi")
    b.expect(r"^FATAL: acpi: no ACPI tables found", "clear refusal")
    assert b.status == 2, f"status {b.status}"
    assert not b.lines(r"PANIC"), "a refusal must not be a fault"


def test_no_memory_map_is_refused_clearly(boot):
    # With no memory map, does the kernel stop with a message?
    b = boot(cmdline="halt=poweroff boot.ignore_memmap")
    b.expect(r"^FATAL: boot: the boot loader gave no memory map", "clear refusal")
    assert b.status == 2, f"status {b.status}"
    assert not b.lines(r"PANIC")
