"""Ready for a real server, checked in QEMU: the TSC and APIC timer
calibrated without the PIT (HPET or ACPI PM timer, forced by
timer.calibrate= or chosen when the PIT is absent), the console on the
second serial port (IPMI serial-over-LAN is usually COM2), and the ISO
booted as a USB stick by BIOS and by UEFI. The machine is tools/run-qemu's,
changed only by its options (--serial2, --calibrate, --no-pit,
--usb-stick)."""
import re
import subprocess

import pytest

from conftest import LOG_DIR, RUN_QEMU, boot_console

BOOT_COMPLETE = r"^arrakis: boot complete on core 0$"
TICKING = r"^apic: timer ticking at 100 Hz \(5 ticks in (\d+) ms\)$"


@pytest.fixture(autouse=True)
def own_machine(monkeypatch):
    """These tests choose their machine's serial ports and clocks
    themselves: a suite-wide RUN_QEMU_OPTS (say "--serial2 --calibrate
    hpet") would change what they check."""
    monkeypatch.delenv("RUN_QEMU_OPTS", raising=False)


def calibrated(b, source, how):
    b.expect(rf"^timer: calibrated against the {re.escape(source)} \({how}", f"{source} calibration")
    b.expect(TICKING, "the APIC timer never ticked at the calibrated rate")
    b.expect(BOOT_COMPLETE, "boot did not complete")
    assert b.status == 0, f"guest exit status {b.status}, see {b.logfile}"


@pytest.mark.parametrize("arg,source", [("hpet", "HPET"), ("pmtimer", "ACPI PM timer"),
                                        ("pit", "PIT")])
def test_calibration_forced(boot, arg, source):
    # Does timer.calibrate=SRC measure the TSC against that clock, found
    # through ACPI (HPET table, FADT PM_TMR_BLK), and does the timer then tick?
    b = boot(smp=2, args=("--calibrate", arg))
    calibrated(b, source, "forced by timer.calibrate")
    assert not b.lines(r"TIMER_ERR"), b.lines(r"TIMER_ERR")


def test_no_pit_falls_back_to_hpet(boot):
    # On a machine with no 8254 (q35 pit=off), is the PIT's absence seen
    # (named, not hung on) and the HPET used instead?
    b = boot(smp=2, args=("--no-pit",))
    b.expect(r"^PIT: TIMER_ERR_NO_PIT", "the missing PIT named")
    calibrated(b, "HPET", "auto")


def test_no_pit_no_hpet_uses_pm_timer(boot):
    # With neither PIT nor HPET, and the PIT asked for by name, is the
    # refusal logged and the ACPI PM timer used?
    b = boot(smp=2, cmdline="halt=poweroff timer.calibrate=pit",
             args=("--no-pit", "--", "-machine", "hpet=off"))
    b.expect(r"^timer: the PIT asked for on the command line does not work", "forced PIT refused")
    b.expect(r"^HPET: ACPI_ERR_TABLE_NOT_FOUND", "no HPET table without an HPET")
    calibrated(b, "ACPI PM timer", "auto")


def test_unknown_calibration_source_is_named(boot):
    # Is a misspelt timer.calibrate= said, and the boot still made?
    b = boot(smp=1, cmdline="halt=poweroff timer.calibrate=tsc")
    b.expect(r"^timer: timer.calibrate=tsc unknown \(pit, hpet or pmtimer\)", "bad value named")
    calibrated(b, "PIT", "auto")


def test_bad_console_argument_stays_on_com1(boot):
    # Does console=ttyS9 keep the console on COM1 and say why?
    b = boot(smp=1, cmdline="halt=poweroff console=ttyS9")
    b.expect(r"^console: console=ttyS9 is not ttyS0-3", "bad console= named")
    b.expect(BOOT_COMPLETE, "boot did not complete")


def test_console_on_com2_with_hpet_runs_the_shell(request):
    # Booted as on a server (console on COM2 for serial-over-LAN, TSC
    # measured against the HPET): does the whole boot reach the person on
    # COM2 (QEMU's COM1 leads nowhere), and does the shell answer there?
    c = boot_console(LOG_DIR / f"{request.node.name}.log", args=("--serial2", "--calibrate", "hpet"))
    try:
        out = c.command("cores")
        assert "4 cores: 0(monitor up) 1(monitor up) 2(monitor up) 3(monitor up)" in out, out
        c._log.flush()
        log = c.logfile.read_text()
        assert "console: on the UART at I/O 0x2f8, 115200 baud" in log, "console line"
        assert re.search(r"timer: calibrated against the HPET \(forced", log), "HPET calibration"
    finally:
        c.close()


@pytest.mark.parametrize("uefi", [False, True], ids=["bios", "uefi"])
def test_usb_stick_boots(boot, uefi):
    # Does the ISO, as a raw USB stick on an xHCI controller and with no CD
    # drive at all, boot by BIOS (its MBR) and by UEFI (its EFI partition)?
    qemu = subprocess.run([str(RUN_QEMU), "--test", "--usb-stick", "--dry-run"],
                          capture_output=True, text=True, check=True).stdout
    assert "usb-storage" in qemu and "-cdrom" not in qemu, f"not a stick-only machine: {qemu}"
    b = boot(smp=2, uefi=uefi, args=("--usb-stick",))
    b.expect(r"^boot: loaded by 'GRUB 2", "GRUB loaded the kernel")
    b.expect(BOOT_COMPLETE, "boot from the stick did not complete")
    assert b.status == 0, f"guest exit status {b.status}, see {b.logfile}"
