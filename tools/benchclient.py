#!/usr/bin/python3
"""tools/benchclient.py: the host's load generator for the echo benchmarks.

Runs inside the test network namespace made by tools/netns (it refuses to
run anywhere else, and to talk to anything but the namespace's guest subnet
10.11.0.0/24), against a guest's UDP and TCP echo servers on its igb:
this OS's usr/apps/udpecho, tcpecho, udpecho_native, or the Linux guest's
echod (tools/linux-guest):

    ip netns exec NAME /usr/bin/python3 tools/benchclient.py wait --proto udp --timeout 120
    ip netns exec NAME /usr/bin/python3 tools/benchclient.py udp-lat --count 2000 --seconds 60
    ip netns exec NAME /usr/bin/python3 tools/benchclient.py udp-tput --count 20000 --window 32
    ip netns exec NAME /usr/bin/python3 tools/benchclient.py tcp --conns 16 --bytes 1048576

Each prints one JSON object on stdout and exits 0 when the run completed
(1 when it ended early or lost everything):
  wait      until one UDP echo comes back (or one TCP connection opens)
  udp-lat   round trips of SIZE-byte datagrams, one at a time: median, p99,
            min and mean in microseconds, and how many were lost (no answer
            within --rtt-timeout)
  udp-tput  a window of datagrams in flight (refilled as echoes return,
            written off after --rtt-timeout of silence): echoes per second
  tcp       CONNS connections at once, each sending BYTES in CHUNK writes
            with at most --inflight bytes not yet echoed, and checking every
            echoed byte: echoed bytes per second over all connections
Every run is bounded: at most MAX_COUNT datagrams or MAX_BYTES per
connection, and --seconds (at most MAX_SECONDS) of wall time.

From Python (tools/bench, tests): `run(netns, "udp-lat", count=...)` runs
the CLI inside the namespace and returns the parsed report.
"""
import argparse
import ipaddress
import json
import os
import selectors
import socket
import struct
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from netpeer import cli_options, netns_name  # noqa: E402

GUEST = "10.11.0.2"
SUBNET = ipaddress.ip_network("10.11.0.0/24")   # tools/netns: tap0's subnet
MAX_COUNT = 1000000
MAX_BYTES = 64 << 20
MAX_CONNS = 1024
MAX_SECONDS = 600.0
SEQ = struct.Struct("!4sIQ")                      # "ABCH", run id, sequence
RAMP = bytes(range(256)) * 4097                   # fill: RAMP[phase:phase+n]
RECV_MAX = 1 << 20                                # at most len(RAMP) - 256
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable


def fail(msg):
    print(f"benchclient: {msg}", file=sys.stderr)
    raise SystemExit(2)


def percentile(sorted_vals, p):
    """Nearest-rank percentile of an ascending list."""
    if not sorted_vals:
        return None
    k = max(0, min(len(sorted_vals) - 1, int(round(p / 100.0 * len(sorted_vals) + 0.5)) - 1))
    return sorted_vals[k]


def datagram(run_id, seq, size):
    head = SEQ.pack(b"ABCH", run_id, seq)
    return head + fill(seq, size - len(head))


def fill(phase, n):
    """n bytes counting up from phase (mod 256): what an echo must return."""
    phase &= 0xFF
    return RAMP[phase:phase + n]


def parse_seq(data, run_id):
    if len(data) < SEQ.size:
        return None
    magic, rid, seq = SEQ.unpack_from(data)
    return seq if magic == b"ABCH" and rid == run_id else None


def udp_socket(a):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.connect((a.host, a.port))
    return s


def cmd_wait(a):
    """Until the server answers: one UDP echo, or one TCP connection."""
    end = time.monotonic() + a.timeout
    tries = 0
    while time.monotonic() < end:
        tries += 1
        try:
            if a.proto == "udp":
                s = udp_socket(a)
                s.settimeout(min(1.0, max(0.05, end - time.monotonic())))
                msg = datagram(os.getpid(), tries, 64)
                s.send(msg)
                while s.recv(2048) != msg:
                    pass
            else:
                s = socket.create_connection((a.host, a.port),
                                             timeout=min(2.0, max(0.05, end - time.monotonic())))
            s.close()
            return {"ok": True, "proto": a.proto, "tries": tries}, 0
        except OSError:
            time.sleep(0.2)
    return {"ok": False, "proto": a.proto, "tries": tries}, 1


