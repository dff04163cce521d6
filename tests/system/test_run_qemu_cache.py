"""tools/run-qemu --disk-cache (the measuring variant of tools/bench
--disk-cache): checked on the command line it prints (--dry-run), no
boot. Given, the NVMe drive gets cache=MODE, on this OS's boots and on
the Linux guest's (tools/linux-guest/boot passes run-qemu options on, and
tools/bench hands the option to both through RUN_QEMU_OPTS); not given,
the drive's options are as they always were (QEMU's default cache);
anything but QEMU's five modes is refused before QEMU starts."""
import os
import subprocess
from pathlib import Path

import pytest

from conftest import RUN_QEMU

GUEST_BOOT = Path(RUN_QEMU).parent / "linux-guest" / "boot"


@pytest.fixture(autouse=True)
def own_machine(monkeypatch):
    monkeypatch.delenv("RUN_QEMU_OPTS", raising=False)


def nvme_drive(argv, env=None):
    p = subprocess.run([str(a) for a in argv] + ["--dry-run"], capture_output=True, text=True,
                       env=env, timeout=60)
    assert p.returncode == 0, p.stderr
    drives = [w for w in p.stdout.split() if "id=nvme0" in w and w.startswith("if=none")]
    assert len(drives) == 1, p.stdout
    return drives[0].replace("\\,", ",")


def test_default_drive_has_no_cache_option(tmp_path):
    # Is the default command line unchanged: no cache= at all?
    assert "cache=" not in nvme_drive([RUN_QEMU, "--test"])
    assert "cache=" not in nvme_drive([RUN_QEMU, "--test", "--disk", tmp_path / "d.img"])


@pytest.mark.parametrize("mode", ["unsafe", "none", "writeback"])
def test_disk_cache_reaches_the_drive(tmp_path, mode):
    # Does --disk-cache MODE end up on the NVMe drive, with --disk and on
    # a --test boot's snapshot overlay, as one option, once?
    d = nvme_drive([RUN_QEMU, "--test", "--disk", tmp_path / "d.img", "--disk-cache", mode])
    assert d.split(",").count(f"cache={mode}") == 1, d
    d = nvme_drive([RUN_QEMU, "--test", "--disk-cache", mode])
    assert "snapshot=on" in d and d.split(",").count(f"cache={mode}") == 1, d


def test_linux_guest_gets_it_through_run_qemu_opts(tmp_path):
    # Does the Linux guest's boot take the same option from RUN_QEMU_OPTS,
    # as tools/bench --disk-cache hands it to both sides?
    fake = tmp_path / "build"
    (fake / "linux-guest").mkdir(parents=True)
    for f in ("vmlinuz", "initrd.img"):
        (fake / "linux-guest" / f).write_bytes(b"")
    env = dict(os.environ, BUILD=str(fake), RUN_QEMU_OPTS="--disk-cache unsafe")
    d = nvme_drive([GUEST_BOOT, "--test", "--disk", tmp_path / "l.img"], env=env)
    assert "cache=unsafe" in d.split(","), d


@pytest.mark.parametrize("bad", ["bogus", "", "unsafe,snapshot=off", "writeback;id"])
def test_other_modes_refused(tmp_path, bad):
    # Is anything but QEMU's five modes refused (no option smuggled into
    # the -drive string)?
    p = subprocess.run([str(RUN_QEMU), "--test", "--disk-cache", bad, "--dry-run"],
                       capture_output=True, text=True, timeout=60)
    if bad == "":
        # Empty is "not given": QEMU's default, no cache= on the drive.
        assert p.returncode == 0 and "cache=" not in p.stdout, p.stdout
    else:
        assert p.returncode == 2 and "--disk-cache must be" in p.stderr, (p.returncode, p.stderr)
