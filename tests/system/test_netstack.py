"""The POSIX network path: applications with lwIP on their own VNIC
(lib/lwip netif_vnic.c) and POSIX sockets (lib/posix), talking to the host
through QEMU's igb on tap0 in the test namespace (10.11.0.1/24 there).

usr/apps/udpecho (socket/recvfrom/sendto) and usr/apps/tcpecho (epoll,
nonblocking) are driven from the namespace by tools/echoclient.py, ping,
and raw frames; every wait is bounded. The guest's addresses are
10.11.0.2 and 10.11.0.3.
"""
import json
import re
import socket
import struct
import subprocess
import time
from pathlib import Path

import pytest

TOP = Path(__file__).resolve().parents[2]
ECHOCLIENT = TOP / "tools" / "echoclient.py"
PYTHON = "/usr/bin/python3"
IP_A, IP_B = "10.11.0.2", "10.11.0.3"


def spawn(shell, name, core, args, ready=60):
    """Start `name` on `core`; return (domain id, its ready line's match)."""
    out = shell.command(f"spawn {name} core {core} {args}")
    m = re.search(rf"spawned {name} as domain (0x\w+) on core {core}", out)
    assert m, f"spawn {name}: {out}"
    r = shell.wait(rf"{name}: VF (\d) MAC (\S+) IP (\S+) port (\d+) ready \(link up\)", ready,
                   f"{name} on core {core} ready")
    return m.group(1), r


def kill(shell, dom):
    shell.command(f"kill {dom}")


def client(netns, mode, timeout, **opts):
    """tools/echoclient.py inside the namespace; its JSON report."""
    argv = ["ip", "netns", "exec", netns, PYTHON, str(ECHOCLIENT), mode]
    for k, v in opts.items():
        argv += [f"--{k.replace('_', '-')}", str(v)]
    p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                       timeout=timeout)
    assert p.stdout.strip(), f"{' '.join(argv)}: exit {p.returncode}: {p.stderr}"
    return json.loads(p.stdout)


def start_client(netns, mode, **opts):
    argv = ["ip", "netns", "exec", netns, PYTHON, str(ECHOCLIENT), mode]
    for k, v in opts.items():
        argv += [f"--{k.replace('_', '-')}", str(v)]
    return subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def finish_client(p, timeout):
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        raise AssertionError(f"echoclient still running after {timeout}s: killed")
    assert out.strip(), f"echoclient exit {p.returncode}: {err}"
    return json.loads(out)


def test_ping_and_udp_echo(net_shell, netns):
    dom, r = spawn(net_shell, "udpecho", 1, f"ip={IP_A}/24 port=7")
    try:
        assert r.group(3) == IP_A, r.group(0)
        ping = subprocess.run(["ip", "netns", "exec", netns, "ping", "-c", "5", "-W", "2", IP_A],
                              capture_output=True, text=True, timeout=60)
        assert " 0% packet loss" in ping.stdout, ping.stdout + ping.stderr

        rep = client(netns, "udp", 200, host=IP_A, port=7, count=10000, sizes="1-1472",
                     window=32, seconds=180)
        assert rep["ok"] == 10000 and rep["bad"] == 0 and rep["missing"] == 0, rep
        assert rep["distinct_sizes"] == 1472, rep
        print(f"udp echo: {rep['rate']} datagrams/s, rtt {rep['rtt_us']}, "
              f"{rep['retransmits']} resent")
        rep = client(netns, "udp", 90, host=IP_A, port=7, count=300, sizes="64", window=1,
                     seconds=60)
        assert rep["ok"] == 300, rep
        print(f"udp ping-pong (64 bytes, one at a time): rtt {rep['rtt_us']}")

        # The per-packet breakdown, on request.
        rep = client(netns, "udp", 30, host=IP_A, port=7, count=1, payload="STATS", seconds=20)
        assert rep["ok"] == 1, rep
        m = net_shell.wait(r"pktstat: udpecho \(POSIX sockets over lwIP\) \((\d+) requests\)", 20,
                           "pktstat table")
        assert int(m.group(1)) >= 10000, m.group(0)
        net_shell.wait(r"pktstat:\s+total \(means\)", 20, "pktstat total")
        for stage in ("network stack in", "copy in", "application", "copy out",
                      "network stack out"):
            assert re.search(rf"pktstat:\s+{stage}\s+\d+\s+\d+", net_shell.seen), stage
        net_shell.wait(r"udpecho: lwip udp recv \d+", 20, "lwIP counters")
    finally:
        kill(net_shell, dom)


