"""The Linux guest `make bench` compares this OS with (tools/linux-guest):
Debian 12's kernel and igb driver booted by tools/run-qemu --kernel on the
same machine (q35, intel-iommu, igb on a root port), wired to tap0 in a
test namespace. About a minute under TCG, so it runs in `make test`, which
builds it (`make linux-guest`). It boots on the storage benchmark's own
disk image (an ext4 made on the host, mounted on /mnt by the guest's init)
so that the Linux half of make bench's storage table is checked too, and
runs Debian's own redis-server (AOF with appendfsync always on that ext4)
and memcached, the servers the Redis and memcached ports are measured
against."""
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
                         disk=IMAGE, extra_append="guest_mount=/dev/nvme0n1 guest_redis=6379 "
                         "guest_redis_aof=yes guest_memcached=11211")
    yield g
    g.close()


def test_linux_guest_answers_udp_echo(linux, netns):
    # Does the Linux guest come up on the igb (PF, static 10.11.0.2/24) and
    # send back 10 datagrams from the namespace, each byte for byte?
    assert "10.11.0.2/24" in linux.ready, linux.ready
    r = benchclient.run(netns, "udp-lat", count=10, warmup=0, rtt_timeout=5, seconds=60)
    assert r["received"] == 10 and r["lost"] == 0, \
        f"UDP echoes from the Linux guest: {r}; see {linux.logfile}"


MEMCACHED_CLIENT = """
import socket, sys
s = socket.create_connection(("10.11.0.2", 11211), timeout=30)
s.sendall(b"set greeting 0 0 5\\r\\nhello\\r\\nget greeting\\r\\n")
got = b""
while not got.endswith(b"END\\r\\n"):
    chunk = s.recv(4096)
    if not chunk:
        break
    got += chunk
sys.stdout.write(got.decode())
"""


def test_linux_guest_serves_debian_redis_and_memcached(linux, netns):
    # Do the comparison servers answer from the namespace: redis-server
    # (durable SET through its AOF) and memcached (set, then get)?
    assert "redis on 6379 (appendonly yes, /mnt/redis)" in linux.ready, linux.ready
    assert "memcached on 11211" in linux.ready, linux.ready
    cli = ["ip", "netns", "exec", netns, "redis-cli", "-h", "10.11.0.2", "-p", "6379"]
    for args, want in ((["SET", "k", "v1"], "OK"), (["INCR", "n"], "1"), (["GET", "k"], "v1")):
        out = subprocess.run(cli + args, capture_output=True, text=True, timeout=60)
        assert out.stdout.strip() == want, f"redis-cli {' '.join(args)}: {out.stdout!r} {out.stderr!r}"
    mc = subprocess.run(["ip", "netns", "exec", netns, sys.executable, "-c", MEMCACHED_CLIENT],  # \r\n read as \n
                        capture_output=True, text=True, timeout=60)
    assert "STORED" in mc.stdout and "VALUE greeting 0 5\nhello\nEND" in mc.stdout, \
        f"memcached: {mc.stdout!r} {mc.stderr[-300:]!r}"
    aof = linux.run("cat /mnt/redis/appendonlydir/*.incr.aof", timeout=60)
    assert "v1" in aof, f"the SET is not in redis's AOF: {aof!r}"


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
