"""tools/ipframes.py: IPv4, UDP and ICMP pieces for the host tools that
hand-make frames (udpclient.py, badframes.py, udpframes.py): the one
Internet checksum and header builders whose every field can be set wrong
on purpose."""
import socket
import struct


def csum(data):
    """The Internet checksum (RFC 1071) of `data`."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ip_header(src, dst, payload_len, proto=17, ihl=5, total=None, ident=1, frag=0x4000,
              version=4, options=b"", bad_csum=False):
    """An IPv4 header for `payload_len` bytes (its checksum right unless
    bad_csum); `total`, `ihl` and `version` may lie."""
    h = struct.pack("!BBHHHBBH4s4s", version << 4 | ihl, 0,
                    total if total is not None else ihl * 4 + payload_len, ident, frag, 64, proto,
                    0, socket.inet_aton(src), socket.inet_aton(dst)) + options
    c = csum(h) ^ (0x5A5A if bad_csum else 0)
    return h[:10] + struct.pack("!H", c) + h[12:]


def udp_datagram(src, dst, sport, dport, payload, ulen=None, bad_csum=False):
    """A UDP header and payload, the checksum over the real length (right
    unless bad_csum); `ulen` may lie about the length field."""
    real = 8 + len(payload)
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 17, real)
    c = csum(pseudo + struct.pack("!HHHH", sport, dport, real, 0) + payload) or 0xFFFF
    if bad_csum:
        c ^= 0x5A5A
    return struct.pack("!HHHH", sport, dport, ulen if ulen is not None else real, c) + payload


def tcp_segment(src, dst, sport, dport, seq, flags=0x02, payload=b"", bad_csum=False):
    """A TCP header of 20 bytes (window 8192, no options) and payload, the
    checksum right unless bad_csum; flags 0x02 is a SYN."""
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq, 0, 5 << 4, flags, 8192, 0, 0)
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 6,
                                                                         len(hdr) + len(payload))
    c = csum(pseudo + hdr + payload) ^ (0x5A5A if bad_csum else 0)
    return hdr[:16] + struct.pack("!H", c) + hdr[18:] + payload
