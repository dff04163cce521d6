"""tools/benchredis.py: the Redis part of `make bench` (tools/bench).

Debian's redis-benchmark (redis-tools), run from inside a fresh test
namespace, against
  - this OS's usr/apps/redis (Redis 7.0.15, Debian's source, on lwIP and
    its own VNIC), in one boot: in memory,
    `spawn redis core 1 ip=10.11.0.2/24 --port 6379`, and durable, its AOF
    on a VSA (`fs=redis`) with appendfsync always,
    `spawn redis core 2 ip=10.11.0.3/24 fs=redis --port 6379 --appendonly yes
    --appendfsync always --dir /data`; then each once more alone with
    `stages=N` for the stage table (libos/reqstage.h) of a GET and of a
    durable SET, one client at a time;
  - Debian's own redis-server (the same 7.0.15 package, jemalloc) in the
    Linux comparison guest (tools/linux-guest), in one boot on its own
    ext4 image (tools/benchstorage.py makes it): in memory on port 6379
    and with appendonly yes, appendfsync always in /mnt/redis on port
    6380, both started from its console with usr/apps/redis/main.c's
    settings.
Each side boots by itself in tools/run-qemu with its igb on tap0. The
load: GET and SET of 64-byte values, 50 connections, plain (one request
in flight per connection) and pipelined (-P 16); durable SET at 50
connections (throughput) and at 1 (latency). Requests per second, p50 and
p99 in ms, as redis-benchmark reports them (--csv). Every run is bounded
by a request count and a timeout. Under TCG these are emulated-machine
figures: compare the two columns of one run, not with hardware.

    run_redis(out_dir, quick, Namespace) -> (table text, ok)
    (Namespace: tools/bench's, a context manager giving a fresh namespace)
"""
import csv
import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path

TOOLS = Path(__file__).resolve().parent
sys.path.insert(0, str(TOOLS))
sys.path.insert(0, str(TOOLS / "linux-guest"))
from console import Console  # noqa: E402
import guest  # noqa: E402
import benchstorage  # noqa: E402  (make_linux_image: the guest's ext4)

TOP = TOOLS.parent
IP, PORT = "10.11.0.2", 6379
DURABLE_IP, LINUX_DURABLE_PORT = "10.11.0.3", 6380
BOOT_TIMEOUT = 300
# The settings both servers run with (those usr/apps/redis/main.c sets in a
# 16 MiB domain).
SETTINGS = ["--save", '""', "--daemonize", "no", "--bind", "0.0.0.0",
            "--protected-mode", "no", "--io-threads", "1", "--maxmemory", "6mb",
            "--maxclients", "128", "--proto-max-bulk-len", "1mb",
            "--client-query-buffer-limit", "1mb", "--auto-aof-rewrite-percentage", "0"]
DURABLE = ["--appendonly", "yes", "--appendfsync", "always"]
# (label, test, clients, pipeline, requests, quick requests, durable server?)
RUNS = [("GET plain", "get", 50, 1, 20000, 2000, False),
        ("SET plain", "set", 50, 1, 20000, 2000, False),
        ("GET -P 16", "get", 50, 16, 100000, 10000, False),
        ("SET -P 16", "set", 50, 16, 100000, 10000, False),
        ("durable SET -c 50", "set", 50, 1, 5000, 1000, True),
        ("durable SET -c 1", "set", 1, 1, 1000, 200, True)]
STAGES = 200                    # stages=N: tables of N requests (4 at most)
STAGE_REQUESTS = 1000           # enough for four tables of one kind of request
def sh(*argv, timeout=60):
    return subprocess.run([str(a) for a in argv], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=timeout)


