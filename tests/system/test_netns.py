"""Host networking for tests: the namespace tools/netns makes (tap0 with
10.11.0.1/24, nothing in the root namespace), QEMU booted inside it by
`run-qemu --netns` with the igb on tap0, and tools/netpeer.py sending and
checking raw frames there. None of it needs a guest network driver."""
import json
import os
import re
import shlex
import subprocess

import pytest

import netpeer
from conftest import NETNS, RUN_QEMU


def sh(*argv, check=True):
    return subprocess.run([str(a) for a in argv], stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=60, check=check)


def ip_json(*argv):
    return json.loads(sh("ip", "-j", *argv).stdout or "[]")


def root_view():
    """What a test could disturb in the root namespace: links, addresses, routes."""
    links = sorted(l["ifname"] for l in ip_json("link", "show"))
    addrs = sorted((a["ifname"], i["local"], i["prefixlen"])
                   for a in ip_json("addr", "show") for i in a.get("addr_info", []))
    routes = sorted(json.dumps(r, sort_keys=True) for r in ip_json("route", "show"))
    return links, addrs, routes


def test_namespace_holds_tap0_and_goes_away():
    # Does `tools/netns up` make a namespace with lo and tap0 up, the host
    # address on tap0 and no way out, leave the root namespace as it was,
    # and does `down` remove all of it (twice without complaint)?
    name = f"arrakis-test-{os.getpid()}-updown"
    before = root_view()
    sh(NETNS, "up", name)
    try:
        assert name in sh("ip", "netns", "list").stdout.split(), "namespace not listed"
        links = {l["ifname"]: l for l in ip_json("-n", name, "-d", "link", "show")}
        assert set(links) == {"lo", "tap0"}, f"links in {name}: {sorted(links)}"
        tap = links["tap0"]
        assert tap["linkinfo"]["info_kind"] == "tun" and tap["linkinfo"]["info_data"]["type"] == "tap", tap
        assert tap["address"] == "02:00:00:00:00:01", tap["address"]
        assert "UP" in tap["flags"] and "UP" in links["lo"]["flags"], (tap["flags"], links["lo"]["flags"])
        v4 = [(i["local"], i["prefixlen"]) for a in ip_json("-n", name, "-4", "addr", "show", "tap0")
              for i in a["addr_info"]]
        assert v4 == [("10.11.0.1", 24)], f"tap0 addresses: {v4}"
        routes = [r["dst"] for r in ip_json("-n", name, "route", "show")]
        assert routes == ["10.11.0.0/24"], f"routes in {name}: {routes} (nothing may lead out)"
        assert root_view() == before, "the root namespace changed"
        again = sh(NETNS, "up", name, check=False)
        assert again.returncode != 0 and "already exists" in again.stderr, again
    finally:
        sh(NETNS, "down", name)
    assert name not in sh("ip", "netns", "list").stdout.split(), "namespace left behind"
    assert root_view() == before, "the root namespace changed"
    twice = sh(NETNS, "down", name, check=False)
    assert (twice.returncode, twice.stdout, twice.stderr) == (0, "", ""), twice


def test_run_qemu_command_line_with_and_without_netns():
    # Is the igb's netdev a tap inside the namespace with --netns, and still
    # the unconnected hub port without it, on the one command line?
    plain = shlex.split(sh(RUN_QEMU, "--test", "--dry-run").stdout)
    assert plain[0] == "qemu-system-x86_64", plain[:3]
    assert plain[plain.index("-netdev") + 1] == "hubport,id=net0,hubid=0", plain
    wired = shlex.split(sh(RUN_QEMU, "--test", "--dry-run", "--netns", "some-ns").stdout)
    assert wired[:5] == ["ip", "netns", "exec", "some-ns", "qemu-system-x86_64"], wired[:5]
    assert wired[wired.index("-netdev") + 1] == "tap,id=net0,ifname=tap0,script=no,downscript=no", wired
    assert wired[4:] == [a if a != "hubport,id=net0,hubid=0" else wired[wired.index("-netdev") + 1]
                         for a in plain], "--netns changed more than the netdev"
    gone = sh(RUN_QEMU, "--test", "--netns", "arrakis-no-such-ns", check=False)
    assert gone.returncode == 1 and "no such namespace" in gone.stderr, gone


