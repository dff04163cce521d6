#!/usr/bin/python3
"""tools/redisprobe.py: one durable-SET load against one side, with the
probes make bench does not run (issue 14's "where the time goes").

    tools/redisprobe.py arrakis [--clients 50] [--requests 5000] [--cycles 100] [--strace]
    tools/redisprobe.py linux   [--clients 1]  [--requests 500] [--strace]

arrakis: boots this OS (the ISO in $BUILD, as tools/run-qemu takes it) on
a fresh NVMe image, spawns the durable server as tools/benchredis.py does
(`spawn redis core 2 ... fs=redis --appendonly yes --appendfsync always`),
with `cycles=N` (libos/cyclestat.h: a table of the group-commit cycles
every N) when asked; linux: the Linux guest with Debian's redis-server,
AOF fsync always on ext4, as benchredis.py starts it. Then Debian's
redis-benchmark from the namespace: SET, 64-byte values, the clients and
requests given. With --strace, strace -f -c -w counts (and times, wall clock) QEMU's host system
calls that move or sync the disk image (pwritev, pwrite64, preadv,
pread64, fdatasync, fsync, io_submit, io_uring_enter) while the load runs,
and the SETs the server executed are taken from its INFO commandstats,
so the counts per SET are exact. Prints the benchmark's line, the counts
and the console's cyclestat tables. Root is needed (namespaces).
"""
import argparse
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

TOOLS = Path(__file__).resolve().parent
sys.path.insert(0, str(TOOLS))
sys.path.insert(0, str(TOOLS / "linux-guest"))
import benchredis  # noqa: E402
import benchstorage  # noqa: E402
import guest  # noqa: E402
from console import Console  # noqa: E402

NETNS = TOOLS / "netns"
OUT = TOOLS.parent / "build" / "probe"
SYSCALLS = "pwritev,pwrite64,preadv,pread64,fdatasync,fsync,io_submit,io_uring_enter"


def sh(*argv, timeout=60):
    return subprocess.run([str(a) for a in argv], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=timeout)


class Namespace:
    def __init__(self, tag):
        self.name = f"arrakis-probe-{os.getpid()}-{tag}"

    def __enter__(self):
        sh(NETNS, "down", self.name)
        p = sh(NETNS, "up", self.name)
        if p.returncode != 0:
            raise RuntimeError(f"tools/netns up {self.name}: {p.stderr.strip()}")
        return self.name

    def __exit__(self, *exc):
        for pid in sh("ip", "netns", "pids", self.name).stdout.split():
            try:
                os.kill(int(pid), 9)
            except (ProcessLookupError, ValueError):
                pass
        sh(NETNS, "down", self.name)


def sets_done(ns, ip, port):
    """calls of SET in the server's INFO commandstats."""
    p = sh("ip", "netns", "exec", ns, "redis-cli", "-h", ip, "-p", port, "INFO", "commandstats")
    m = re.search(r"cmdstat_set:calls=(\d+)", p.stdout)
    return int(m.group(1)) if m else 0


def qemu_of(pid):
    """The qemu-system process at or under `pid` (run-qemu execs it)."""
    todo = [pid]
    while todo:
        p = todo.pop()
        comm = Path(f"/proc/{p}/comm").read_text().strip() if Path(f"/proc/{p}").exists() else ""
        if comm.startswith("qemu-system"):
            return p
        todo += [int(c) for c in sh("pgrep", "-P", p).stdout.split()]
    sys.exit(f"no qemu-system process under {pid}")


