"""The Arrakis native interface (lib/arrakis/native*.c) seen from the host:
udpecho_native answers ping and ARP by itself, echoes UDP datagrams of
every size in place (zero copy) byte-identical, drops malformed frames
counting each by reason and keeps echoing, and prints its counters and
the per-packet cost table on request and at exit. The host side runs in
the module's network namespace (tools/udpclient.py, ping)."""
import json
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from netpeer import PYTHON, vf_mac

CLIENT = Path(__file__).resolve().parents[2] / "tools" / "udpclient.py"
IP, IP2, PORT = "10.11.0.3", "10.11.0.4", 7
ECHOES = 10000


def client(netns, *args, timeout=60):
    """tools/udpclient.py inside the namespace; its JSON report."""
    argv = ["ip", "netns", "exec", netns, PYTHON, str(CLIENT), *map(str, args)]
    p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout)
    assert p.stdout.strip(), f"{' '.join(argv)}: exit {p.returncode}: {p.stderr.strip()}"
    return json.loads(p.stdout)


def wait_after(console, pos, pattern, timeout, why):
    """Like console.wait, but only output after offset `pos` of console.seen."""
    m = re.search(pattern, console.seen[pos:], re.S)
    while not m:
        console.expect(r"\n", timeout, why)
        m = re.search(pattern, console.seen[pos:], re.S)
    return m


def stats(console, netns, ip=IP):
    """Ask the app for its counters (a "STATS" datagram); returns
    (counters, drops by reason, the pktstat table text)."""
    pos = len(console.seen)
    r = client(netns, "echo", "--dst", ip, "--port", PORT, "--count", 1, "--payload", "STATS",
               "--timeout", 5, "--seconds", 10)
    assert r["identical"] == 1, r
    m = wait_after(console, pos, r"udpecho_native: rx frames .*?drops (\d+)\n(.*?tx_full=\d+).*?"
                   r"(pktstat: udpecho_native.*?total \(means\)[^\n]*)", 60, "STATS output")
    counters = {k: int(v) for k, v in re.findall(r"([a-z]+(?: [a-z]+)?) (\d+)(?=[,;\n])", m.group(0))}
    drops = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", m.group(2))}
    return counters, drops, m.group(3)


@pytest.fixture(scope="module")
def app(net_console):
    out = net_console.command(f"spawn udpecho_native core 1 ip={IP}/24 port={PORT} raw doorbell")
    assert re.search(r"spawned udpecho_native as domain 0x\w+ on core 1", out), out
    m = net_console.wait(r"udpecho_native: VF (\d) MAC (\S+) IP (\S+) port (\d+) ready \(link up\)", 60,
                         "udpecho_native ready")
    return {"vf": int(m.group(1)), "mac": m.group(2), "ip": m.group(3), "port": int(m.group(4))}


def test_ready_line(app):
    assert app["mac"] == vf_mac(app["vf"]) and (app["ip"], app["port"]) == (IP, PORT), app


def test_ping(net_shell, app):
    """ARP and ICMP echo are answered by the library itself."""
    if shutil.which("ping"):
        p = subprocess.run(["ip", "netns", "exec", net_shell.netns, "ping", "-c", "3", "-W", "2", IP],
                           capture_output=True, text=True, timeout=30)
        assert p.returncode == 0 and " 3 received" in p.stdout, p.stdout + p.stderr
    else:                               # ping(8) missing: the same over a raw socket
        r = client(net_shell.netns, "ping", "--dst", IP, "--count", 3, "--timeout", 2)
        assert r["received"] == 3 and all(x["identical"] and x["csum_ok"] for x in r["replies"]), r
    arp = subprocess.run(["ip", "netns", "exec", net_shell.netns, "ip", "neigh", "show", IP],
                         capture_output=True, text=True).stdout
    assert app["mac"] in arp, arp


def test_udp_echo_every_size(net_shell, app):
    """10000 datagrams of 1..1472 bytes, 32 outstanding, all back intact."""
    r = client(net_shell.netns, "echo", "--dst", IP, "--port", PORT, "--count", ECHOES, "--min", 1,
               "--max", 1472, "--window", 32, "--timeout", 5, "--seconds", 150, timeout=200)
    assert r["sent"] == ECHOES and r["identical"] == ECHOES and r["unexpected"] == 0, r
    print(f"echo: {ECHOES} datagrams of 1..1472 bytes back intact in {r['seconds']} s")
    counters, drops, table = stats(net_shell, net_shell.netns)
    assert counters["udp replies"] >= ECHOES + 1, counters
    # The table: the stack stages have every request, the copy stages none.
    rows = {m.group(1): m.group(2) for m in re.finditer(r"pktstat:\s+(network stack in|copy in|application"
                                                        r"|copy out|network stack out)\s+(\S+)", table)}
    assert int(rows["network stack in"]) >= ECHOES and int(rows["network stack out"]) >= ECHOES, table
    assert rows["copy in"] == "-" and rows["copy out"] == "-", table
    print(table)


