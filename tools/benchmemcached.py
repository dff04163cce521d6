#!/usr/bin/python3
"""tools/benchmemcached.py: the memcached part of `make bench` (tools/bench).

A load client (tools/mcload.c, compiled with the host's cc into
build/bench/mcload; the Python one below, `load`, if that fails: it takes
far more host CPU per request), run from inside a fresh test namespace,
against
  - this OS's usr/apps/memcached (memcached 1.6.18, Debian's source) with
    cores=1, 2 and 4 on one boot (4 vCPUs), spawned as
    `spawn memcached core C ip=A/24 mem=64M cores=N -p 11211`: one VF,
    address and worker per core, addresses A, A+1, ...; the client spreads
    its connections over the N addresses (connection j to address j mod N),
    as a memcached client lists each core's address as a server
    (usr/apps/memcached/README.md, "Multicore"), and
  - Debian's own memcached 1.6.18 in the Linux comparison guest
    (tools/linux-guest, `guest_memcached=11211`: `-t` = its vCPUs), booted
    with 1, 2 and 4 vCPUs, one address.
The load: SET, then GET of the same 100 keys, 64-byte values, 50 connections,
one request in flight per connection (a closed loop); requests per second over the whole run and each
request's latency (p50, p99). Every reply is checked (STORED; VALUE with
the 64 bytes and END): a wrong one counts as an error. Every run is
bounded by a request count and a timeout. Under TCG these are
emulated-machine figures, and the client shares the host's CPUs with
QEMU: compare the columns of one run, not with hardware.

    run_memcached(out_dir, quick, Namespace) -> (table text, ok)
    python3 tools/benchmemcached.py load ADDRS PORT OP REQUESTS  (in the namespace)
"""
import json
import multiprocessing
import os
import re
import selectors
import socket
import subprocess
import sys
import time
from pathlib import Path

TOOLS = Path(__file__).resolve().parent
sys.path.insert(0, str(TOOLS))
sys.path.insert(0, str(TOOLS / "linux-guest"))

TOP = TOOLS.parent
PORT = 11211
BOOT_TIMEOUT = 300
CONNS = 50
VALUE = b"v" * 64
KEYS = 100         # each process SETs k0..k99 (and more) before any GET
CLIENT_PROCS = 2
LOAD_SECONDS = 300
CORES = (1, 2, 4)
REQUESTS, QUICK_REQUESTS = 50000, 5000
# This OS: (cores, spawn core, first address); one boot runs all three.
OS_RUNS = [(1, 1, "10.11.0.2"), (2, 1, "10.11.0.10"), (4, 0, "10.11.0.20")]
LINUX_IP = "10.11.0.2"


# --- The load client (runs inside the namespace) ---

def _request(op, key):
    if op == "set":
        return b"set %s 0 0 %d\r\n%s\r\n" % (key, len(VALUE), VALUE)
    return b"get %s\r\n" % key


def _complete(op, buf, key):
    """(done, right) for the reply in buf so far."""
    if op == "set":
        if not buf.endswith(b"\r\n"):
            return False, False
        return True, buf == b"STORED\r\n"
    want = b"VALUE %s 0 %d\r\n%s\r\nEND\r\n" % (key, len(VALUE), VALUE)
    if buf.endswith(b"END\r\n") or (buf.endswith(b"\r\n") and
                                     buf.startswith((b"ERROR", b"SERVER_ERROR", b"CLIENT_ERROR"))):
        return True, buf == want
    return False, False


def _proc(addrs, port, op, first_conn, nconns, requests, barrier, out):
    sel = selectors.DefaultSelector()
    conns = []
    for j in range(first_conn, first_conn + nconns):
        s = socket.create_connection((addrs[j % len(addrs)], port), timeout=20)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.setblocking(False)
        st = {"s": s, "j": j, "n": 0, "buf": b"", "t": 0.0, "key": b""}
        conns.append(st)
        sel.register(s, selectors.EVENT_READ, st)
    lat, errors, done = [], 0, 0
    barrier.wait(60)
    start = time.time()
    deadline = time.monotonic() + LOAD_SECONDS
    sent = 0

    def send(st):
        nonlocal sent
        st["key"] = b"k%d" % (sent % KEYS)
        st["n"] += 1
        st["buf"] = b""
        st["t"] = time.perf_counter()
        st["s"].sendall(_request(op, st["key"]))
        sent += 1

    for st in conns:
        if sent < requests:
            send(st)
    while done < sent and time.monotonic() < deadline:
        for k, _ in sel.select(1.0):
            st = k.data
            try:
                b = st["s"].recv(65536)
            except BlockingIOError:
                continue
            if not b:
                errors += 1
                sel.unregister(st["s"])
                sent -= 1
                continue
            st["buf"] += b
            fin, right = _complete(op, st["buf"], st["key"])
            if not fin:
                continue
            lat.append((time.perf_counter() - st["t"]) * 1e6)
            done += 1
            errors += not right
            if sent < requests:
                send(st)
    end = time.time()
    for st in conns:
        st["s"].close()
    out.put({"start": start, "end": end, "done": done, "errors": errors,
             "unanswered": sent - done, "lat": lat})


