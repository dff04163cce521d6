#!/usr/bin/python3
"""udpframes.py: hand-made IPv4/UDP frames on a test namespace's tap0.

Run inside the namespace (`ip netns exec NS tools/udpframes.py ...`):

  send --dst MAC --src-ip A --dst-ip B --port P --good N --bad-ip N --bad-udp N
      sends N frames each with right checksums, a wrong IPv4 header
      checksum, a wrong UDP checksum; prints {"sent": n}
  listen --ip A --port P --count N --seconds S
      a UDP socket on A:P (the kernel drops datagrams whose checksums are
      wrong); prints {"received": n, "payloads": [...]} (first 8)

Bounded: at most 10000 frames, 120 s.
"""
import argparse
import json
import socket
import sys
import time

from ipframes import ip_header, udp_datagram  # tools/ipframes.py, next to this script

HOST_MAC = "02:00:00:00:00:01"


def frame(dst, src_ip, dst_ip, port, payload, bad_ip=False, bad_udp=False):
    udp = udp_datagram(src_ip, dst_ip, 40000, port, payload, bad_csum=bad_udp)
    ip = ip_header(src_ip, dst_ip, len(udp), bad_csum=bad_ip)
    eth = bytes.fromhex(dst.replace(":", "")) + bytes.fromhex(HOST_MAC.replace(":", "")) + b"\x08\x00"
    return eth + ip + udp


def send(a):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((a.ifname, 0))
    n = 0
    for kind, count in (("good", a.good), ("bad_ip", a.bad_ip), ("bad_udp", a.bad_udp)):
        for i in range(min(count, 10000)):
            s.send(frame(a.dst, a.src_ip, a.dst_ip, a.port, f"{kind} {i}".encode(),
                         bad_ip=kind == "bad_ip", bad_udp=kind == "bad_udp"))
            n += 1
            time.sleep(0.002)
    print(json.dumps({"sent": n}))


def listen(a):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((a.ip, a.port))
    print("listening", file=sys.stderr, flush=True)     # callers wait for this before sending
    end = time.monotonic() + min(a.seconds, 120)
    got = []
    while len(got) < a.count and time.monotonic() < end:
        s.settimeout(max(0.01, end - time.monotonic()))
        try:
            data, _ = s.recvfrom(2048)
        except socket.timeout:
            break
        got.append(data)
    print(json.dumps({"received": len(got), "payloads": [g.hex() for g in got[:8]]}), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ifname", default="tap0")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("send")
    p.add_argument("--dst", required=True)
    p.add_argument("--src-ip", default="10.11.0.1")
    p.add_argument("--dst-ip", required=True)
    p.add_argument("--port", type=int, default=7)
    for k in ("good", "bad-ip", "bad-udp"):
        p.add_argument(f"--{k}", type=int, default=0)
    p = sub.add_parser("listen")
    p.add_argument("--ip", default="10.11.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--seconds", type=float, default=10)
    a = ap.parse_args()
    {"send": send, "listen": listen}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
