"""Redis durability (issue 14): redis-server with its AOF on a VSA, the
file system lib/vsafs mounted on /data by the fs=NAME spawn argument
(lib/vsafs/vsafs_vsic.c over a VSIC to QEMU's NVMe):

    spawn redis core 1 ip=10.11.0.2/24 fs=redis --appendonly yes --appendfsync always --dir /data

From the host namespace, Debian's redis-cli sends SET k:N v:N one after
another; a SET counts as acknowledged when redis-cli printed OK. QEMU is
killed (SIGKILL) a random time after the writes began, booted again on the
same disk image, Redis started the same way reloads its AOF (base, incr
files and manifest under /data/appendonlydir), and every acknowledged key
must be there with its value. KILLS (env REDIS_CRASH_KILLS, default 10)
moments a run, seeded by REDIS_CRASH_SEED (printed)."""
import os
import random
import re
import signal
import subprocess
import time

from conftest import LOG_DIR, boot_console

IP = "10.11.0.2"
KILLS = int(os.environ.get("REDIS_CRASH_KILLS", "10"))
SEED = int(os.environ.get("REDIS_CRASH_SEED", str(random.randrange(1 << 30))))
MAX_DELAY_S = 5.0
SPAWN = (f"spawn redis core 1 ip={IP}/24 fs=redis --appendonly yes --appendfsync always "
         "--dir /data")
# One redis-cli a SET; "ack N" once it printed OK (so N is acknowledged).
WRITER = (f"i=$1; while :; do r=$(redis-cli -h {IP} SET k:$i v:$i) || exit 1; "
          "[ \"$r\" = OK ] || { echo \"bad reply $r\"; exit 1; }; echo ack $i; i=$((i+1)); done")


def cli(netns, *args, timeout=60):
    p = subprocess.run(["ip", "netns", "exec", netns, "redis-cli", "-h", IP, *args],
                       capture_output=True, text=True, timeout=timeout)
    assert p.returncode == 0, f"redis-cli {args[:3]}: {p.stderr}"
    return p.stdout


def start_redis(c, where):
    out = c.command(SPAWN)
    assert re.search(r"spawned redis as domain 0x\w+ on core 1", out), f"{where}: {out}"
    c.wait(r"Ready to accept connections|stopped before main[^\n]*", 180, f"{where}: redis ready")
    assert "stopped before main" not in c.seen, f"{where}: {c.seen}"


def kill_qemu(c):
    os.kill(c.p.pid, signal.SIGKILL)
    try:
        while True:
            c.p.read_nonblocking(1 << 16, timeout=5)
    except Exception:
        pass
    c.p.close(force=True)
    c._log.close()


def test_acknowledged_sets_survive_kills(netns, tmp_path):
    print(f"REDIS_CRASH_SEED={SEED} KILLS={KILLS}")
    rng = random.Random(SEED)
    disk = tmp_path / "nvme.img"
    with open(disk, "wb") as f:
        f.truncate(64 << 20)
    acked = 0
    moments = []
    for k in range(KILLS + 1):
        where = f"boot {k} (seed {SEED})"
        c = boot_console(LOG_DIR / f"test_redis_durable-{k}.log",
                         args=("--netns", netns, "--disk", str(disk)))
        try:
            start_redis(c, where)
            if k:
                c.wait(r"DB loaded from append only file|Done loading RDB", 60, f"{where}: AOF loaded")
            # Every acknowledged key is back, with its value.
            if acked:
                for lo in range(1, acked + 1, 500):
                    keys = [f"k:{i}" for i in range(lo, min(acked, lo + 499) + 1)]
                    got = cli(netns, "MGET", *keys).split("\n")
                    bad = [(kk, v) for kk, v in zip(keys, got) if v != "v:" + kk[2:]]
                    assert not bad, f"{where}: acknowledged keys lost or wrong: {bad[:5]}"
            if k == KILLS:
                break
            w = subprocess.Popen(["ip", "netns", "exec", netns, "sh", "-c", WRITER, "sh", str(acked + 1)],
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                 start_new_session=True)
            first = w.stdout.readline()
            assert first.startswith("ack "), f"{where}: first SET: {first}"
            delay = rng.uniform(0, MAX_DELAY_S)
            moments.append(round(delay, 2))
            time.sleep(delay)
            kill_qemu(c)
            time.sleep(0.5)             # a reply already on the wire is read
            os.killpg(w.pid, signal.SIGKILL)    # the writer and its redis-cli (hung on a dead peer)
            out = first + w.communicate(timeout=60)[0]
            assert "bad reply" not in out, f"{where}: {out[-500:]}"
            for m in re.finditer(r"(?m)^ack (\d+)$", out):
                acked = max(acked, int(m.group(1)))
        finally:
            if c.p.isalive():
                c.close()
    print(f"kill moments (s after the first acknowledged SET): {moments}; {acked} SETs acknowledged, "
          "all reloaded")
    assert acked > 0
