"""Checksum offload of the VF (drivers/net/igb/vf/vfring.c), seen from the
host's side of the wire: the NIC fills in IPv4 and UDP checksums the
driver left to it (the host's kernel keeps only datagrams whose checksums
are right), and it judges the checksums of what it receives.

And lwIP over it (lib/lwip netif_vnic.c, vnic_vf.c): a POSIX server
leaves its checksums to the NIC, and what the NIC finds wrong is dropped
and counted, never answered; with net=csum=sw, lwIP does all of it."""
import json
import re
import subprocess
from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parents[2] / "tools"
UDPFRAMES = TOOLS / "udpframes.py"
TCPFRAMES = TOOLS / "tcpframes.py"
ECHOCLIENT = TOOLS / "echoclient.py"


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


def tool(netns, script, *args, timeout=90):
    p = subprocess.run(["ip", "netns", "exec", netns, "/usr/bin/python3", str(script), *args],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout)
    assert p.returncode == 0 and p.stdout.strip(), f"{script.name} {args}: {p.stderr}"
    return json.loads(p.stdout)


def tcp_echo(netns, ip):
    rep = tool(netns, ECHOCLIENT, "tcp", "--host", ip, "--port", "7", "--conns", "4",
               "--bytes", "65536", "--seconds", "60", timeout=120)
    assert rep["completed"] == 4 and rep["mismatched"] == 0, rep


@pytest.mark.parametrize("mode", ["offload", "net=csum=sw"])
def test_wrong_checksums_dropped_good_traffic_served(net_shell, netns, mode):
    """What if the host sends a TCP server SYNs and UDP datagrams whose
    TCP, UDP or IPv4 header checksums are wrong? None is answered, each is
    counted (by the NIC's verdict with offload, by lwIP's own check with
    net=csum=sw), and the server goes on echoing."""
    core, ip = (1, "10.11.0.2") if mode == "offload" else (2, "10.11.0.3")
    extra = "" if mode == "offload" else mode
    out = net_shell.command(f"spawn tcpecho core {core} ip={ip}/24 port=7 seconds=100 {extra}".rstrip())
    assert f"spawned tcpecho as domain" in out, out
    r = net_shell.wait(rf"tcpecho: VF (\d) MAC (\S+) IP {ip} port 7 ready", 90, "tcpecho ready")
    mac = r.group(2)
    tcp_echo(netns, ip)                 # served (and the host's MAC learnt)

    syn = tool(netns, TCPFRAMES, "syn", "--dst", mac, "--dst-ip", ip, "--port", "7",
               "--good", "10", "--bad-tcp", "10", "--bad-ip", "10", "--seconds", "5")
    assert syn["sent"] == {"good": 10, "bad_tcp": 10, "bad_ip": 10}, syn
    assert syn["answered"]["bad_tcp"] == 0 and syn["answered"]["bad_ip"] == 0, syn
    assert syn["answered"]["good"] == 10, syn       # the good ones were answered
    sent = tool(netns, UDPFRAMES, "send", "--dst", mac, "--dst-ip", ip, "--port", "7",
                "--good", "5", "--bad-ip", "5", "--bad-udp", "5")
    assert sent["sent"] == 15, sent
    tcp_echo(netns, ip)                 # still served

    vf = net_shell.wait(r"tcpecho: vf \d .* csum (\w+) rx_csum_bad (\d+)", 150, "tcpecho's counters")
    net_shell.wait(r"tcpecho: lwip tcp recv .*", 20, "lwIP's counters")
    c = {m.group(1): {k: int(v) for k, v in re.findall(r"(\w+) (\d+)", m.group(2))}
         for m in re.finditer(r"tcpecho: lwip (\w+) (recv .*)", net_shell.seen[vf.start():])}
    print(mode, vf.group(0), c)
    if mode == "offload":
        assert vf.group(1) == "nic", vf.group(0)
        # 10 + 10 SYNs, 5 + 5 datagrams; the NIC judges the L4 checksum of
        # a datagram behind a wrong IP header too.
        assert int(vf.group(2)) == 30, vf.group(0)
        assert c["link"]["chkerr"] == 30 and c["link"]["drop"] >= 30, c
        assert c["ip"]["chkerr"] == 0 and c["tcp"]["chkerr"] == 0 and c["udp"]["chkerr"] == 0, c
    else:
        assert vf.group(1) == "sw" and vf.group(2) == "0", vf.group(0)
        assert c["ip"]["chkerr"] == 15, c           # 10 SYNs, 5 datagrams
        assert c["tcp"]["chkerr"] == 10 and c["udp"]["chkerr"] == 5, c