def cmd_udp_lat(a):
    s = udp_socket(a)
    run_id = os.getpid()
    rtts, lost = [], 0
    end = time.monotonic() + a.seconds
    for seq in range(a.warmup + a.count):
        if time.monotonic() >= end:
            break
        msg = datagram(run_id, seq, a.size)
        t0 = time.perf_counter()
        s.send(msg)
        s.settimeout(a.rtt_timeout)
        try:
            while True:
                data = s.recv(65536)
                if parse_seq(data, run_id) == seq:   # older, late echoes are dropped
                    break
            rtt = time.perf_counter() - t0
            if data != msg:
                raise SystemExit(f"benchclient: echo {seq} differs from what was sent")
            if seq >= a.warmup:
                rtts.append(rtt * 1e6)
        except socket.timeout:
            if seq >= a.warmup:
                lost += 1
    rtts.sort()
    n = len(rtts)
    rep = {"what": "udp-lat", "size": a.size, "count": a.count, "received": n, "lost": lost,
           "complete": n + lost == a.count,
           "median_us": percentile(rtts, 50), "p99_us": percentile(rtts, 99),
           "min_us": rtts[0] if rtts else None, "mean_us": sum(rtts) / n if n else None}
    return rep, 0 if n and rep["complete"] else 1


def cmd_udp_tput(a):
    s = udp_socket(a)
    s.setblocking(False)
    run_id = os.getpid()
    outstanding = {}                  # seq -> time sent
    sent = received = written_off = late = 0
    start = time.monotonic()
    end = start + a.seconds
    last_rx = start
    sel = selectors.DefaultSelector()
    sel.register(s, selectors.EVENT_READ)
    while time.monotonic() < end and (sent < a.count or outstanding):
        while sent < a.count and len(outstanding) < a.window:
            try:
                s.send(datagram(run_id, sent, a.size))
            except BlockingIOError:
                break
            outstanding[sent] = time.monotonic()
            sent += 1
        if sel.select(timeout=min(a.rtt_timeout, max(0.0, end - time.monotonic()))):
            while True:
                try:
                    data = s.recv(65536)
                except BlockingIOError:
                    break
                seq = parse_seq(data, run_id)
                if seq in outstanding:
                    del outstanding[seq]
                    received += 1
                    last_rx = time.monotonic()
                else:
                    late += 1
        elif outstanding and time.monotonic() - last_rx >= a.rtt_timeout:
            written_off += len(outstanding)   # silence: refill the window
            outstanding.clear()
            last_rx = time.monotonic()
    elapsed = max(1e-9, (last_rx if received else time.monotonic()) - start)
    rep = {"what": "udp-tput", "size": a.size, "window": a.window, "count": a.count,
           "sent": sent, "received": received, "lost": sent - received,
           "late": late, "seconds": round(elapsed, 3),
           "complete": sent == a.count and not outstanding,
           "per_second": received / elapsed}
    return rep, 0 if received and rep["complete"] else 1


class Conn:
    """One TCP connection's state: what it sent and what came back. Its
    byte stream is fill(index * 131 + offset), checked as it returns."""

    def __init__(self, sock, index, total):
        self.sock, self.index, self.total = sock, index, total
        self.sent = self.echoed = 0
        self.bad = False

    def stream(self, off, n):
        return fill(self.index * 131 + off, n)


def cmd_tcp(a):
    conns = []
    deadline = time.monotonic() + a.seconds
    for i in range(a.conns):
        try:
            s = socket.create_connection((a.host, a.port),
                                         timeout=max(0.1, min(10.0, deadline - time.monotonic())))
        except OSError as e:
            for c in conns:
                c.sock.close()
            return {"what": "tcp", "conns": a.conns, "connected": i, "error": str(e),
                    "complete": False, "bytes_per_second": 0}, 1
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.setblocking(False)
        conns.append(Conn(s, i, a.bytes))
    sel = selectors.DefaultSelector()
    for c in conns:
        sel.register(c.sock, selectors.EVENT_READ | selectors.EVENT_WRITE, c)
    start = time.monotonic()
    live = len(conns)
    while live and time.monotonic() < deadline:
        for key, ev in sel.select(timeout=min(1.0, max(0.0, deadline - time.monotonic()))):
            c = key.data
            if ev & selectors.EVENT_WRITE and c.sent < c.total:
                n = min(a.chunk, c.total - c.sent, a.inflight - (c.sent - c.echoed))
                if n > 0:
                    try:
                        c.sent += c.sock.send(c.stream(c.sent, n))
                    except BlockingIOError:
                        pass
                    except OSError:
                        c.bad = True
            if ev & selectors.EVENT_READ:
                try:
                    data = c.sock.recv(RECV_MAX)
                except BlockingIOError:
                    data = None
                except OSError:
                    data, c.bad = b"", True
                if data == b"":
                    c.bad = c.bad or c.echoed < c.total
                elif data:
                    if data != c.stream(c.echoed, len(data)):
                        c.bad = True
                    c.echoed += len(data)
            done = c.echoed >= c.total or c.bad
            want = 0 if done else (selectors.EVENT_READ |
                                   (selectors.EVENT_WRITE if c.sent < c.total and
                                    c.sent - c.echoed < a.inflight else 0))
            if not want:
                sel.unregister(c.sock)
                live -= 1
            elif want != key.events:
                sel.modify(c.sock, want, c)
    elapsed = max(1e-9, time.monotonic() - start)
    for c in conns:
        c.sock.close()
    echoed = sum(c.echoed for c in conns)
    bad = sum(c.bad for c in conns)
    finished = sum(c.echoed >= c.total and not c.bad for c in conns)
    rep = {"what": "tcp", "conns": a.conns, "bytes_per_conn": a.bytes, "chunk": a.chunk,
           "inflight": a.inflight, "echoed": echoed, "finished": finished, "bad": bad,
           "seconds": round(elapsed, 3), "complete": finished == a.conns,
           "bytes_per_second": echoed / elapsed}
    return rep, 0 if rep["complete"] else 1


