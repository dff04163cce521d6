"""The Linux guest `make bench` compares this OS with (tools/linux-guest):
Debian 12's kernel and igb driver booted by tools/run-qemu --kernel on the
same machine (q35, intel-iommu, igb on a root port), wired to tap0 in a
test namespace. About a minute under TCG, so it runs in `make test`, which
builds it (`make linux-guest`). It boots on the storage benchmark's own
disk image (an ext4 made on the host, mounted on /mnt by the guest's init)
so that the Linux half of make bench's storage table is checked too."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

import benchclient
from conftest import BOOT_TIMEOUT, LOG_DIR

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools" / "linux-guest"))
import guest  # noqa: E402
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import benchstorage  # noqa: E402

IMAGE = LOG_DIR / "test_linux_guest-nvme.img"


@pytest.fixture(scope="module")
def linux(netns):
    if not guest.built():
        pytest.skip("Linux guest not built: make linux-guest")
    benchstorage.make_linux_image(IMAGE)
    g = guest.LinuxGuest(LOG_DIR / "test_linux_guest.log", netns, boot_timeout=BOOT_TIMEOUT,
                         disk=IMAGE, extra_append="guest_mount=/dev/nvme0n1")
    yield g
    g.close()


def test_linux_guest_answers_udp_echo(linux, netns):
    # Does the Linux guest come up on the igb (PF, static 10.11.0.2/24) and
    # send back 10 datagrams from the namespace, each byte for byte?
    assert "10.11.0.2/24" in linux.ready, linux.ready
    r = benchclient.run(netns, "udp-lat", count=10, warmup=0, rtt_timeout=5, seconds=60)
    assert r["received"] == 10 and r["lost"] == 0, \
        f"UDP echoes from the Linux guest: {r}; see {linux.logfile}"


def test_linux_guest_runs_the_storage_benchmark(linux):
    # Does blkbench (make bench's Linux storage column) append durably to a
    # file on the guest's ext4 and do O_DIRECT I/O on the raw half, and did
    # the records reach the disk image (read back on the host with debugfs
    # once QEMU is gone)?
    assert "ext4 on /dev/nvme0n1 mounted at /mnt" in linux.logfile.read_text(errors="replace"), \
        f"the guest's init did not mount the ext4; see {linux.logfile}"
    text = linux.run("blkbench append /mnt/log 20 1024", timeout=300)
    text += linux.run(f"blkbench rand /dev/nvme0n1 write {benchstorage.RAW_OFFSET} "
                      f"{benchstorage.RAW_SPAN} 20", timeout=300)
    runs = benchstorage.parse_runs(text)
    assert runs.get("append+fdatasync", {}).get("count") == 20, text
    assert runs.get("randwrite4k", {}).get("count") == 20, text
    linux.close()
    # QEMU was killed: the records may still be only in ext4's journal,
    # which e2fsck replays (exit 1: it fixed something, as after any crash).
    fsck = subprocess.run(["e2fsck", "-fy", str(IMAGE)], capture_output=True, text=True,
                          timeout=120)
    assert fsck.returncode in (0, 1), f"e2fsck after the guest: {fsck.stdout[-500:]}"
    cat = subprocess.run(["debugfs", "-R", "cat /log", str(IMAGE)], capture_output=True,
                         text=True, errors="replace", timeout=60)
    assert "record 0\n" in cat.stdout and "record 19\n" in cat.stdout, \
        f"the appended records are not in the image's /log: {cat.stderr[-300:]}"
    assert len(cat.stdout) == 20 * 1024, f"/log holds {len(cat.stdout)} bytes, not 20 KiB"
