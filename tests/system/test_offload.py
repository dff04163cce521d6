"""Checksum offload of the VF (drivers/net/igb/vf/vfring.c), seen from the
host's side of the wire: the NIC fills in IPv4 and UDP checksums the
driver left to it (the host's kernel keeps only datagrams whose checksums
are right), and it judges the checksums of what it receives."""
import json
import re
import subprocess
from pathlib import Path

UDPFRAMES = Path(__file__).resolve().parents[2] / "tools" / "udpframes.py"


def in_ns(netns, *args):
    return ["ip", "netns", "exec", netns, "/usr/bin/python3", str(UDPFRAMES), *args]


def test_checksum_offload_both_ways(net_shell, netns):
    listener = subprocess.Popen(in_ns(netns, "listen", "--port", "9999", "--count", "20",
                                      "--seconds", "60"), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
    try:
        # The socket must be bound before the guest sends (a loaded host
        # can take seconds to start python in the namespace).
        assert listener.stderr.readline().strip() == "listening", "the listener did not start"
        net_shell.command("spawn csumtest core 0 20 20")
        m = net_shell.wait(r"csumtest: VF (\d) sent (\d+) datagrams with checksum offload", 60, "sent")
        assert m.group(2) == "20", m.group(0)
        out, _ = listener.communicate(timeout=90)
    finally:
        if listener.poll() is None:
            listener.kill()
    got = json.loads(out)
    assert got["received"] == 20, got       # every checksum the NIC wrote is right
    assert bytes.fromhex(got["payloads"][0]).startswith(b"checksummed by the NIC"), got

    mac = f"02:00:00:00:01:0{m.group(1)}"
    sent = subprocess.run(in_ns(netns, "send", "--dst", mac, "--dst-ip", "10.11.0.9", "--good", "10",
                                "--bad-ip", "5", "--bad-udp", "5"),
                          capture_output=True, text=True, timeout=60, check=True)
    assert json.loads(sent.stdout)["sent"] == 20
    r = net_shell.wait(r"csumtest: received (\d+) IPv4 frames: IP checksum right (\d+) wrong (\d+), "
                       r"UDP/TCP checksum right (\d+) wrong (\d+)", 60, "verdicts")
    frames, ip_ok, ip_bad, l4_ok, l4_bad = map(int, r.groups())
    assert (frames, ip_ok, ip_bad) == (20, 15, 5), r.group(0)
    assert l4_bad == 5 and l4_ok in (10, 15), r.group(0)    # a bad IP header may skip the L4 check
