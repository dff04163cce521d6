"""Two domains, each with its own VNIC and Filter, exchange frames with the
host through QEMU's igb wired to tap0 in a test network namespace; each
receives only what its filter admits (the NIC's RAR/VLVF tables decide),
one on the NIC's core polling, one on another core sleeping on its
doorbell (its control calls forwarded to the NIC's core)."""
import re

from netpeer import vf_mac


def start_rawecho(shell, core, args):
    out = shell.command(f"spawn rawecho core {core} {args}")
    dom = re.search(rf"spawned rawecho as domain (0x\w+) on core {core}", out).group(1)
    m = shell.wait(r"rawecho: VF (\d) MAC (\S+) ready \(link up\), admits ([^,]+) frames", 60,
                   f"rawecho on core {core} ready")
    return dom, int(m.group(1)), m.group(2), m.group(3)


def back(rep, mac):
    src = rep["sources"].get(mac, {})
    return src.get("count", 0), src.get("identical", 0), src.get("vlans", [])


def test_two_vnics_filters_and_host_traffic(net_shell, peer):
    a_dom, a_vf, a_mac, a_admits = start_rawecho(net_shell, 0, "50 60")
    b_dom, b_vf, b_mac, b_admits = start_rawecho(net_shell, 2, "50 60 vlan=10 doorbell")
    assert (a_admits, b_admits) == ("untagged", "vlan 10")
    assert a_mac == vf_mac(a_vf) and b_mac == vf_mac(b_vf) and a_vf != b_vf
    out = net_shell.command("filters")
    assert re.search(rf"VF {a_vf}\s+{a_dom}\s+its mac untagged", out), out
    assert re.search(rf"VF {b_vf}\s+{b_dom}\s+its mac vlan 10", out), out

    # What each filter admits comes back, from that VNIC only, byte-identical.
    r = peer("exchange", dst=a_mac, count=50, seconds=20)
    assert back(r, a_mac)[:2] == (50, 50) and not r["missing"], r
    assert list(r["sources"]) == [a_mac], r
    r = peer("exchange", dst=b_mac, count=50, vlan=10, seconds=20)
    assert back(r, b_mac)[:2] == (50, 50) and back(r, b_mac)[2] == [10], r
    assert list(r["sources"]) == [b_mac], r

    # What no filter admits reaches nobody: B's MAC untagged or on another
    # VLAN, A's MAC tagged.
    for dst, vlan in ((b_mac, None), (b_mac, 20), (a_mac, 10)):
        r = peer("exchange", dst=dst, count=20, vlan=vlan, seconds=3)
        assert r["received"] == 0 and len(r["missing"]) == 20, (dst, vlan, r)

    a = net_shell.wait(rf"rawecho: VF {a_vf} echoed 50 frames, (\d+) not answered; .*rx errors (\d+)", 60,
                       "A done")
    assert a.group(2) == "0", a.group(0)
    b = net_shell.wait(rf"rawecho: VF {b_vf} echoed 50 frames, (\d+) not answered; .*rx errors (\d+), .*"
                       r"doorbell wake-ups (\d+)", 60, "B done")
    assert b.group(2) == "0" and int(b.group(3)) > 0, b.group(0)   # woken by the NIC
    net_shell.wait(rf"monitor: domain rawecho \({a_dom}\) on core 0 exited, status 0", 30, "A ends")
    net_shell.wait(rf"monitor: domain rawecho \({b_dom}\) on core 2 exited, status 0", 30, "B ends")