def test_raw_frames_echoed_with_completions(net_shell, peer, app):
    """With `raw`, frames that are not ARP/IPv4 reach the application whole;
    it sends each back from the same buffer and gets a completion each."""
    before, _, _ = stats(net_shell, net_shell.netns)
    r = peer("exchange", dst=app["mac"], count=50, seconds=20)
    src = r["sources"].get(app["mac"], {})
    assert (src.get("count"), src.get("identical")) == (50, 50) and not r["missing"], r
    after, _, _ = stats(net_shell, net_shell.netns)
    assert after["raw sent"] - before["raw sent"] == 50, (before, after)
    assert after["completions"] - before["completions"] >= 50, (before, after)


def test_malformed_frames_dropped_by_reason(net_shell, app):
    """Bad IP checksum, bad UDP lengths, a truncated IP header, an IP total
    length past the frame, runts...: each dropped and counted by reason;
    then random frames, all dropped; and the echo goes on."""
    _, before, _ = stats(net_shell, net_shell.netns)
    r = client(net_shell.netns, "malformed", "--dst-mac", app["mac"], "--dst-ip", IP, "--port", PORT)
    assert not any(f["error"] for f in r["sent"]), r
    _, after, _ = stats(net_shell, net_shell.netns)
    delta = {k: after[k] - before[k] for k in after}
    want = {}
    for f in r["sent"]:
        want[f["reason"]] = want.get(f["reason"], 0) + 1
    for reason, n in want.items():
        assert delta[reason] == n, (reason, delta, r["sent"])
    assert sum(delta.values()) == len(r["sent"]), (delta, r["sent"])
    print("drops by reason:", {k: v for k, v in delta.items() if v})

    # 2000 seeded random frames: every one dropped, none crashes the app.
    r = client(net_shell.netns, "fuzz", "--dst-mac", app["mac"], "--dst-ip", IP, "--port", PORT,
               "--count", 2000, "--seed", 7, timeout=120)
    assert r == {"sent": 2000, "errors": 0}, r
    _, fuzzed, _ = stats(net_shell, net_shell.netns)
    delta = {k: fuzzed[k] - after[k] for k in fuzzed}
    assert sum(delta.values()) == 2000 and delta["tx_full"] == 0, delta
    print("fuzz drops by reason:", {k: v for k, v in delta.items() if v})
    r = client(net_shell.netns, "echo", "--dst", IP, "--port", PORT, "--count", 200, "--timeout", 5,
               "--seconds", 60)
    assert r["identical"] == 200 and r["unexpected"] == 0, r


def test_second_instance_sends_fresh_then_counts_and_exits(net_shell, app, tmp_path):
    """Another VF on another core: first 3 datagrams from fresh buffers to
    a host socket (ARP for the host, a completion per send), then count=5
    echoes, then the counters and the pktstat table at exit, and a clean
    end."""
    ready = tmp_path / "ready"
    argv = ["ip", "netns", "exec", net_shell.netns, PYTHON, str(CLIENT), "listen", "--port", "9000",
            "--count", "3", "--seconds", "90", "--ready", str(ready)]
    listener = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(100):
            if ready.exists() or listener.poll() is not None:
                break
            time.sleep(0.1)
        assert ready.exists(), listener.communicate(timeout=5)
        out = net_shell.command(f"spawn udpecho_native core 2 ip={IP2}/24 port={PORT} count=5 csum=off "
                                "hello=10.11.0.1:9000")
        dom = re.search(r"spawned udpecho_native as domain (0x\w+) on core 2", out).group(1)
        m = net_shell.wait(r"udpecho_native: VF (\d) MAC (\S+) IP 10\.11\.0\.4 port 7 ready", 60,
                           "second ready")
        assert int(m.group(1)) != app["vf"], m.group(0)
        h = net_shell.wait(r"udpecho_native: hello: (\d+) datagrams sent to 10\.11\.0\.1:9000 from fresh "
                           r"buffers, (\d+) completions \(cookies in order: (\d+)\), (\d+) sends waited "
                           r"for ARP", 60, "hello report")
        assert h.group(1, 2, 3) == ("3", "3", "123") and int(h.group(4)) >= 1, h.group(0)
        got, err = listener.communicate(timeout=60)
    finally:
        if listener.poll() is None:
            listener.kill()
            listener.communicate()
    rep = json.loads(got)
    assert [d["data"] for d in rep["datagrams"]] == [f"hello {i} from udpecho_native" for i in (1, 2, 3)], rep
    assert all(d["from"] == f"{IP2}:{PORT}" for d in rep["datagrams"]), rep

    r = client(net_shell.netns, "echo", "--dst", IP2, "--port", PORT, "--count", 5, "--timeout", 5,
               "--seconds", 30)
    assert r["identical"] == 5, r
    net_shell.wait(r"(?s)udpecho_native: echoed 5 datagrams, 0 raw frames \(0 completed\)\n.*?udp replies 5, udp sent 3,.*?completions 3;"
                   r".*?pktstat: udpecho_native .*? \(5 requests\).*?total \(means\)", 60, "exit report")
    net_shell.wait(rf"monitor: domain udpecho_native \({dom}\) on core 2 exited, status 0", 30, "ends")
