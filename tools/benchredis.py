"""tools/benchredis.py: the Redis part of `make bench` (tools/bench).

Debian's redis-benchmark (redis-tools), run from inside a fresh test
namespace, against
  - this OS's usr/apps/redis (Redis 7.0.15, Debian's source, on lwIP and
    its own VNIC), spawned as
    `spawn redis core 1 ip=10.11.0.2/24 --port 6379`, and
  - Debian's own redis-server (the same 7.0.15 package, jemalloc) in the
    Linux comparison guest (tools/linux-guest), started from its console
    with the same settings (usr/apps/redis/main.c's defaults).
Each server boots by itself in tools/run-qemu with its igb on tap0. The
load: GET and SET of 64-byte values, 50 connections, plain (one request
in flight per connection) and pipelined (-P 16): requests per second as
redis-benchmark reports them. Every run is bounded by a request count and
a timeout. Under TCG these are emulated-machine figures: compare the two
columns of one run, not with hardware.

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

TOP = TOOLS.parent
IP, PORT = "10.11.0.2", 6379
BOOT_TIMEOUT = 300
# The settings both servers run with (those usr/apps/redis/main.c sets in a
# 16 MiB domain).
SETTINGS = ["--save", '""', "--appendonly", "no", "--daemonize", "no", "--bind", "0.0.0.0",
            "--protected-mode", "no", "--io-threads", "1", "--maxmemory", "6mb",
            "--maxclients", "128", "--proto-max-bulk-len", "1mb",
            "--client-query-buffer-limit", "1mb"]
# (label, pipeline, requests, quick requests)
RUNS = [("plain", 1, 20000, 2000), ("-P 16", 16, 100000, 10000)]


def sh(*argv, timeout=60):
    return subprocess.run([str(a) for a in argv], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=timeout)


def answers(ns, seconds):
    """Whether redis-cli PING gets PONG within `seconds`."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            p = sh("ip", "netns", "exec", ns, "redis-cli", "-h", IP, "-p", PORT, "PING", timeout=10)
            if p.stdout.strip() == "PONG":
                return True
        except subprocess.TimeoutExpired:
            pass
        time.sleep(1)
    return False


def load(ns, quick):
    """redis-benchmark GET/SET, 64-byte values, 50 connections, each run of
    RUNS; returns {label: {"GET": rps, "SET": rps}} or {label: {"error": why}}."""
    out = {}
    for label, pipeline, n, qn in RUNS:
        argv = ["ip", "netns", "exec", ns, "redis-benchmark", "-h", IP, "-p", PORT,
                "-n", qn if quick else n, "-c", 50, "-d", 64, "-P", pipeline, "-t", "get,set",
                "--csv"]
        try:
            p = sh(*argv, timeout=600)
        except subprocess.TimeoutExpired:
            out[label] = {"error": "redis-benchmark still running after 600 s: killed"}
            continue
        rows = {r["test"]: float(r["rps"]) for r in csv.DictReader(io.StringIO(p.stdout))
                if r.get("test") and r.get("rps")}
        if p.returncode != 0 or "error" in (p.stdout + p.stderr).lower() or \
                set(rows) != {"GET", "SET"}:
            out[label] = {"error": f"exit {p.returncode}: {(p.stdout + p.stderr).strip()[-300:]}"}
        else:
            out[label] = rows
        print(f"bench:   redis {label}: {out[label]}", flush=True)
    return out


def run_os(out_dir, quick, Namespace):
    if not (TOP / "build" / "usr" / "redis").exists():
        return {"note": "not built (no build/usr/redis)"}
    with Namespace("redis") as ns:
        con = Console(out_dir / "redis-arrakis.log", boot_timeout=BOOT_TIMEOUT,
                      args=("--netns", ns))
        try:
            said = con.command(f"spawn redis core 1 ip={IP}/24 --port {PORT}")
            if not re.search(r"spawned redis as domain", said):
                return {"note": f"spawn failed: {said.strip()[-200:]}"}
            con.wait(r"Ready to accept connections", 120, "redis-server ready")
            if not answers(ns, 60):
                return {"note": "ready but no PONG within 60 s"}
            return {"results": load(ns, quick)}
        except AssertionError as e:
            return {"note": str(e)}
        finally:
            con.close()


def run_linux(out_dir, quick, Namespace):
    if not guest.built():
        return {"note": "not built (make linux-guest)"}
    with Namespace("redis-linux") as ns:
        try:
            g = guest.LinuxGuest(out_dir / "redis-linux.log", ns, boot_timeout=BOOT_TIMEOUT)
        except AssertionError as e:
            return {"note": str(e)}
        try:
            # The guest's console is a busybox shell once it is ready.
            g.p.sendline("for b in /usr/bin/redis-server /bin/redis-server; do [ -x $b ] && "
                         f"{{ $b --port {PORT} {' '.join(SETTINGS)} > /tmp/redis.log 2>&1 & break; }}; "
                         "done; echo redis-start-$?")
            if not answers(ns, 60):
                return {"note": "no redis-server in the guest, or no PONG within 60 s "
                                "(the guest needs Debian's redis-server: make linux-guest)"}
            return {"results": load(ns, quick)}
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
    counts = ", ".join(f"{label} {qn if quick else n}" for label, _, n, qn in RUNS)
    lines = ["redis: redis-benchmark (Debian's) from the host namespace, 64-byte values, "
             f"50 connections; requests: {counts}; requests/s, ratio = arrakis / Linux",
             "  arrakis: usr/apps/redis (lwIP, own VNIC); Linux: Debian's redis-server in the "
             "Linux guest",
             f"{'':24s} {'arrakis':>10s} {'Linux':>10s} {'ratio':>8s}"]
    for label, _, _, _ in RUNS:
        for test in ("GET", "SET"):
            vals = [runs[s].get("results", {}).get(label, {}).get(test) for s in ("arrakis", "linux")]
            a, lx = vals
            ratio = f"{a / lx:.2f}" if a is not None and lx else "-"
            lines.append(f"{test + ' ' + label:24s} " +
                         " ".join(f"{v:10.0f}" if v is not None else f"{'-':>10s}" for v in vals) +
                         f" {ratio:>8s}")
    for s in ("arrakis", "linux"):
        r = runs[s]
        if "note" in r:
            lines.append(f"  {s}: {r['note']}")
        else:
            for label, rep in r["results"].items():
                if "error" in rep:
                    lines.append(f"  {s} {label}: {rep['error']}")
    return "\n".join(lines) + "\n"