def answers(ns, seconds, ip=IP, port=PORT):
    """Whether redis-cli PING gets PONG within `seconds`."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            p = sh("ip", "netns", "exec", ns, "redis-cli", "-h", ip, "-p", port, "PING", timeout=10)
            if p.stdout.strip() == "PONG":
                return True
        except subprocess.TimeoutExpired:
            pass
        time.sleep(1)
    return False


def benchmark(ns, ip, port, test, clients, pipeline, n):
    """One redis-benchmark run: {"rps", "p50", "p99"} (ms) or {"error": why}."""
    argv = ["ip", "netns", "exec", ns, "redis-benchmark", "-h", ip, "-p", port, "-n", n,
            "-c", clients, "-d", 64, "-P", pipeline, "-t", test, "--csv"]
    try:
        p = sh(*argv, timeout=600)
    except subprocess.TimeoutExpired:
        return {"error": "redis-benchmark still running after 600 s: killed"}
    rows = [r for r in csv.DictReader(io.StringIO(p.stdout)) if r.get("test") == test.upper()]
    if p.returncode != 0 or "error" in (p.stdout + p.stderr).lower() or len(rows) != 1:
        return {"error": f"exit {p.returncode}: {(p.stdout + p.stderr).strip()[-300:]}"}
    r = rows[0]
    return {"rps": float(r["rps"]), "p50": float(r["p50_latency_ms"]),
            "p99": float(r["p99_latency_ms"])}


def load(ns, quick, durable_ip, durable_port):
    """Every run of RUNS; returns {label: result}."""
    out = {}
    for label, test, clients, pipeline, n, qn, durable in RUNS:
        ip, port = (durable_ip, durable_port) if durable else (IP, PORT)
        out[label] = benchmark(ns, ip, port, test, clients, pipeline, qn if quick else n)
        print(f"bench:   redis {label}: {out[label]}", flush=True)
    return out


def stage_run(con, ns, spawn, ip, test, quick):
    """Spawn `spawn` (with stages=STAGES), one client sends `test` requests
    one at a time, and the last reqstage table it printed; the server is
    killed after. Returns the table's lines, or a note."""
    said = con.command(spawn)
    m = re.search(r"spawned redis as domain (0x\w+)", said)
    if not m:
        return [f"spawn failed: {said.strip()[-200:]}"]
    try:
        con.wait(r"Ready to accept connections", 120, "redis-server ready")
        if not answers(ns, 60, ip):
            return ["ready but no PONG within 60 s"]
        n = STAGES * 2 if quick else STAGE_REQUESTS
        r = benchmark(ns, ip, PORT, test, 1, 1, n)
        if "error" in r:
            return [f"{test}: {r['error']}"]
        try:
            con.wait(r"reqstage: 4 tables printed", 60, "four tables")
        except AssertionError:
            pass                        # fewer tables: the last one printed is shown
        tables = re.split(r"reqstage: table \d+: ", con.seen)
        if len(tables) < 2:
            return ["no reqstage table printed"]
        last = "reqstage: table: " + tables[-1]
        return [line.strip() for line in last.splitlines()
                if line.startswith("reqstage:") and "tables printed" not in line]
    finally:
        con.command(f"kill {m.group(1)}")


def run_os(out_dir, quick, Namespace):
    if not (TOP / "build" / "usr" / "redis").exists():
        return {"note": "not built (no build/usr/redis)"}
    disk = out_dir / "redis-arrakis-nvme.img"
    disk.unlink(missing_ok=True)
    sh("truncate", "-s", "64M", disk)
    with Namespace("redis") as ns:
        con = Console(out_dir / "redis-arrakis.log", boot_timeout=BOOT_TIMEOUT,
                      args=("--netns", ns, "--disk", str(disk)))
        try:
            plain = f"spawn redis core 1 ip={IP}/24 --port {PORT}"
            durable = (f"spawn redis core 2 ip={DURABLE_IP}/24 fs=redis --port {PORT} "
                       "--appendonly yes --appendfsync always --dir /data")
            doms = []
            for spawn, ip in ((plain, IP), (durable, DURABLE_IP)):
                said = con.command(spawn)
                m = re.search(r"spawned redis as domain (0x\w+)", said)
                if not m:
                    return {"note": f"spawn failed: {said.strip()[-200:]}"}
                doms.append(m.group(1))
                con.wait(r"Ready to accept connections", 120, "redis-server ready")
                if not answers(ns, 60, ip):
                    return {"note": f"{ip}: ready but no PONG within 60 s"}
            results = load(ns, quick, DURABLE_IP, PORT)
            for d in doms:
                con.command(f"kill {d}")
            stages = {
                "GET": stage_run(con, ns, plain.replace(" --port", f" stages={STAGES} --port"),
                                 IP, "get", quick),
                "durable SET": stage_run(con, ns, durable.replace(" --port", f" stages={STAGES} --port"),
                                         DURABLE_IP, "set", quick),
            }
            return {"results": results, "stages": stages}
        except AssertionError as e:
            return {"note": str(e)}
        finally:
            con.close()


