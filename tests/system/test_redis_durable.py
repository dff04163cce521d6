"""Redis durability (issue 14): redis-server with its AOF on a VSA, the
file system lib/vsafs mounted on /data by the fs=NAME spawn argument
(lib/vsafs/vsafs_vsic.c over a VSIC to QEMU's NVMe):

    spawn redis core 1 ip=10.11.0.2/24 fs=redis --appendonly yes --appendfsync always --dir /data

From the host namespace a writer (one connection, one SET at a time, as
redis-cli does) sends SET k:N v:N; a SET counts as acknowledged once its
+OK arrived. Each boot: SETS (1000) acknowledged SETs, then the writer goes
on and QEMU is killed (SIGKILL) a random time (up to MAX_DELAY_S) later,
with SETs in flight. Booted again on the same disk image, Redis started
the same way reloads its AOF (base, incr files and manifest under
/data/appendonlydir), and every acknowledged key must be there with its
value. KILLS (env REDIS_CRASH_KILLS, default 10) moments a run, seeded by
REDIS_CRASH_SEED (printed)."""
import os
import random
import re
import signal
import subprocess
import threading
import time

from conftest import LOG_DIR, boot_console

IP = "10.11.0.2"
KILLS = int(os.environ.get("REDIS_CRASH_KILLS", "10"))
SEED = int(os.environ.get("REDIS_CRASH_SEED", str(random.randrange(1 << 30))))
SETS = 1000
MAX_DELAY_S = 1.0
WRITE_TIMEOUT_S = 300        # the SETS acknowledged within this, or the writer is killed
PYTHON = "/usr/bin/python3"
SPAWN = (f"spawn redis core 1 ip={IP}/24 fs=redis --appendonly yes --appendfsync always "
         "--dir /data")
# One connection; SET k:N v:N from N = argv[1] on, one at a time; prints
# "ack N" once its +OK is in (so N is acknowledged), flushed at once.
WRITER = r"""
import socket, sys
i = int(sys.argv[1])
s = socket.create_connection((sys.argv[2], 6379), timeout=60)
buf = b""
while True:
    k, v = b"k:%d" % i, b"v:%d" % i
    s.sendall(b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n" % (len(k), k, len(v), v))
    while b"\r\n" not in buf:
        got = s.recv(4096)
        if not got:
            sys.exit(0)
        buf += got
    line, _, buf = buf.partition(b"\r\n")
    if line != b"+OK":
        print("bad reply", line, flush=True)
        sys.exit(1)
    print("ack", i, flush=True)
    i += 1
"""
# Keys k:1..k:N: prints the ones missing or wrong (MGET, 500 a request).
CHECKER = r"""
import socket, sys
n = int(sys.argv[1])
s = socket.create_connection((sys.argv[2], 6379), timeout=60)
f = s.makefile("rb")
bad = []
for lo in range(1, n + 1, 500):
    keys = [b"k:%d" % i for i in range(lo, min(n, lo + 499) + 1)]
    s.sendall(b"*%d\r\n$4\r\nMGET\r\n" % (len(keys) + 1) +
              b"".join(b"$%d\r\n%s\r\n" % (len(k), k) for k in keys))
    head = f.readline()
    assert head == b"*%d\r\n" % len(keys), head
    for k in keys:
        size = int(f.readline()[1:])
        v = f.read(size + 2)[:-2] if size >= 0 else None
        if v != b"v:" + k[2:]:
            bad.append((k.decode(), v))
print("checked", n, "bad", len(bad), bad[:5])
"""


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
                p = subprocess.run(["ip", "netns", "exec", netns, PYTHON, "-c", CHECKER, str(acked), IP],
                                   capture_output=True, text=True, timeout=300)
                assert p.returncode == 0 and f"checked {acked} bad 0 " in p.stdout, \
                    f"{where}: acknowledged keys lost or wrong: {p.stdout}{p.stderr}"
            if k == KILLS:
                break
            w = subprocess.Popen(["ip", "netns", "exec", netns, PYTHON, "-c", WRITER, str(acked + 1), IP],
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                 start_new_session=True)
            out, goal = [], acked + SETS
            t0 = time.monotonic()
            bound = threading.Timer(WRITE_TIMEOUT_S, os.killpg, (w.pid, signal.SIGKILL))
            bound.start()
            for line in w.stdout:           # SETS acknowledged, then a random moment more
                out.append(line)
                if not line.startswith("ack ") or int(line.split()[1]) >= goal:
                    break
            bound.cancel()
            took = time.monotonic() - t0
            assert out and out[-1].startswith(f"ack {goal}"), f"{where}: writer: {''.join(out[-5:])}"
            delay = rng.uniform(0, MAX_DELAY_S)
            moments.append(round(took + delay, 2))
            time.sleep(delay)
            kill_qemu(c)
            time.sleep(0.5)             # a reply already on the wire is read
            os.killpg(w.pid, signal.SIGKILL)    # the writer (hung on a dead peer)
            text = "".join(out) + w.communicate(timeout=60)[0]
            assert "bad reply" not in text, f"{where}: {text[-500:]}"
            for m in re.finditer(r"(?m)^ack (\d+)$", text):
                acked = max(acked, int(m.group(1)))
            print(f"{where}: {SETS} SETs acknowledged in {took:.1f} s, killed {delay:.2f} s later; "
                  f"{acked} acknowledged in all", flush=True)
        finally:
            if c.p.isalive():
                c.close()
    print(f"kill moments (s after each boot's first SET): {moments}; {acked} SETs acknowledged, "
          "all reloaded")
    assert acked >= KILLS * SETS