def load(addrs, port, op, requests):
    """`requests` of `op` (set|get) over CONNS connections spread over
    `addrs`, in CLIENT_PROCS processes: {rps, p50_us, p99_us, errors...}."""
    barrier = multiprocessing.Barrier(CLIENT_PROCS)
    out = multiprocessing.Queue()
    procs, per = [], CONNS // CLIENT_PROCS
    for i in range(CLIENT_PROCS):
        n = per if i < CLIENT_PROCS - 1 else CONNS - per * (CLIENT_PROCS - 1)
        r = requests // CLIENT_PROCS
        p = multiprocessing.Process(target=_proc, args=(addrs, port, op, i * per, n, r, barrier, out))
        p.start()
        procs.append(p)
    res = [out.get(timeout=LOAD_SECONDS + 90) for _ in procs]
    for p in procs:
        p.join(10)
    lat = sorted(x for r in res for x in r["lat"])
    done = sum(r["done"] for r in res)
    secs = max(r["end"] for r in res) - min(r["start"] for r in res)
    pct = (lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]) if lat else (lambda q: None)
    return {"requests": done, "seconds": round(secs, 3), "rps": done / secs if secs > 0 else 0,
            "p50_us": pct(0.50), "p99_us": pct(0.99), "errors": sum(r["errors"] for r in res),
            "unanswered": sum(r["unanswered"] for r in res)}


# --- The bench (runs on the host) ---

def sh(*argv, timeout=60):
    return subprocess.run([str(a) for a in argv], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=timeout)


def addresses(first, n):
    a, b, c, d = (int(x) for x in first.split("."))
    return [f"{a}.{b}.{c}.{d + i}" for i in range(n)]


def answers(ns, addrs, seconds):
    """Whether memcached answers `version` on every address within `seconds`."""
    end = time.monotonic() + seconds
    for a in addrs:
        while True:
            try:
                p = sh("ip", "netns", "exec", ns, sys.executable, "-c",
                       "import socket;s=socket.create_connection(('%s',%d),timeout=5);"
                       "s.sendall(b'version\\r\\n');print(s.recv(100).decode())" % (a, PORT),
                       timeout=15)
                if p.stdout.startswith("VERSION"):
                    break
            except subprocess.TimeoutExpired:
                pass
            if time.monotonic() > end:
                return False
            time.sleep(1)
    return True


def client_binary(out_dir):
    """build/bench/mcload from tools/mcload.c (rebuilt when older), or None."""
    exe = Path(out_dir) / "mcload"
    src = TOOLS / "mcload.c"
    if not exe.exists() or exe.stat().st_mtime < src.stat().st_mtime:
        p = sh("cc", "-O2", "-o", exe, src, timeout=120)
        if p.returncode != 0:
            print(f"bench: mcload did not build ({p.stderr.strip()[-200:]}): the Python client",
                  flush=True)
            return None
    return exe


def run_load(ns, addrs, quick, exe=None):
    """SET then GET; {op: report} (or {op: {"error": why}})."""
    out = {}
    n = QUICK_REQUESTS if quick else REQUESTS
    for op in ("set", "get"):
        try:
            argv = ([exe, ",".join(addrs), PORT, op, n, CONNS, LOAD_SECONDS] if exe else
                    [sys.executable, __file__, "load", ",".join(addrs), PORT, op, n])
            p = sh("ip", "netns", "exec", ns, *argv, timeout=LOAD_SECONDS + 180)
            out[op] = json.loads(p.stdout) if p.returncode == 0 else \
                {"error": f"exit {p.returncode}: {p.stderr.strip()[-300:]}"}
        except subprocess.TimeoutExpired:
            out[op] = {"error": "the load client still ran after its bound: killed"}
        except ValueError:
            out[op] = {"error": f"no report: {p.stdout[-200:]} {p.stderr[-200:]}"}
        print(f"bench:   memcached {op} on {','.join(addrs)}: {out[op]}", flush=True)
    return out


def run_os(out_dir, quick, Namespace):
    from console import Console
    if not (TOP / "build" / "usr" / "memcached").exists():
        return {"note": "not built (no build/usr/memcached)"}
    res = {}
    with Namespace("memcached") as ns:
        con = Console(out_dir / "memcached-arrakis.log", boot_timeout=BOOT_TIMEOUT,
                      args=("--netns", ns))
        try:
            for cores, core, first in OS_RUNS:
                addrs = addresses(first, cores)
                said = con.command(f"spawn memcached core {core} ip={first}/24 mem=64M "
                                   f"cores={cores} -p {PORT}")
                m = re.search(r"spawned memcached as domain (0x\w+)", said)
                if not m:
                    res[cores] = {"note": f"spawn failed: {said.strip()[-200:]}"}
                    continue
                if not answers(ns, addrs, 150):
                    res[cores] = {"note": "no answer on every address within 150 s"}
                else:
                    res[cores] = {"results": run_load(ns, addrs, quick, client_binary(out_dir))}
                con.command(f"kill {m.group(1)}")
                time.sleep(2)
        except AssertionError as e:
            res.setdefault("note", str(e))
        finally:
            con.close()
    return res


