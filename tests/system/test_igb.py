"""The igb (82576) control plane at boot, checked from the serial log.

drivers/net/igb resets the PF at 01:00.0, brings the link up through the
PHY (QEMU raises STATUS.LU about 0.5 s after auto-negotiation restarts),
turns on VMDq with switching between pools, and gives each of the 4 VFs
the default command line enables a pool and the MAC 02:00:00:00:01:0N.
"""
import re

PF_LINE = r"^igb: 01:00\.0 82576 PF up, MAC ([0-9a-f]{2}(:[0-9a-f]{2}){5}), pool 7, 4 VFs"
LINK_UP = r"^igb: 01:00\.0 link up"
VF_LINE = r"^igb: VF {n} at 01:10\.{fn}: MAC 02:00:00:00:01:0{n}, pool {n}$"


def test_pf_is_up(bios_boot):
    # Is the PF found, reset and put in VMDq mode with its own MAC in pool 7?
    m = re.search(PF_LINE, bios_boot.log, re.M)
    assert m, f"no igb PF line in {bios_boot.logfile}"
    assert m.group(1) == "52:54:00:12:34:56", f"PF MAC {m.group(1)}: QEMU's default expected"


def test_link_comes_up(bios_boot):
    # Does writing BMCR AUTOEN|ANRESTART through MDIC bring STATUS.LU up?
    assert re.search(LINK_UP, bios_boot.log, re.M), \
        f"no 'igb: 01:00.0 link up' in {bios_boot.logfile}"


def test_each_vf_gets_pool_and_mac(bios_boot):
    # One line per VF: VF n at 01:10.(2n), MAC 02:00:00:00:01:0n, pool n.
    for n in range(4):
        want = VF_LINE.format(n=n, fn=2 * n)
        assert re.search(want, bios_boot.log, re.M), \
            f"VF {n}: no line matching {want!r} in {bios_boot.logfile}"


def test_no_refusal_at_boot(bios_boot):
    # No VF driver runs yet, so nothing should have been asked or refused.
    bad = [l for l in bios_boot.log.splitlines()
           if l.startswith("igb:") and ("refused" in l or "WARNING" in l or "_ERR_" in l)]
    assert not bad, f"unexpected igb lines: {bad} in {bios_boot.logfile}"


def test_igb_off_skips_the_driver(boot):
    # igb=off leaves the PF alone, and the boot still completes.
    b = boot(cmdline="halt=poweroff igb=off", smp=1)
    assert "arrakis: boot complete on core 0" in b.log, f"boot did not complete: {b.logfile}"
    assert not re.search(r"^igb:", b.log, re.M), f"igb ran despite igb=off: {b.logfile}"


def test_mailbox_answers_a_vf(boot):
    # igb.selftest plays VF 0's driver: VF_RESET gets ACK + its MAC, SET_MAC_ADDR
    # of that MAC is ACKed, of another MAC and SET_VLAN are NACKed (and logged).
    b = boot(cmdline="halt=poweroff igb.selftest", smp=1)
    assert "igb: selftest: VF 0 mailbox ok" in b.log, f"mailbox self-test failed: {b.logfile}"
    assert "igb: VF 0 asked SET_VLAN: refused (the control plane sets filters: ask for a Filter capability)" in b.log, \
        f"no SET_VLAN refusal line in {b.logfile}"
    bad = [l for l in b.log.splitlines() if l.startswith("igb: selftest:") and "ok" not in l]
    assert not bad, f"self-test complaints: {bad} in {b.logfile}"
