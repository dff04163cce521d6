"""Storage: the NVMe controller under the control plane (drivers/storage/nvme),
driven by the VSIC service on its own core (usr/vsicd), checked from the
outside: the serial console and the disk image on the host."""
import re
import struct

import pytest

from conftest import LOG_DIR, boot_console

DISK_BYTES = 64 << 20
BLOCK = 512
PATTERN = 0xa5a5000000000000      # usr/vsicd/selftest.c VSICD_PATTERN
SELFTEST_BYTES = 1 << 20


@pytest.fixture(scope="module")
def disk(tmp_path_factory):
    """A disk image of our own, kept (not snapshot=on) so the host can read
    what reached it."""
    path = tmp_path_factory.mktemp("storage") / "nvme.img"
    with open(path, "wb") as f:
        f.truncate(DISK_BYTES)
    return path


@pytest.fixture(scope="module")
def console(disk):
    c = boot_console(LOG_DIR / "test_storage.log", args=("--disk", str(disk)))
    yield c
    c.close()


def vsicd_id(shell):
    out = shell.command("ps")
    m = re.search(r"(0x[0-9a-f]+)\s+core 3\s+vsicd\s+running", out)
    assert m, f"vsicd not running on core 3: {out}"
    return m.group(1)


def test_vsicd_holds_the_controller(shell):
    # Did the kernel stop what SeaBIOS left running, give the controller to
    # the VSIC service on core 3 in an IOMMU domain of its own, and did the
    # service's driver reset it and identify it?
    shell.wait(r"nvme: 1b36:0010 at 02:00\.0, NVMe 1\.4, BAR0 0x[0-9a-f]+; stopped \(the firmware "
               r"had left it enabled\)", 5, "kernel half found and stopped the controller")
    shell.wait(r"nvme: controller 02:00\.0 is now domain 0x3\w+'s \(core 3\), in its own IOMMU "
               r"domain", 30, "given to vsicd")
    shell.wait(r"vsicd: nvme 1b36:0010 at 02:00\.0 on core 3: \"QEMU NVMe Ctrl\" serial arrakis0 "
               rf"fw \S+, NVMe 1\.4, namespace 1: {DISK_BYTES // BLOCK} blocks of 512 B \(64 MiB\), "
               r"max transfer 512 KiB", 60, "user half identified the controller")
    vsicd_id(shell)


def test_second_holder_refused(shell):
    # Can anything else be given the controller while vsicd holds it?
    out = shell.command("@1 nvme hello")
    assert re.search(r"no NVMe controller for hello \(0x1\w+\): NVME_ERR_TAKEN", out), out
    out = shell.command("ps")
    assert not re.search(r"core 1\s+hello\s+running", out), out   # started, then stopped


def test_selftest_reaches_the_disk(shell, disk):
    # Does the driver move data with every PRP form, and does it name the
    # statuses the controller refuses with? The host reads the image.
    dom = vsicd_id(shell)
    shell.command(f"kill {dom}")
    shell.wait(rf"nvme: controller is free again \(domain {dom} let go of it\)", 30, "released")
    shell.command("@3 nvme vsicd selftest")
    m = shell.wait(r"vsicd: selftest: wrote 1 MiB at block (\d+) in \d+ commands \(PRP1, PRP2, PRP "
                   r"lists, 512 KiB transfers\), flushed, read back: (\w+), (\d+) words differ",
                   120, "selftest")
    assert m.group(2) == "ERR_OK" and m.group(3) == "0", m.group(0)
    shell.wait(r"vsicd: selftest: read past the end: NVME_ERR_SC_LBA_RANGE; opcode 0x7e: "
               r"NVME_ERR_SC_INVALID_OPCODE", 30, "named refusals")
    lba0 = int(m.group(1))
    assert lba0 == (DISK_BYTES - (4 << 20)) // BLOCK
    with open(disk, "rb") as f:
        f.seek(lba0 * BLOCK)
        data = f.read(SELFTEST_BYTES)
    words = struct.unpack(f"<{SELFTEST_BYTES // 8}Q", data)
    bad = [i for i, w in enumerate(words) if w != (lba0 * BLOCK + i * 8) ^ PATTERN]
    assert not bad, f"{len(bad)} words on the disk differ, first at byte {bad[0] * 8}"