def test_ping_bursts_all_answered(net_shell, netns):
    """ICMP echo replies are sent by the receive thread inside its input
    batch, and told to the NIC once at the batch's end: are any left
    behind when the requests stop (mid-batch or not)? Bursts of 1 to 40
    requests, each awaited in full."""
    dom, r = spawn(net_shell, "udpecho", 1, f"ip={IP_A}/24 port=7")
    try:
        for n in (1, 2, 3, 17, 40):
            ping = subprocess.run(["ip", "netns", "exec", netns, "ping", "-c", str(n), "-i", "0.002",
                                   "-W", "5", "-q", IP_A], capture_output=True, text=True, timeout=90)
            assert f"{n} packets transmitted, {n} received" in ping.stdout, ping.stdout + ping.stderr
    finally:
        kill(net_shell, dom)


def test_tcp_echo_128_connections(net_shell, netns):
    dom, r = spawn(net_shell, "tcpecho", 2, f"ip={IP_B}/24 port=7")
    try:
        rep = client(netns, "tcp", 320, host=IP_B, port=7, conns=128, bytes=262144, seconds=300)
        print(f"tcp echo: {rep['rate_mbit']} Mbit/s each way, {rep['seconds']} s")
        assert rep["connected"] == 128 and rep["peak"] == 128, rep
        assert rep["completed"] == 128 and rep["mismatched"] == 0, rep
        m = net_shell.wait(r"tcpecho: idle: (\d+) connections so far, peak (\d+) at once, (\d+) bytes", 60,
                           "all connections closed")
        assert (int(m.group(1)), int(m.group(2))) == (128, 128), m.group(0)
        assert int(m.group(3)) == 128 * 262144, m.group(0)
        # What it cost the device: the receive tail is told in batches
        # (VF_RX_TAIL_BATCH), not once per frame; every send was told.
        c = net_shell.wait(r"tcpecho: vf \d+ frames rx (\d+) tx (\d+), register writes rx tail (\d+) "
                           r"tx tail (\d+) irq (\d+), doorbells (\d+)", 20, "cost counters")
        print(c.group(0))
        rx, tx, rdt, tdt = (int(c.group(k)) for k in (1, 2, 3, 4))
        assert rx > 128 * 262144 // 1460 and tx > 128 * 262144 // 1460, c.group(0)
        assert 0 < rdt * 4 < rx, c.group(0)
        assert 0 < tdt <= tx, c.group(0)
    finally:
        kill(net_shell, dom)


def test_two_applications_two_vnics_and_one_killed(net_shell, netns):
    a_dom, a = spawn(net_shell, "udpecho", 1, f"ip={IP_A}/24 port=7")
    b_dom, b = None, None
    try:
        b_dom, b = spawn(net_shell, "udpecho", 3, f"ip={IP_B}/24 port=7")
        assert a.group(1) != b.group(1) and a.group(2) != b.group(2), (a.group(0), b.group(0))
        # Both at once: each answers from its own address.
        pa = start_client(netns, "udp", host=IP_A, port=7, count=2000, sizes="1-1472", window=16,
                          seconds=60)
        pb = start_client(netns, "udp", host=IP_B, port=7, count=2000, sizes="1-1472", window=16,
                          seconds=60)
        ra, rb = finish_client(pa, 90), finish_client(pb, 90)
        assert ra["ok"] == 2000 and ra["bad"] == 0, ra
        assert rb["ok"] == 2000 and rb["bad"] == 0, rb

        # A is killed while both are busy; B goes on serving all of its load.
        pa = start_client(netns, "udp", host=IP_A, port=7, count=100000, sizes="1-1472",
                          window=16, seconds=20, retries=0)
        pb = start_client(netns, "udp", host=IP_B, port=7, count=4000, sizes="1-1472", window=16,
                          seconds=90)
        time.sleep(3)
        kill(net_shell, a_dom)
        a_dom = None
        net_shell.wait(r"domain udpecho \(\w+\) on core 1 (stopped|was stopped)", 30, "A stopped")
        ra, rb = finish_client(pa, 60), finish_client(pb, 120)
        assert 0 < ra["ok"] < 100000, ra           # A answered, then stopped
        assert rb["ok"] == 4000 and rb["bad"] == 0 and rb["missing"] == 0, rb
        rb = client(netns, "udp", 60, host=IP_B, port=7, count=200, seconds=30)
        assert rb["ok"] == 200, rb
    finally:
        for dom in (a_dom, b_dom):
            if dom:
                kill(net_shell, dom)


