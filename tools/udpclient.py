#!/usr/bin/python3
"""udpclient.py: UDP echo, ping and malformed-frame client for the guest's
native network stack, run inside a test network namespace (tools/netns).

  udpclient.py echo --dst IP --port N [--count N] [--min 1] [--max 1472]
               [--window 32] [--timeout S] [--seconds S] [--payload TEXT]
      sends --count datagrams of sizes min..max (cycling), at most --window
      outstanding, and checks that each comes back byte-identical; a
      datagram not back within --timeout seconds is missing.
  udpclient.py ping --dst IP [--count 3] [--timeout 2]
      ICMP echo through a raw socket (for hosts without ping(8)).
  udpclient.py fuzz --dst-mac MAC --dst-ip IP --port N [--count N] [--seed S]
      sends --count random frames (seeded): garbage after an IPv4 or ARP
      type, and IPv4 headers with a right checksum in front of random UDP
      headers and lengths; none is a valid datagram to the port.
  udpclient.py listen --port N [--count N] [--seconds S]
      receives up to --count datagrams on 10.11.0.1:N (any address) and
      lists them with their source.
  udpclient.py malformed --dst-mac MAC --dst-ip IP --port N
      sends one of each malformed frame (raw, on tap0) and lists them with
      the drop reason the guest should count.

Each prints one JSON report. Everything is bounded (100000 datagrams,
600 s) and refuses to run outside a named network namespace.
"""
import argparse
import json
import os
import select
import socket
import struct
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import netpeer  # noqa: E402  (namespace check, raw frames on tap0)
from ipframes import csum, ip_header, udp_datagram  # noqa: E402

MAX_COUNT = 100000
MAX_SECONDS = 600.0
UDP_MAX = 1472


def payload(seq, size):
    """Bytes unique among any window of consecutive seqs (sizes differ)."""
    head = struct.pack("!I", seq)
    body = bytes((seq * 7 + i) & 0xFF for i in range(max(0, size - 4)))
    return (head + body)[:size]


def echo(dst, port, count, lo, hi, window, timeout, seconds, text=None):
    count = min(count, MAX_COUNT)
    seconds = min(seconds, MAX_SECONDS)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.connect((dst, port))
    s.setblocking(False)
    outstanding = {}                # payload -> (seq, time sent)
    order = []                      # seqs in sending order, for timeouts
    sent = identical = unexpected = 0
    missing = []
    start = time.monotonic()
    end = start + seconds
    seq = 0
    while (seq < count or outstanding) and time.monotonic() < end:
        while seq < count and len(outstanding) < window:
            data = text.encode() if text else payload(seq, lo + seq % (hi - lo + 1))
            s.send(data)
            outstanding[data] = (seq, time.monotonic())
            order.append(data)
            sent += 1
            seq += 1
        select.select([s], [], [], 0.05)
        while True:
            try:
                got = s.recv(65536)
            except BlockingIOError:
                break
            if got in outstanding:
                del outstanding[got]
                identical += 1
            else:
                unexpected += 1
        now = time.monotonic()
        while order and (order[0] not in outstanding or now - outstanding[order[0]][1] > timeout):
            data = order.pop(0)
            if data in outstanding:
                missing.append(outstanding.pop(data)[0])
    missing += sorted(v[0] for v in outstanding.values())
    return {"sent": sent, "identical": identical, "unexpected": unexpected,
            "missing": missing[:100], "missing_count": len(missing),
            "seconds": round(time.monotonic() - start, 3)}


def ping(dst, count, timeout):
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    ident = os.getpid() & 0xFFFF
    replies = []
    for seq in range(count):
        body = struct.pack("!BBHHH", 8, 0, 0, ident, seq) + b"arrakis-ping" * 4
        body = body[:2] + struct.pack("!H", csum(body)) + body[4:]
        t0 = time.monotonic()
        s.sendto(body, (dst, 0))
        end = t0 + timeout
        while time.monotonic() < end:
            r, _, _ = select.select([s], [], [], end - time.monotonic())
            if not r:
                break
            pkt, addr = s.recvfrom(65536)
            icmp = pkt[(pkt[0] & 15) * 4:]
            if addr[0] == dst and icmp[0] == 0 and struct.unpack("!HH", icmp[4:8]) == (ident, seq):
                replies.append({"seq": seq, "ms": round((time.monotonic() - t0) * 1000, 2),
                                "identical": icmp[8:] == body[8:], "csum_ok": csum(icmp) == 0})
                break
    return {"sent": count, "received": len(replies), "replies": replies}


