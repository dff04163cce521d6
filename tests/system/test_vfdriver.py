"""The VF data path (drivers/net/igb/vf/vf.c, lib/arrakis): domains drive
their own VFs from user space, and frames go VF -> the NIC's internal
switch (VMDq, DTXSWC loopback) -> VF with no kernel on the path."""
import re

FRAMES = 200


def test_raw_echo_between_two_vfs(shell):
    # Does a domain bring its VF up and learn its MAC? Do frames sent from
    # another VF to that MAC come back, every one, byte for byte with the
    # addresses swapped? Do both domains end cleanly with sane counters?
    out = shell.command(f"spawn rawecho core 0 {FRAMES} 300")
    echo_dom = re.search(r"spawned rawecho as domain (0x\w+) on core 0", out).group(1)
    m = shell.wait(r"rawecho: VF (\d) MAC ((?:[0-9a-f]{2}:){5}[0-9a-f]{2}) ready \(link up\)", 60,
                   "rawecho's VF up")
    echo_vf, echo_mac = int(m.group(1)), m.group(2)
    assert echo_mac == f"02:00:00:00:01:{echo_vf:02x}", m.group(0)

    shell.command(f"spawn rawsend core 0 {echo_mac} {FRAMES} 240")
    m = shell.wait(r"rawsend: VF (\d) MAC (\S+) sending", 60, "rawsend's VF up")
    assert int(m.group(1)) != echo_vf, m.group(0)
    m = shell.wait(r"rawsend: (\d+) sent, (\d+) echoed, (\d+) identical", 280, "rawsend's result")
    assert m.groups() == (str(FRAMES),) * 3, m.group(0)
    m = shell.wait(r"rawsend: (\d+) duplicates, (\d+) other frames; .* rx errors (\d+), "
                   r"tx drops \d+, tx errors (\d+)", 30, "rawsend's counters")
    assert m.groups() == ("0", "0", "0", "0"), m.group(0)
    shell.wait(r"monitor: domain rawsend \(0x\w+\) on core 0 exited, status 0", 30, "rawsend ends")

    m = shell.wait(r"rawecho: VF \d echoed (\d+) frames, (\d+) not answered; rx (\d+) \(\d+ bytes\), "
                   r"tx (\d+) .* rx errors (\d+), tx drops \d+, tx errors (\d+)", 60,
                   "rawecho's counters")
    assert m.groups() == (str(FRAMES), "0", str(FRAMES), str(FRAMES), "0", "0"), m.group(0)
    shell.wait(rf"monitor: domain rawecho \({echo_dom}\) on core 0 exited, status 0", 30,
               "rawecho ends")
    shell.wait(rf"vnic: VF {echo_vf} is free again", 30, "rawecho's VF freed")
