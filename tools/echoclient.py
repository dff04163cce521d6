#!/usr/bin/python3
"""tools/echoclient.py: UDP and TCP clients for the guest's echo servers.

Run inside the test namespace (tools/netns), where the guest's addresses
are reachable, e.g.

    ip netns exec NS /usr/bin/python3 tools/echoclient.py udp --host 10.11.0.2 \\
        --port 7 --count 10000 --sizes 1-1472 --window 32 --seconds 120
    ip netns exec NS /usr/bin/python3 tools/echoclient.py tcp --host 10.11.0.2 \\
        --port 7 --conns 128 --bytes 262144 --seconds 180
    ip netns exec NS /usr/bin/python3 tools/echoclient.py udp --host 10.11.0.2 \\
        --port 7 --count 1 --payload STATS

Each prints one JSON object on stdout and exits 0 if every byte came back
as sent, 1 otherwise (2 for bad arguments).

udp: `count` datagrams with sizes cycling through the range (every size
of the range is used when count covers it), at most `window` outstanding.
Payloads carry their sequence number (sizes >= 4) and a fill derived from
it; a reply is matched to an outstanding request by its bytes. A request
unanswered for `--retry` seconds is sent again (up to `--retries` times):
UDP may lose datagrams (the first ones wait for ARP). Report: sent,
received, ok (matched an outstanding request byte for byte), bad (matched
none), missing (never answered), retransmits, seconds, rate, and the
round-trip time of answers to first sends (mean, p50, p99, microseconds).

tcp: `conns` connections, all connected before any data moves; each then
sends `bytes` of pseudo-random data (seeded by its number) in chunks of up
to `--chunk` bytes, at most `--inflight` bytes ahead of what came back, and
compares what comes back with what it sent (and a SHA-256 of each
stream). Report: connected, peak (connections open at once), completed,
mismatched, errors, seconds, and the echo rate (bytes each way per second).

Everything is bounded by --seconds (at most 600); what has not finished
by then counts as missing or incomplete.
"""
import argparse
import hashlib
import json
import random
import select
import selectors
import socket
import struct
import sys
import time

MAX_SECONDS = 600.0
MAX_COUNT = 1000000


def fail(msg):
    print(f"echoclient: {msg}", file=sys.stderr)
    sys.exit(2)


def parse_sizes(text):
    lo, _, hi = text.partition("-")
    lo, hi = int(lo), int(hi or lo)
    if not 1 <= lo <= hi <= 65507:
        fail(f"bad --sizes {text} (1..65507, LO-HI)")
    return lo, hi


def udp_payload(seq, size):
    head = struct.pack("!I", seq & 0xFFFFFFFF)
    if size <= 4:
        return head[4 - size:]
    fill = bytes((seq * 7 + j) & 0xFF for j in range(size - 4))
    return head + fill


def percentile(sorted_vals, p):
    if not sorted_vals:
        return None
    k = min(len(sorted_vals) - 1, int(round(p / 100.0 * (len(sorted_vals) - 1))))
    return sorted_vals[k]


