#!/usr/bin/python3
"""tools/badframes.py: malformed IPv4/UDP frames at a guest's address, raw
on tap0, to check that its network stack drops and counts them.

Runs inside the test namespace (tools/netns), like netpeer.py:

    ip netns exec NS /usr/bin/python3 tools/badframes.py --dst-mac 02:00:00:00:01:00 \\
        --dst-ip 10.11.0.2 --port 7 --each 20 [--garbage 200]

Sends `each` frames of every kind below, from tap0's MAC and 10.11.0.1,
and `garbage` frames of random length and content behind an IPv4
EtherType; prints one JSON object: how many of each kind went out.

  ip_checksum     IPv4 header checksum wrong             (lwIP: ip chkerr)
  udp_checksum    UDP checksum wrong                     (lwIP: udp chkerr)
  ip_total_len    IPv4 total length beyond the frame     (lwIP: ip lenerr)
  ip_short_ihl    IHL of 4 words (< 20 bytes)            (lwIP: ip lenerr)
  udp_truncated   IPv4 payload of 4 bytes, UDP header 8  (lwIP: udp lenerr)
  ip_truncated    frame ends 10 bytes into the IP header (padded by the NIC)
  bad_version     IP version 6 in an IPv4 EtherType      (lwIP: ip err)
"""
import argparse
import json
import random
import socket
import struct
import sys

from ipframes import ip_header, udp_datagram  # tools/ipframes.py, next to this script

ETH_P_IP = 0x0800
HOST_IP = "10.11.0.1"


def frames(kind, src, dst, port, n):
    out = []
    for i in range(n):
        payload = b"bad frame %d" % i
        udp = udp_datagram(src, dst, 40000 + i, port, payload)
        ip = ip_header(src, dst, len(udp), ident=i + 1)
        if kind == "ip_checksum":
            ip = ip[:10] + struct.pack("!H", struct.unpack("!H", ip[10:12])[0] ^ 0x1234) + ip[12:]
            body = ip + udp
        elif kind == "udp_checksum":
            udp = udp[:6] + struct.pack("!H", struct.unpack("!H", udp[6:8])[0] ^ 0x0F0F) + udp[8:]
            body = ip + udp
        elif kind == "ip_total_len":
            body = ip_header(src, dst, len(udp), total=20 + len(udp) + 400, ident=i + 1) + udp
        elif kind == "ip_short_ihl":
            body = ip_header(src, dst, len(udp), ihl=4, ident=i + 1) + udp
        elif kind == "udp_truncated":
            body = ip_header(src, dst, 4, ident=i + 1) + udp[:4]
        elif kind == "ip_truncated":
            body = ip[:10]
        elif kind == "bad_version":
            body = ip_header(src, dst, len(udp), version=6, ident=i + 1) + udp
        else:
            raise ValueError(kind)
        out.append(body)
    return out


KINDS = ("ip_checksum", "udp_checksum", "ip_total_len", "ip_short_ihl", "udp_truncated",
         "ip_truncated", "bad_version")


def main(argv=None):
    ap = argparse.ArgumentParser(prog="badframes.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("--ifname", default="tap0")
    ap.add_argument("--dst-mac", required=True)
    ap.add_argument("--dst-ip", required=True)
    ap.add_argument("--src-ip", default=HOST_IP)
    ap.add_argument("--port", type=int, default=7)
    ap.add_argument("--each", type=int, default=20, help="frames of each kind (max 1000)")
    ap.add_argument("--garbage", type=int, default=0, help="random frames too (max 10000)")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args(argv)
    if not 0 <= a.each <= 1000 or not 0 <= a.garbage <= 10000:
        print("badframes: --each 0..1000, --garbage 0..10000", file=sys.stderr)
        return 2
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((a.ifname, 0))
    src_mac = s.getsockname()[4]
    dst_mac = bytes.fromhex(a.dst_mac.replace(":", ""))
    eth = dst_mac + src_mac + struct.pack("!H", ETH_P_IP)
    sent = {}
    for kind in KINDS:
        for body in frames(kind, a.src_ip, a.dst_ip, a.port, a.each):
            s.send(eth + body)
        sent[kind] = a.each
    rnd = random.Random(a.seed)
    for _ in range(a.garbage):
        s.send(eth + rnd.randbytes(rnd.randint(0, 1500)))
    sent["garbage"] = a.garbage
    print(json.dumps({"sent": sent, "total": sum(sent.values())}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
