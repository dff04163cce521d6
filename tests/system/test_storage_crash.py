"""Issue 12's crash test: QEMU killed at random moments while a domain
writes through lib/tenacious and another through vsafs (usr/tests/
storage_crash over a VSIC to QEMU's NVMe, usr/vsicd), then booted again on
the same disk image (run-qemu --disk: kept) to check that every
acknowledged record is there, whole and in order.

One boot per kill: each boot first checks what the last one left
(`logcheck`, `fscheck`), then starts both writers (log on core 1, file
system on core 2) and is killed (SIGKILL to QEMU) a random time after,
from at once (inside mount, replay or format) to several seconds in.
KILLS (default 20, env STORAGE_CRASH_KILLS) moments a run, seeded by
STORAGE_CRASH_SEED (printed) so a failure repeats.

What a QEMU kill is and is not: the guest's requests in flight are lost or
cut short, but what QEMU already wrote is in the host's page cache, so the
NVMe's volatile write cache is not lost as a power cut would lose it (the
host unit tests, tests/unit/tenacious and vsafs, inject that)."""
import os
import random
import re
import signal
import time

import pytest

from conftest import LOG_DIR, boot_console

KILLS = int(os.environ.get("STORAGE_CRASH_KILLS", "20"))
SEED = int(os.environ.get("STORAGE_CRASH_SEED", str(random.randrange(1 << 30))))
DISK_BYTES = 64 << 20
MAX_DELAY_S = 6.0


def kill_qemu(c):
    """SIGKILL, not a shutdown: nothing gets flushed on the way out. What
    the console had printed before is read (it was acknowledged then)."""
    os.kill(c.p.pid, signal.SIGKILL)
    out = ""
    try:
        while True:
            out += c.p.read_nonblocking(1 << 16, timeout=5)
    except Exception:           # EOF (QEMU gone) or a quiet pty
        pass
    c.seen += out.replace("\r", "")
    c.p.close(force=True)
    c._log.close()


class Acks:
    """What the writers acknowledged, over every boot so far."""

    def __init__(self):
        self.log_acked = 0          # highest "ack seq N"
        self.log_reset = 0          # "log full: reset after id N": ids <= N may be gone
        self.fs_synced = 0
        self.fs_rotate = 0          # "rotate after id N": the file may start after N

    def read(self, text):
        for m in re.finditer(r"(?m)^ack seq (\d+)", text):
            self.log_acked = max(self.log_acked, int(m.group(1)))
        for m in re.finditer(r"(?m)^log full: reset after id (\d+)", text):
            self.log_reset = max(self.log_reset, int(m.group(1)))
        for m in re.finditer(r"(?m)^synced (\d+)", text):
            self.fs_synced = max(self.fs_synced, int(m.group(1)))
        for m in re.finditer(r"(?m)^rotate after id (\d+)", text):
            self.fs_rotate = max(self.fs_rotate, int(m.group(1)))


def check(c, acks, where):
    """Run both checks in the guest and hold them to what was acknowledged."""
    c.command("spawn storage_crash core 1 vsa=clog logcheck clog")
    m = c.wait(r"logcheck: records (\d+)\.\.(\d+) (intact|BAD)|storage_crash: log open failed: (\S+)",
               120, f"{where}: logcheck")
    if m.group(4):
        # Only before the first ack may there be no log yet.
        assert acks.log_acked == 0 and m.group(4) == "TENACIOUS_ERR_NO_LOG", f"{where}: {m.group(0)}"
    else:
        first, last = int(m.group(1)), int(m.group(2))
        assert m.group(3) == "intact", f"{where}: torn or out-of-order record: {c.seen}"
        assert last >= acks.log_acked, f"{where}: acknowledged record {acks.log_acked} lost (log ends at {last})"
        # Every acknowledged id after the last reset is in first..last.
        if acks.log_acked > acks.log_reset:
            assert first <= acks.log_reset + 1 or (last == 0 and first == 0), \
                f"{where}: records {acks.log_reset + 1}..{first - 1} lost (log starts at {first})"
        acks.log_acked = max(acks.log_acked, last)      # what the check saw is durable too
    c.command("spawn storage_crash core 2 vsa=cfs fscheck cfs")
    m = c.wait(r"fscheck: records (\d+)\.\.(\d+) intact, (\d+) bytes after them|"
               r"fscheck: (mount failed|inconsistent): ([^\n]*)", 120, f"{where}: fscheck")
    if m.group(4):
        assert acks.fs_synced == 0 and m.group(5).strip() == "VSAFS_ERR_NO_FS", \
            f"{where}: file system: {m.group(0)}"
        return
    first, last, after = int(m.group(1)), int(m.group(2)), int(m.group(3))
    assert after == 0, f"{where}: {after} bytes of a torn record in /aof (each write is one record)"
    assert last >= acks.fs_synced, f"{where}: synced record {acks.fs_synced} lost (/aof ends at {last})"
    if acks.fs_synced:
        assert first <= max(acks.fs_rotate + 1, 1), \
            f"{where}: /aof starts at {first}, after the last rotation {acks.fs_rotate}"
    acks.fs_synced = max(acks.fs_synced, last)