def run_linux(out_dir, quick, Namespace):
    import guest
    if not guest.built():
        return {"note": "not built (make linux-guest)"}
    res = {}
    for cores in CORES:
        with Namespace(f"memcached-linux{cores}") as ns:
            try:
                g = guest.LinuxGuest(out_dir / f"memcached-linux{cores}.log", ns,
                                     boot_timeout=BOOT_TIMEOUT, smp=cores,
                                     extra_append=f"guest_memcached={PORT}")
            except AssertionError as e:
                res[cores] = {"note": str(e)}
                continue
            try:
                if not answers(ns, [LINUX_IP], 60):
                    res[cores] = {"note": "memcached in the guest gave no answer within 60 s"}
                else:
                    res[cores] = {"results": run_load(ns, [LINUX_IP], quick, client_binary(out_dir))}
            finally:
                g.close()
    return res


def run_memcached(out_dir, quick, Namespace):
    """Both systems, one after the other; returns (table text, ok)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        return "memcached: skipped (network namespaces need root)\n", True
    runs = {}
    for name, fn in (("arrakis", run_os), ("linux", run_linux)):
        print(f"bench: memcached on {name} ...", flush=True)
        t0 = time.monotonic()
        runs[name] = fn(out_dir, quick, Namespace)
        print(f"bench: memcached on {name}: done ({time.monotonic() - t0:.0f} s)", flush=True)
    (out_dir / "memcached.json").write_text(json.dumps(runs, indent=1))
    ok = all("results" in runs[s].get(c, {}) for s in runs for c in CORES)
    return table(runs, quick), ok


def _fig(runs, s, c, op, field):
    r = runs[s].get(c, {}).get("results", {}).get(op, {})
    return None if "error" in r or r.get("errors") or r.get("unanswered") else r.get(field)


def table(runs, quick):
    n = QUICK_REQUESTS if quick else REQUESTS
    lines = [f"memcached: tools/benchmemcached.py (client tools/mcload.c) from the host namespace, {CONNS} connections, "
             f"64-byte values, {n} SETs then {n} GETs of the same keys per row; requests/s, "
             "p50/p99 latency in microseconds; xN = this row's rate / the 1-core rate",
             "  arrakis: usr/apps/memcached cores=N (a VF, address and worker per core; the client "
             "spreads its connections over the N addresses); Linux: Debian's memcached -t N in the "
             "Linux guest with N vCPUs",
             f"{'':10s} {'arrakis':>9s} {'p50':>7s} {'p99':>7s} {'xN':>5s}   {'Linux':>9s} {'p50':>7s} "
             f"{'p99':>7s} {'xN':>5s}   {'ratio':>6s}"]
    for op in ("get", "set"):
        for c in CORES:
            cells = []
            for s in ("arrakis", "linux"):
                rps = _fig(runs, s, c, op, "rps")
                base = _fig(runs, s, 1, op, "rps")
                p50, p99 = _fig(runs, s, c, op, "p50_us"), _fig(runs, s, c, op, "p99_us")
                cells.append(f"{rps:9.0f}" if rps is not None else f"{'-':>9s}")
                cells.append(f"{p50:7.0f}" if p50 is not None else f"{'-':>7s}")
                cells.append(f"{p99:7.0f}" if p99 is not None else f"{'-':>7s}")
                cells.append(f"{rps / base:5.2f}" if rps is not None and base else f"{'-':>5s}")
            a, lx = _fig(runs, "arrakis", c, op, "rps"), _fig(runs, "linux", c, op, "rps")
            ratio = f"{a / lx:6.2f}" if a is not None and lx else f"{'-':>6s}"
            lines.append(f"{op.upper() + f' {c} core' + ('s' if c > 1 else ''):10s} "
                         + " ".join(cells[:4]) + "   " + " ".join(cells[4:]) + f"   {ratio}")
    lines.append("  ratio = arrakis / Linux at the same core count")
    for s in ("arrakis", "linux"):
        if "note" in runs[s]:
            lines.append(f"  {s}: {runs[s]['note']}")
        for c in CORES:
            r = runs[s].get(c, {})
            if "note" in r:
                lines.append(f"  {s} {c} cores: {r['note']}")
            for op, rep in r.get("results", {}).items():
                if "error" in rep or rep.get("errors") or rep.get("unanswered"):
                    lines.append(f"  {s} {c} cores {op}: {rep.get('error') or rep}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "load":
        print(json.dumps(load(sys.argv[2].split(","), int(sys.argv[3]), sys.argv[4], int(sys.argv[5]))))
        sys.exit(0)
    print(__doc__)
    sys.exit(2)