def load(ns, ip, port, clients, requests, qemu_pid, trace):
    before = sets_done(ns, ip, port)
    st = None
    if trace:
        st_out = OUT / f"strace-{os.getpid()}.txt"
        st = subprocess.Popen(["strace", "-f", "-c", "-w", "-e", f"trace={SYSCALLS}", "-o", str(st_out),
                               "-p", str(qemu_of(qemu_pid))], stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(2)                   # attached to every thread
    r = benchredis.benchmark(ns, ip, port, "set", clients, 1, requests)
    counts = {}
    if st:
        st.send_signal(signal.SIGINT)
        st.wait(timeout=60)
        for line in st_out.read_text().splitlines():
            f = line.split()
            if len(f) >= 5 and f[-1] in SYSCALLS.split(","):
                counts[f[-1]] = (int(f[3]), int(f[2]))     # calls, us per call
    sets = sets_done(ns, ip, port) - before
    return r, counts, sets


def report(side, r, counts, sets):
    print(f"probe: {side}: {r}")
    if counts:
        per = ", ".join(f"{k} {n} ({n / sets:.2f}/SET, {us} us each)"
                        for k, (n, us) in sorted(counts.items())) if sets else str(counts)
        print(f"probe: {side}: {sets} SETs executed; QEMU host calls while loaded: {per}")


def run_arrakis(a):
    disk = OUT / "probe-arrakis-nvme.img"
    disk.unlink(missing_ok=True)
    sh("truncate", "-s", "64M", disk)
    ip = benchredis.DURABLE_IP
    with Namespace("a") as ns:
        con = Console(OUT / "probe-arrakis.log", boot_timeout=300,
                      args=("--netns", ns, "--disk", str(disk)))
        try:
            words = f"cycles={a.cycles} " if a.cycles else ""
            said = con.command(f"spawn redis core 2 ip={ip}/24 fs=redis {words}--port 6379 "
                               "--appendonly yes --appendfsync always --dir /data")
            m = re.search(r"spawned redis as domain (0x\w+)", said)
            if not m:
                sys.exit(f"spawn failed: {said.strip()[-200:]}")
            con.wait(r"Ready to accept connections", 120, "redis-server ready")
            if not benchredis.answers(ns, 60, ip):
                sys.exit("no PONG")
            r, counts, sets = load(ns, ip, 6379, a.clients, a.requests, con.p.pid, a.strace)
            report("arrakis", r, counts, sets)
            if a.cycles:
                try:
                    con.wait(r"cyclestat: \d+ tables printed", 30, "tables")
                except AssertionError:
                    pass
                con.command("vsas")
                for line in con.seen.splitlines():
                    if line.startswith(("cyclestat:", "vsicd: doorbell", "vsicd: ")) and \
                            "vsa " not in line:
                        print(line)
        finally:
            con.close()


def run_linux(a):
    image = OUT / "probe-linux-nvme.img"
    benchstorage.make_linux_image(image)
    port = benchredis.LINUX_DURABLE_PORT
    ip = benchredis.IP
    with Namespace("l") as ns:
        g = guest.LinuxGuest(OUT / "probe-linux.log", ns, boot_timeout=300, disk=image,
                             extra_append="guest_mount=/dev/nvme0n1")
        try:
            extra = benchredis.DURABLE + ["--dir", "/mnt/redis"]
            g.p.sendline("mkdir -p /mnt/redis; for b in /usr/bin/redis-server /bin/redis-server; do "
                         f"[ -x $b ] && {{ $b --port {port} {' '.join(benchredis.SETTINGS + extra)} "
                         f"> /tmp/redis-{port}.log 2>&1 & break; }}; done; echo redis-start-$?")
            if not benchredis.answers(ns, 60, ip, port):
                sys.exit("no redis-server in the guest")
            r, counts, sets = load(ns, ip, port, a.clients, a.requests, g.p.pid, a.strace)
            report("linux", r, counts, sets)
        finally:
            g.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("side", choices=("arrakis", "linux"))
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=5000)
    ap.add_argument("--cycles", type=int, default=0)
    ap.add_argument("--strace", action="store_true")
    a = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"probe: {a.side}, {a.clients} clients, {a.requests} SETs, load "
          f"{os.getloadavg()[0]:.1f}", flush=True)
    (run_arrakis if a.side == "arrakis" else run_linux)(a)


if __name__ == "__main__":
    main()