def malformed_frames(dst_mac, src_mac, dst, src, port):
    """(name, frame, the drop reason the guest counts for it)."""
    eth = netpeer.mac_bytes(dst_mac) + netpeer.mac_bytes(src_mac)
    ipv4 = eth + b"\x08\x00"
    data = b"malformed!" * 10
    good_udp = udp_datagram(src, dst, 40000, port, data)
    frames = []

    h = bytearray(ip_header(src, dst, len(good_udp)))
    h[10] ^= 0xFF
    frames.append(("bad_ip_checksum", ipv4 + bytes(h) + good_udp, "ip_csum"))
    frames.append(("udp_length_past_ip", ipv4 + ip_header(src, dst, len(good_udp)) +
                   udp_datagram(src, dst, 40000, port, data, ulen=len(good_udp) + 40), "udp_len"))
    frames.append(("udp_length_below_8", ipv4 + ip_header(src, dst, len(good_udp)) +
                   udp_datagram(src, dst, 40000, port, data, ulen=4), "udp_len"))
    # IHL 15 (60 bytes) in a frame holding 50 bytes of IP: header truncated.
    frames.append(("truncated_ip_header", ipv4 + ip_header(src, dst, 0, ihl=15, total=50,
                                                           options=bytes(40))[:50], "ip_trunc"))
    frames.append(("ip_total_length_past_frame", ipv4 + ip_header(src, dst, len(good_udp), total=1000) +
                   good_udp, "ip_len"))
    frames.append(("bad_udp_checksum", ipv4 + ip_header(src, dst, len(good_udp)) +
                   udp_datagram(src, dst, 40000, port, data, bad_csum=True), "udp_csum"))
    frames.append(("ip_version_6", ipv4 + ip_header(src, dst, len(good_udp), version=6) + good_udp,
                   "ip_version"))
    frames.append(("ip_ihl_4", ipv4 + ip_header(src, dst, len(good_udp), ihl=4)[:16] + bytes(4) +
                   good_udp, "ip_hlen"))
    frames.append(("ip_fragment", ipv4 + ip_header(src, dst, len(good_udp), frag=0x2000) + good_udp,
                   "ip_frag"))
    frames.append(("udp_other_port", ipv4 + ip_header(src, dst, len(good_udp)) +
                   udp_datagram(src, dst, 40000, port + 1, data), "udp_port"))
    # Runts: QEMU's igb pads every received frame to 60 bytes with zeros
    # (igb_receive_internal, ETH_ZLEN) before the guest sees it, so the
    # guest finds an IP version of 0, a header whose checksum the zeros
    # do not satisfy, and an ARP request for 0.0.0.0.
    frames.append(("runt_ethernet_header_only", ipv4, "ip_version"))
    frames.append(("runt_ip_6_bytes", ipv4 + b"\x45\x00\x00\x14\x00\x00", "ip_csum"))
    frames.append(("runt_arp_10_bytes", eth + b"\x08\x06" + b"\x00\x01\x08\x00\x06\x04\x00\x01\x00\x00",
                   "arp_other"))
    return frames


def fuzz_frames(dst_mac, src_mac, dst, src, port, count, seed):
    import random
    rnd = random.Random(seed)
    eth = netpeer.mac_bytes(dst_mac) + netpeer.mac_bytes(src_mac)
    for i in range(count):
        kind = i % 3
        if kind == 0:               # anything at all behind an IPv4 or ARP type
            body = rnd.randbytes(rnd.randint(0, 200))
            yield eth + rnd.choice((b"\x08\x00", b"\x08\x06")) + body
        elif kind == 1:             # a plausible IPv4 start, random rest
            body = bytes([0x40 | rnd.randint(0, 15)]) + rnd.randbytes(rnd.randint(0, 100))
            yield eth + b"\x08\x00" + body
        else:                       # a right IP header, a random UDP header that lies
            data = rnd.randbytes(rnd.randint(0, 300))
            ulen = rnd.choice((rnd.randint(0, 7), len(data) + 8 + rnd.randint(1, 2000)))
            u = struct.pack("!HHHH", rnd.randint(1, 65535), port, ulen, rnd.randint(0, 65535)) + data
            if rnd.random() < 0.75:
                yield eth + b"\x08\x00" + ip_header(src, dst, len(u)) + u
            else:                   # cut short: the IP total length lies instead
                yield eth + b"\x08\x00" + ip_header(src, dst, len(u)) + u[:rnd.randint(0, len(u) - 1)]