def run_linux(out_dir, quick, Namespace):
    if not guest.built():
        return {"note": "not built (make linux-guest)"}
    image = out_dir / "redis-linux-nvme.img"
    benchstorage.make_linux_image(image)
    with Namespace("redis-linux") as ns:
        try:
            g = guest.LinuxGuest(out_dir / "redis-linux.log", ns, boot_timeout=BOOT_TIMEOUT,
                                 disk=image, extra_append="guest_mount=/dev/nvme0n1")
        except AssertionError as e:
            return {"note": str(e)}
        try:
            # The guest's console is a busybox shell once it is ready:
            # in memory on PORT, durable (ext4, fsync always) on the other.
            for port, extra in ((PORT, ["--appendonly", "no"]),
                                (LINUX_DURABLE_PORT, DURABLE + ["--dir", "/mnt/redis"])):
                g.p.sendline("mkdir -p /mnt/redis; for b in /usr/bin/redis-server /bin/redis-server; do "
                             f"[ -x $b ] && {{ $b --port {port} {' '.join(SETTINGS + extra)} "
                             f"> /tmp/redis-{port}.log 2>&1 & break; }}; done; echo redis-start-$?")
                if not answers(ns, 60, IP, port):
                    return {"note": f"no redis-server on port {port} in the guest, or no PONG "
                                    "within 60 s (the guest needs Debian's redis-server: "
                                    "make linux-guest)"}
            return {"results": load(ns, quick, IP, LINUX_DURABLE_PORT)}
        finally:
            g.close()


def run_redis(out_dir, quick, Namespace):
    """Both servers, one after the other; returns (table text, ok)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        return "redis: skipped (network namespaces need root)\n", True
    runs = {}
    for name, fn in (("arrakis", run_os), ("linux", run_linux)):
        print(f"bench: redis on {name} ...", flush=True)
        t0 = time.monotonic()
        runs[name] = fn(out_dir, quick, Namespace)
        print(f"bench: redis on {name}: {runs[name].get('note', 'done')} "
              f"({time.monotonic() - t0:.0f} s)", flush=True)
    return table(runs, quick), all("results" in r for r in runs.values())


def table(runs, quick):
    counts = ", ".join(f"{label} {qn if quick else n}" for label, _, _, _, n, qn, _ in RUNS)
    lines = ["redis: redis-benchmark (Debian's) from the host namespace, 64-byte values; "
             f"requests: {counts}",
             "  arrakis: usr/apps/redis (lwIP, own VNIC; durable: AOF fsync always on a VSA "
             "through vsicd); Linux: Debian's redis-server in the Linux guest (durable: AOF fsync "
             "always on ext4)",
             "  requests/s, p50 and p99 in ms (redis-benchmark's); ratio: arrakis / Linux "
             "requests/s, except -c 1: arrakis p50 / Linux p50",
             f"{'':20s} {'arrakis':>9s} {'p50':>7s} {'p99':>7s}   {'Linux':>9s} {'p50':>7s} "
             f"{'p99':>7s} {'ratio':>7s}"]
    for label, _, clients, _, _, _, _ in RUNS:
        vals = [runs[s].get("results", {}).get(label, {}) for s in ("arrakis", "linux")]
        a, lx = vals
        if clients == 1:
            ratio = f"{a['p50'] / lx['p50']:.3f}" if a.get("p50") and lx.get("p50") else "-"
        else:
            ratio = f"{a['rps'] / lx['rps']:.2f}" if a.get("rps") and lx.get("rps") else "-"
        cells = []
        for v in vals:
            if "rps" in v:
                cells.append(f"{v['rps']:9.0f} {v['p50']:7.3f} {v['p99']:7.3f}")
            else:
                cells.append(f"{'-':>9s} {'-':>7s} {'-':>7s}")
        lines.append(f"{label:20s} {cells[0]}   {cells[1]} {ratio:>7s}")
    lines.append("  goals (issue 14): GET >= 2x Linux; durable SET -c 50 >= 10x; "
                 "durable SET -c 1 p50 ratio <= 0.15")
    for s in ("arrakis", "linux"):
        r = runs[s]
        if "note" in r:
            lines.append(f"  {s}: {r['note']}")
        else:
            for label, rep in r["results"].items():
                if "error" in rep:
                    lines.append(f"  {s} {label}: {rep['error']}")
    for what, tab in runs["arrakis"].get("stages", {}).items():
        lines.append(f"  where the time goes, arrakis, {what}, one client (stages={STAGES}, "
                     "the last table printed; guest TSC):")
        lines += [f"    {line}" for line in tab]
    return "\n".join(lines) + "\n"