def bounded(kind, lo, hi):
    def conv(text):
        v = kind(text)
        if not lo <= v <= hi:
            raise argparse.ArgumentTypeError(f"{v} not in {lo}..{hi}")
        return v
    return conv


def parser():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)

    def common(sp, seconds=None):
        sp.add_argument("--host", default=GUEST)
        sp.add_argument("--port", type=bounded(int, 1, 65535), default=7)
        if seconds:
            sp.add_argument("--seconds", type=bounded(float, 0.1, MAX_SECONDS), default=seconds)
        return sp
    w = common(sub.add_parser("wait"))
    w.add_argument("--proto", choices=("udp", "tcp"), default="udp")
    w.add_argument("--timeout", type=bounded(float, 0.1, MAX_SECONDS), default=60)
    for name in ("udp-lat", "udp-tput"):
        u = common(sub.add_parser(name), 60)
        u.add_argument("--count", type=bounded(int, 1, MAX_COUNT), default=2000)
        u.add_argument("--size", type=bounded(int, SEQ.size, 1472), default=64)
        u.add_argument("--rtt-timeout", type=bounded(float, 0.001, 10), default=0.5)
        if name == "udp-lat":
            u.add_argument("--warmup", type=bounded(int, 0, 1000), default=20)
        else:
            u.add_argument("--window", type=bounded(int, 1, 4096), default=32)
    t = common(sub.add_parser("tcp"), 60)
    t.add_argument("--conns", type=bounded(int, 1, MAX_CONNS), default=16)
    t.add_argument("--bytes", type=bounded(int, 1, MAX_BYTES), default=1 << 20)
    t.add_argument("--chunk", type=bounded(int, 1, 1 << 20), default=16384)
    t.add_argument("--inflight", type=bounded(int, 1, 4 << 20), default=65536)
    return p


COMMANDS = {"wait": cmd_wait, "udp-lat": cmd_udp_lat, "udp-tput": cmd_udp_tput, "tcp": cmd_tcp}


def main(argv=None):
    a = parser().parse_args(argv)
    if netns_name() is None:
        fail("not inside a named network namespace: run it as 'ip netns exec NAME "
             "/usr/bin/python3 tools/benchclient.py ...' (tools/netns up NAME makes one)")
    try:
        addr = ipaddress.ip_address(a.host)
    except ValueError:
        fail(f"--host {a.host}: an IPv4 address in {SUBNET} please")
    if addr not in SUBNET:
        fail(f"--host {a.host} is outside the namespace's subnet {SUBNET}")
    rep, rc = COMMANDS[a.cmd](a)
    print(json.dumps(rep))
    return rc


def run(netns, command, limit=None, **opts):
    """Run `benchclient.py command --opt value...` inside netns (from the
    root namespace) and return its JSON report, with "exit" added. Options
    are the CLI's with '_' for '-'; the process is killed after `limit`
    seconds (default: its own --seconds or --timeout, plus 30)."""
    argv = ["ip", "netns", "exec", netns, PYTHON, str(Path(__file__).resolve()), command]
    argv += cli_options(opts)
    limit = limit or (float(opts.get("seconds") or 0) + float(opts.get("timeout") or 0) + 30)
    p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                       timeout=limit)
    if p.returncode not in (0, 1) or not p.stdout.strip():
        raise RuntimeError(f"{' '.join(argv)}: exit {p.returncode}: {p.stderr.strip()}")
    rep = json.loads(p.stdout)
    rep["exit"] = p.returncode
    return rep


if __name__ == "__main__":
    sys.exit(main())