def test_kill_qemu_while_writing(tmp_path):
    print(f"STORAGE_CRASH_SEED={SEED} KILLS={KILLS}")
    rng = random.Random(SEED)
    disk = tmp_path / "nvme.img"
    with open(disk, "wb") as f:
        f.truncate(DISK_BYTES)
    acks = Acks()
    moments = []
    for k in range(KILLS + 1):
        where = f"boot {k} (seed {SEED})"
        c = boot_console(LOG_DIR / f"test_storage_crash-{k}.log", args=("--disk", str(disk)))
        try:
            if k:
                check(c, acks, where)
            if k == KILLS:
                break
            c.command("spawn storage_crash core 1 vsa=clog log clog")
            c.command("spawn storage_crash core 2 vsa=cfs fs cfs")
            delay = rng.uniform(0, MAX_DELAY_S)
            moments.append(round(delay, 2))
            end = time.monotonic() + delay
            while (left := end - time.monotonic()) > 0:
                try:
                    c.expect(r"\n", left, "output")
                except AssertionError:
                    break
            kill_qemu(c)
            acks.read(c.seen)
            assert not re.search(r"storage_crash: (append|wait|reset|write|rotate|mount|open)", c.seen), \
                f"{where}: a writer failed: {c.seen[-2000:]}"
        finally:
            if c.p.isalive():
                c.close()
    print(f"kill moments (s after the writers started): {moments}; acknowledged: log {acks.log_acked} "
          f"records, fs {acks.fs_synced} records")
    assert acks.log_acked > 0 and acks.fs_synced > 0, "nothing was ever acknowledged"


def test_fs_argument_mounts_or_stops(tmp_path):
    # fs=NAME: the constructor mounts VSA NAME on /data before main (what
    # a writer left there is seen through plain POSIX calls), and when it
    # cannot, the program stops before main and says why.
    disk = tmp_path / "nvme.img"
    with open(disk, "wb") as f:
        f.truncate(DISK_BYTES)
    c = boot_console(LOG_DIR / "test_storage_crash-fsarg.log", args=("--disk", str(disk)))
    try:
        out = c.command("spawn storage_crash core 2 vsa=cfs fs cfs")
        writer = re.search(r"spawned storage_crash as domain (0x\w+)", out).group(1)
        c.wait(r"(?m)^synced 20$", 120, "records written")
        c.command(f"kill {writer}")     # one domain at a time on a VSA's file system
        c.wait(rf"storage_crash \({writer}\) on core 2", 30, "writer stopped")
        c.command("spawn storage_crash core 1 fs=cfs datals")
        m = c.wait(r"data: /data/aof (\d+) bytes", 60, "/data mounted by fs=")
        assert int(m.group(1)) > 0
        # A name longer than a VSA's: the spawn itself is refused (the
        # kernel's VSA capability has no such name), nothing starts.
        out = c.command("spawn storage_crash core 1 fs=name2long4vsa datals")
        assert "SPAWN_ERR_VSA" in out and "spawned" not in out, out
        # An empty name (no capability, the shell gives none): the program
        # starts and stops before main.
        c.command("spawn storage_crash core 1 fs= datals")
        c.wait(r"storage_crash: stopped before main: fs= could not be mounted on /data "
               r"\((VSA_ERR_BAD_NAME|VSAFS_ERR_MOUNT)\)", 60, "refused mount stops the program")
        c.wait(r"domain storage_crash \(0x\w+\) on core 1 exited, status 1|"
               r"storage_crash \(0x\w+\) on core 1 exited, status 1", 30, "status 1")
        assert "data: /data/aof" not in c.seen.split("name2long4vsa")[-1]
    finally:
        c.close()