def test_netpeer_checks_what_comes_back(fresh_netns):
    # Without a guest: does netpeer see every frame echoed (tagged or not),
    # name the bytes that came back changed, and the frames that never came?
    echo = netpeer.start(fresh_netns, "echo-tap", seconds=20, corrupt=4)
    try:
        link = netpeer.run(fresh_netns, "wait-link", timeout=10)
        assert link["carrier"], f"echo-tap did not open tap0: {link}"
        r = netpeer.run(fresh_netns, "exchange", dst=netpeer.vf_mac(2), count=12, seconds=10,
                        vlan=9, size=200)
    finally:
        done = netpeer.finish(echo, 40)
    assert r["sent"] == 12 and r["missing"] == [], r
    src = r["sources"][netpeer.vf_mac(2)]
    assert src["corrupt_seqs"] == [3, 7, 11] and src["identical"] == 9, src
    assert src["vlans"] == [9] and src["to"] == [r["src"]], src
    assert not r["all_back_identical"] and done["corrupted"] == 3, (r, done)
    alone = netpeer.run(fresh_netns, "exchange", dst=netpeer.vf_mac(0), count=3, seconds=1)
    assert alone["missing"] == [0, 1, 2] and alone["received"] == 0, alone


def test_netpeer_refuses_the_root_namespace():
    # Does netpeer refuse to put frames anywhere but a named namespace?
    r = sh("/usr/bin/python3", netpeer.__file__, "send", "--dst", netpeer.BROADCAST, "--count", "1",
           check=False)
    assert r.returncode == 2 and "not inside a named network namespace" in r.stderr, r


def test_boot_with_netns_gives_tap0_carrier(net_shell, peer):
    # Booted with --netns: is QEMU inside the namespace, does tap0 get
    # carrier once QEMU holds it, and does the PF report its link up?
    pids = sh("ip", "netns", "pids", net_shell.netns).stdout.split()
    assert str(net_shell.p.pid) in pids, f"QEMU (pid {net_shell.p.pid}) not in {net_shell.netns}: {pids}"
    link = peer("wait-link", timeout=30)
    assert link["up"] and link["carrier"], f"tap0 never got carrier: {link}"
    boot = open(net_shell.logfile).read()
    assert re.search(r"^igb: 01:00\.0 link up", boot, re.M), f"no PF link up in {net_shell.logfile}"
    out = net_shell.command("nics")
    assert re.search(rf"PF\s+01:00\.0\s+8086:10c9\s+{netpeer.PF_MAC}\s+7\s+up", out), out


def test_frames_to_the_pf_pool_leave_the_kernel_running(net_shell, peer):
    # Frames for the PF's pool (its MAC, broadcast, a tagged one, an unknown
    # MAC that falls to the default pool) and for the VFs, with no receive
    # driver anywhere: does the kernel still answer the shell afterwards?
    for dst, count, vlan in ((netpeer.PF_MAC, 200, None), (netpeer.BROADCAST, 20, None),
                             (netpeer.PF_MAC, 20, 5), ("02:00:00:00:99:99", 20, None),
                             *((netpeer.vf_mac(n), 10, None) for n in range(4))):
        r = peer("send", dst=dst, count=count, vlan=vlan, seconds=10)
        assert r["sent"] == count and not r["send_errors"], r
    out = net_shell.command("nics")
    assert re.search(r"PF\s+01:00\.0\s+8086:10c9\s+\S+\s+7\s+up", out), out
    out = net_shell.command("spawn coreid core 1")
    dom = re.search(r"spawned coreid as domain (0x\w+) on core 1", out)
    assert dom, out
    net_shell.wait(rf"coreid: domain {dom.group(1)} running on core 1", 30, "a program still runs")
    assert "PANIC" not in open(net_shell.logfile).read(), f"panic in {net_shell.logfile}"