@pytest.mark.parametrize("mode", ["net=csum=sw", "offload"])
def test_malformed_frames_dropped_and_counted(net_shell, netns, mode):
    """With net=csum=sw lwIP sees every frame and counts each kind where it
    belongs; with the NIC's checksum offload a frame the NIC judged wrong
    (a bad checksum, and some other malformations) is dropped before lwIP,
    as link chkerr."""
    dom, r = spawn(net_shell, "udpecho", 1, f"ip={IP_A}/24 port=7" + (" net=csum=sw" if mode != "offload" else ""))
    try:
        mac = r.group(2)
        rep = client(netns, "udp", 60, host=IP_A, port=7, count=50, seconds=30)   # ARP learnt
        assert rep["ok"] == 50, rep
        p = subprocess.run(["ip", "netns", "exec", netns, PYTHON, str(TOP / "tools" / "badframes.py"),
                            "--dst-mac", mac, "--dst-ip", IP_A, "--port", "7", "--each", "20",
                            "--garbage", "300"], capture_output=True, text=True, timeout=60)
        assert p.returncode == 0, p.stderr
        sent = json.loads(p.stdout)["sent"]

        # Still serving, and it says what it dropped.
        rep = client(netns, "udp", 60, host=IP_A, port=7, count=500, seconds=40)
        assert rep["ok"] == 500 and rep["bad"] == 0, rep
        net_shell.seen = ""
        rep = client(netns, "udp", 30, host=IP_A, port=7, count=1, payload="STATS", seconds=20)
        assert rep["ok"] == 1, rep
        net_shell.wait(r"udpecho: lwip tcp recv", 20, "lwIP counters")
        c = {m.group(1): {k: int(v) for k, v in re.findall(r"(\w+) (\d+)", m.group(2))}
             for m in re.finditer(r"udpecho: lwip (\w+) (recv .*)", net_shell.seen)}
        print("lwIP counters:", c)
        if mode == "offload":
            # Dropped on the NIC's verdict (lib/lwip netif_vnic.c) or by lwIP.
            caught = ("ip_checksum", "udp_checksum", "ip_total_len", "ip_short_ihl", "udp_truncated")
            assert c["link"]["chkerr"] + c["ip"]["chkerr"] + c["udp"]["chkerr"] + \
                c["ip"]["lenerr"] + c["udp"]["lenerr"] >= sum(sent[k] for k in caught), c
            assert c["link"]["chkerr"] >= sent["ip_checksum"] + sent["udp_checksum"], c
        else:
            assert c["link"]["chkerr"] == 0, c
            assert c["ip"]["chkerr"] >= sent["ip_checksum"], c
            assert c["udp"]["chkerr"] >= sent["udp_checksum"], c
            assert c["ip"]["lenerr"] >= sent["ip_total_len"] + sent["ip_short_ihl"], c
            assert c["udp"]["lenerr"] >= sent["udp_truncated"], c
        assert c["ip"]["drop"] + c["udp"]["drop"] + c["link"]["drop"] >= \
            sum(sent[k] for k in sent if k != "garbage"), c
        # None of them was answered: every echo the host saw was one it sent.
        assert rep["bad"] == 0, rep
    finally:
        kill(net_shell, dom)


def test_stacks_apart_one_per_core(net_shell, netns):
    """Stacks apart (lib/lwip net_start_apart, lwip_stacks.h): lwipstacks
    echo with cores=2 from core 2 gives core 2 a VF, 10.11.0.40 and lwIP
    stack 0, core 3 a VF, 10.11.0.41 and stack 1 (a copy of lwIP with its
    own PCBs, pools and core lock); a thread on each core echoes TCP
    through its own stack. Clients on both addresses at once get every
    byte back, and each connection is served by the core and stack of the
    address it went to."""
    ips = ["10.11.0.40", "10.11.0.41"]
    out = net_shell.command(f"spawn lwipstacks core 2 echo ip={ips[0]}/24 cores=2")
    m = re.search(r"spawned lwipstacks as domain (0x\w+) on core 2", out)
    assert m, out
    try:
        net_shell.wait(r"lwipstacks: core 2: stack 0 echoes on port 7", 60, "core 2 echoes")
        net_shell.wait(r"lwipstacks: core 3: stack 1 echoes on port 7", 60, "core 3 echoes")
        clients = [start_client(netns, "tcp", host=ip, port=7, conns=3, bytes=65536, seconds=120)
                   for ip in ips]
        reps = [finish_client(c, 180) for c in clients]
        for ip, rep in zip(ips, reps):
            assert rep["completed"] == 3 and rep["mismatched"] == 0, (ip, rep)
        for core, stack in ((2, 0), (3, 1)):
            line = rf"lwipstacks: core {core} stack {stack}: a connection echoed 65536 bytes"
            net_shell.wait(rf"{line}[\s\S]*{line}[\s\S]*{line}", 60, f"core {core}'s 3 connections")
            assert len(re.findall(line, net_shell.seen)) == 3, net_shell.seen[-3000:]
        # No connection went to the other core's stack.
        assert len(re.findall(r"lwipstacks: core \d stack \d: a connection", net_shell.seen)) == 6
        assert "lwipstacks: FAIL" not in net_shell.seen
        assert "lwip: assertion" not in net_shell.seen, "lwIP asserted"
    finally:
        kill(net_shell, m.group(1))