def run_udp(a):
    lo, hi = parse_sizes(a.sizes)
    span = hi - lo + 1
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    s.connect((a.host, a.port))
    s.setblocking(False)
    start = time.monotonic()
    deadline = start + a.seconds
    outstanding = {}        # payload bytes -> list of [seq, first_sent, last_sent, tries]
    n_out = 0
    next_seq = 0
    sent = received = ok = bad = retransmits = 0
    rtts = []
    sizes_seen = set()

    def send(p):
        try:
            s.send(p)
            return True
        except (BlockingIOError, ConnectionRefusedError):
            return False    # refused: an ICMP error from a previous send; the retry covers it

    while time.monotonic() < deadline and (next_seq < a.count or n_out):
        now = time.monotonic()
        while n_out < a.window and next_seq < a.count:
            if a.payload is not None:
                p = a.payload.encode()
            else:
                p = udp_payload(next_seq, lo + (next_seq % span))
            outstanding.setdefault(p, []).append([next_seq, now, now, 0])
            n_out += 1
            next_seq += 1
            send(p)
            sent += 1
        # wait for replies
        timeout = min(a.retry / 4, max(0.0, deadline - time.monotonic()))
        r, _, _ = select.select([s], [], [], timeout)
        now = time.monotonic()
        if r:
            while True:
                try:
                    data = s.recv(65535)
                except (BlockingIOError, ConnectionRefusedError):
                    break
                received += 1
                waiting = outstanding.get(data)
                if not waiting:
                    bad += 1
                    continue
                seq, first, last, tries = waiting.pop(0)
                if not waiting:
                    del outstanding[data]
                n_out -= 1
                ok += 1
                sizes_seen.add(len(data))
                if tries == 0:
                    rtts.append(now - first)
        # retransmit what waited too long
        for p, waiting in outstanding.items():
            for w in waiting:
                if now - w[2] >= a.retry and w[3] < a.retries:
                    w[2] = now
                    w[3] += 1
                    retransmits += 1
                    send(p)
    elapsed = time.monotonic() - start
    missing = sorted(w[0] for ws in outstanding.values() for w in ws) + \
        list(range(next_seq, a.count))
    rtts.sort()
    rep = {
        "mode": "udp", "host": a.host, "port": a.port, "count": a.count,
        "sizes": [lo, hi], "window": a.window, "sent": sent, "received": received,
        "ok": ok, "bad": bad, "missing": len(missing), "missing_first": missing[:20],
        "retransmits": retransmits, "distinct_sizes": len(sizes_seen),
        "seconds": round(elapsed, 3), "rate": round(ok / elapsed, 1) if elapsed else 0,
        "rtt_us": {
            "n": len(rtts),
            "mean": round(sum(rtts) / len(rtts) * 1e6, 1) if rtts else None,
            "p50": round(percentile(rtts, 50) * 1e6, 1) if rtts else None,
            "p99": round(percentile(rtts, 99) * 1e6, 1) if rtts else None,
        },
    }
    return rep, ok == a.count and not bad


class Conn:
    def __init__(self, i, nbytes):
        self.i = i
        self.data = random.Random(i * 7919 + 1).randbytes(nbytes)
        self.sent = 0
        self.got = 0
        self.hash = hashlib.sha256()
        self.mismatch = False
        self.done = False
        self.error = None
        self.sock = None