def fuzz(dst_mac, dst, port, count, seed, src="10.11.0.1"):
    p = netpeer.Peer()
    sent = errors = 0
    try:
        for i, frame in enumerate(fuzz_frames(dst_mac, p.mac, dst, src, port, min(count, MAX_COUNT), seed)):
            errors += p.send(frame) is not None
            sent += 1
            if i % 50 == 49:
                time.sleep(0.01)    # the guest's ring holds 255
    finally:
        p.close()
    return {"sent": sent, "errors": errors}


def malformed(dst_mac, dst, port, src="10.11.0.1"):
    p = netpeer.Peer()
    try:
        sent = []
        for name, frame, reason in malformed_frames(dst_mac, p.mac, dst, src, port):
            err = p.send(frame)
            sent.append({"name": name, "len": len(frame), "reason": reason, "error": err})
            time.sleep(0.02)
    finally:
        p.close()
    return {"sent": sent}


def listen(port, count, seconds, ready=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", port))
    if ready:
        Path(ready).write_text("listening\n")
    got = []
    end = time.monotonic() + min(seconds, MAX_SECONDS)
    while len(got) < min(count, MAX_COUNT):
        left = end - time.monotonic()
        if left <= 0 or not select.select([s], [], [], left)[0]:
            break
        data, addr = s.recvfrom(65536)
        got.append({"from": f"{addr[0]}:{addr[1]}", "data": data.decode("latin-1")})
    return {"received": len(got), "datagrams": got}


def main(argv=None):
    ap = argparse.ArgumentParser(prog="udpclient.py", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("echo")
    e.add_argument("--dst", required=True)
    e.add_argument("--port", type=int, required=True)
    e.add_argument("--count", type=int, default=100)
    e.add_argument("--min", type=int, default=1)
    e.add_argument("--max", type=int, default=UDP_MAX)
    e.add_argument("--window", type=int, default=32)
    e.add_argument("--timeout", type=float, default=3.0)
    e.add_argument("--seconds", type=float, default=60.0)
    e.add_argument("--payload", help="send this text every time instead")
    p = sub.add_parser("ping")
    p.add_argument("--dst", required=True)
    p.add_argument("--count", type=int, default=3)
    p.add_argument("--timeout", type=float, default=2.0)
    f = sub.add_parser("fuzz")
    f.add_argument("--dst-mac", required=True)
    f.add_argument("--dst-ip", required=True)
    f.add_argument("--port", type=int, required=True)
    f.add_argument("--count", type=int, default=1000)
    f.add_argument("--seed", type=int, default=1)
    li = sub.add_parser("listen")
    li.add_argument("--port", type=int, required=True)
    li.add_argument("--count", type=int, default=1)
    li.add_argument("--seconds", type=float, default=30.0)
    li.add_argument("--ready", help="write this file once the socket is bound")
    m = sub.add_parser("malformed")
    m.add_argument("--dst-mac", required=True)
    m.add_argument("--dst-ip", required=True)
    m.add_argument("--port", type=int, required=True)
    a = ap.parse_args(argv)
    netpeer.need_netns()
    if a.cmd == "echo":
        if not 0 <= a.min <= a.max <= UDP_MAX or a.window < 1:
            ap.error("need 0 <= min <= max <= 1472 and window >= 1")
        rep = echo(a.dst, a.port, a.count, a.min, a.max, a.window, a.timeout, a.seconds, a.payload)
        ok = rep["identical"] == rep["sent"]
    elif a.cmd == "ping":
        rep = ping(a.dst, min(a.count, 1000), a.timeout)
        ok = rep["received"] == rep["sent"]
    elif a.cmd == "fuzz":
        rep = fuzz(a.dst_mac, a.dst_ip, a.port, a.count, a.seed)
        ok = rep["errors"] == 0
    elif a.cmd == "listen":
        rep = listen(a.port, a.count, a.seconds, a.ready)
        ok = rep["received"] == a.count
    else:
        rep = malformed(a.dst_mac, a.dst_ip, a.port)
        ok = not any(f["error"] for f in rep["sent"])
    print(json.dumps(rep))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
