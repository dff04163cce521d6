#!/usr/bin/python3
"""tcpframes.py: hand-made TCP SYNs at a guest's server, some with wrong
checksums, raw on a test namespace's tap0, and which of them it answered.

Run inside the namespace (`ip netns exec NS tools/tcpframes.py ...`):

  syn --dst MAC --dst-ip B --port P --good N --bad-tcp N --bad-ip N [--seconds S]
      sends N SYNs of each kind (right checksums, a wrong TCP checksum, a
      wrong IPv4 header checksum), each kind from its own range of source
      ports, then listens S seconds (default 3) for what comes back from
      the guest's MAC to those ports (a SYN-ACK from a listener, a RST
      without one); prints {"sent": {kind: n}, "answered": {kind: n}}.

A stack that believes a wrong checksum answers a bad SYN; one that drops it
stays silent. (The host's kernel resets the connections the good SYNs
open: it never made them.) Bounded: at most 1000 SYNs a kind, 30 s.
"""
import argparse
import json
import socket
import struct
import sys
import time

from ipframes import ip_header, tcp_segment  # tools/ipframes.py, next to this script

ETH_P_IP = 0x0800
HOST_MAC = "02:00:00:00:00:01"
PORTS = {"good": 41000, "bad_tcp": 43000, "bad_ip": 45000}    # + i, i < 1000


def mac_bytes(mac):
    return bytes.fromhex(mac.replace(":", ""))


def syn(a):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_IP))
    s.bind((a.ifname, 0))
    guest = mac_bytes(a.dst)
    eth = guest + mac_bytes(HOST_MAC) + b"\x08\x00"
    sent = {}
    for kind, count in (("good", a.good), ("bad_tcp", a.bad_tcp), ("bad_ip", a.bad_ip)):
        n = min(count, 1000)
        for i in range(n):
            tcp = tcp_segment(a.src_ip, a.dst_ip, PORTS[kind] + i, a.port, 1000 + i,
                              bad_csum=kind == "bad_tcp")
            ip = ip_header(a.src_ip, a.dst_ip, len(tcp), proto=6, ident=PORTS[kind] + i,
                           bad_csum=kind == "bad_ip")
            s.send(eth + ip + tcp)
            time.sleep(0.002)
        sent[kind] = n
    answered = {k: set() for k in PORTS}
    end = time.monotonic() + min(a.seconds, 30)
    while time.monotonic() < end:
        s.settimeout(max(0.01, end - time.monotonic()))
        try:
            f = s.recv(2048)
        except socket.timeout:
            break
        if len(f) < 14 + 20 + 20 or f[6:12] != guest or f[14 + 9] != 6:
            continue
        ihl = (f[14] & 15) * 4
        sport, dport = struct.unpack("!HH", f[14 + ihl:14 + ihl + 4])
        for kind, base in PORTS.items():
            if sport == a.port and base <= dport < base + 1000:
                answered[kind].add(dport)
    print(json.dumps({"sent": sent, "answered": {k: len(v) for k, v in answered.items()}}))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ifname", default="tap0")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("syn")
    p.add_argument("--dst", required=True)
    p.add_argument("--src-ip", default="10.11.0.1")
    p.add_argument("--dst-ip", required=True)
    p.add_argument("--port", type=int, default=7)
    for k in ("good", "bad-tcp", "bad-ip"):
        p.add_argument(f"--{k}", type=int, default=0)
    p.add_argument("--seconds", type=float, default=3)
    a = ap.parse_args()
    {"syn": syn}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