def run_tcp(a):
    sel = selectors.DefaultSelector()
    conns = [Conn(i, a.bytes) for i in range(a.conns)]
    start = time.monotonic()
    deadline = start + a.seconds
    connected = 0
    # Phase 1: connect them all (nonblocking), so they are open at once.
    pending = {}
    for c in conns:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.setblocking(False)
        c.sock = s
        try:
            s.connect((a.host, a.port))
        except BlockingIOError:
            pass
        pending[s.fileno()] = c
        sel.register(s, selectors.EVENT_WRITE, c)
    while pending and time.monotonic() < deadline:
        for key, _ in sel.select(timeout=0.5):
            c = key.data
            err = c.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            sel.unregister(c.sock)
            del pending[c.sock.fileno()]
            if err:
                c.error = f"connect: {err}"
                c.done = True
            else:
                connected += 1
    for c in pending.values():
        sel.unregister(c.sock)
        c.error = "connect: timed out"
        c.done = True
    peak = connected
    connect_s = time.monotonic() - start
    # Phase 2: move the data.
    for c in conns:
        if not c.done:
            sel.register(c.sock, selectors.EVENT_READ | selectors.EVENT_WRITE, c)
    active = sum(1 for c in conns if not c.done)
    while active and time.monotonic() < deadline:
        for key, ev in sel.select(timeout=0.5):
            c = key.data
            if c.done:
                continue
            try:
                if ev & selectors.EVENT_READ:
                    chunk = c.sock.recv(65536)
                    if not chunk:
                        c.error = f"closed by the server after {c.got} bytes"
                    else:
                        if chunk != c.data[c.got:c.got + len(chunk)]:
                            c.mismatch = True
                        c.hash.update(chunk)
                        c.got += len(chunk)
                if ev & selectors.EVENT_WRITE and c.sent < len(c.data) and not c.error:
                    room = min(a.chunk, a.inflight - (c.sent - c.got), len(c.data) - c.sent)
                    if room > 0:
                        c.sent += c.sock.send(c.data[c.sent:c.sent + room])
            except (BlockingIOError, InterruptedError):
                pass
            except OSError as e:
                c.error = f"{type(e).__name__}: {e}"
            if c.error or c.got >= len(c.data):
                c.done = True
                active -= 1
                sel.unregister(c.sock)
                continue
            want = selectors.EVENT_READ
            if c.sent < len(c.data) and c.sent - c.got < a.inflight:
                want |= selectors.EVENT_WRITE
            if key.events != want:
                sel.modify(c.sock, want, c)
    elapsed = time.monotonic() - start
    for c in conns:
        if c.sock:
            c.sock.close()
    completed = [c for c in conns if c.got == len(c.data) and not c.mismatch and
                 c.hash.digest() == hashlib.sha256(c.data).digest()]
    moved = sum(c.got for c in conns)
    rep = {
        "mode": "tcp", "host": a.host, "port": a.port, "conns": a.conns, "bytes": a.bytes,
        "connected": connected, "peak": peak, "connect_seconds": round(connect_s, 3),
        "completed": len(completed), "mismatched": sum(1 for c in conns if c.mismatch),
        "incomplete": [c.i for c in conns if c.got < len(c.data)][:20],
        "errors": sorted({c.error for c in conns if c.error})[:10],
        "echoed_bytes": moved, "seconds": round(elapsed, 3),
        "rate_mbit": round(moved * 8 / elapsed / 1e6, 2) if elapsed else 0,
    }
    return rep, len(completed) == a.conns


def main(argv=None):
    ap = argparse.ArgumentParser(prog="echoclient.py", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="mode", required=True)
    for name in ("udp", "tcp"):
        p = sub.add_parser(name)
        p.add_argument("--host", required=True)
        p.add_argument("--port", type=int, default=7)
        p.add_argument("--seconds", type=float, default=60.0, help=f"max {MAX_SECONDS:g}")
    u = sub.choices["udp"]
    u.add_argument("--count", type=int, default=1000, help=f"datagrams (max {MAX_COUNT})")
    u.add_argument("--sizes", default="1-1472", help="payload sizes LO-HI (default 1-1472)")
    u.add_argument("--window", type=int, default=32, help="datagrams outstanding at most")
    u.add_argument("--payload", help="send this text (count times) instead of numbered data")
    u.add_argument("--retry", type=float, default=1.0, help="resend after this many seconds")
    u.add_argument("--retries", type=int, default=5, help="resends per datagram at most")
    t = sub.choices["tcp"]
    t.add_argument("--conns", type=int, default=1)
    t.add_argument("--bytes", type=int, default=65536, help="bytes each connection moves")
    t.add_argument("--chunk", type=int, default=16384, help="largest send")
    t.add_argument("--inflight", type=int, default=65536, help="bytes sent ahead of the echo")
    a = ap.parse_args(argv)
    if not 0 < a.seconds <= MAX_SECONDS:
        fail(f"--seconds must be in (0, {MAX_SECONDS:g}]")
    if a.mode == "udp":
        if not 0 < a.count <= MAX_COUNT or a.window < 1:
            fail("bad --count or --window")
        rep, good = run_udp(a)
    else:
        if not 0 < a.conns <= 1000 or not 0 < a.bytes <= 1 << 30:
            fail("bad --conns or --bytes")
        rep, good = run_tcp(a)
    print(json.dumps(rep))
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
