"""Authority, tried as a hostile application would: an ordinary domain asks
its monitor for what only the shell may ask, passes off messages only the
CPU driver sends, rewrites its save area from another core while the
kernel resumes it, and keeps using a channel Frame it deleted. Each must be
refused by name, with a log line, and the victim's memory stays intact.
Who may do what is in the README ("Who may do what")."""
import re

import pytest


def spawned(out, name):
    m = re.search(rf"spawned {name} as domain (0x[0-9a-f]+) on core", out)
    assert m, f"no 'spawned {name}' in {out!r}"
    return m.group(1)


FORGE_MONITOR = [
    ("capimport of the victim's memory", "MONITOR_ERR_NOT_PERMITTED"),
    ("spawnch with the victim's memory", "MONITOR_ERR_NOT_PERMITTED"),
    ("kill the victim", "MONITOR_ERR_NOT_PERMITTED"),
    ("vnic for the victim", "MONITOR_ERR_NOT_PERMITTED"),
    ("ps", "MONITOR_ERR_NOT_PERMITTED"),
    ("a forged exit notice", "MONITOR_ERR_NOT_PERMITTED"),
    ("a forged import-gone notice", "MONITOR_ERR_NOT_PERMITTED"),
    ("a forged export-revoked notice", "MONITOR_ERR_NOT_PERMITTED"),
    ("an inter-monitor capability move", "MONITOR_ERR_BAD_MESSAGE"),
    ("message type 999", "MONITOR_ERR_BAD_MESSAGE"),
    ("Kernel.cap_import without the Kernel capability", "CAP_ERR_SLOT_EMPTY"),
    ("send_cap without a capability", "MONITOR_ERR_BAD_MESSAGE"),
    # A client gets MONITOR_VNICS_PER_CLIENT (4: one per core of a spanning
    # domain) VNICs in its life, not every VF (QEMU's PF enables 4 now, a
    # bigger NIC more).
    ("VNIC request 1", "ERR_OK"),
    ("VNIC request 2", "ERR_OK"),
    ("VNIC request 3", "ERR_OK"),
    ("VNIC request 4", "ERR_OK"),
    ("VNIC request 5", "MONITOR_ERR_LIMIT"),
]


@pytest.mark.parametrize("core", [0, 2])
def test_ordinary_domain_gets_no_monitor_powers(shell, core):
    out = shell.command("spawn victim core 0")
    victim = spawned(out, "victim")
    pa = shell.wait(rf"victim: domain {victim} canary at physical (0x[0-9a-f]+)", 30,
                    "victim's canary").group(1)
    out = shell.command(f"spawn forge core {core} monitor {victim} {pa}")
    forge = spawned(out, "forge")
    shell.wait(r"forge: \d+ of \d+ attempts refused as they must be", 60, "forge summary")
    for what, err in FORGE_MONITOR:
        assert re.search(rf"forge: {re.escape(what)}: {err}\n", shell.seen), \
            f"'{what}' not refused with {err}: {shell.seen}"
    shell.wait(rf"forge: {len(FORGE_MONITOR)} of {len(FORGE_MONITOR)} attempts refused", 5, "all")
    # Each refusal is one log line of the monitor naming the sender.
    assert re.search(rf"monitor: core {core}: refused 'capimport' \(a command line needs the admin "
                     rf"endpoint\) from domain forge \({forge}\): MONITOR_ERR_NOT_PERMITTED",
                     shell.seen), shell.seen
    assert re.search(rf"monitor: core {core}: refused exit notice \(needs the CPU driver\) from "
                     rf"domain forge \({forge}\)", shell.seen), shell.seen
    assert re.search(rf"monitor: core {core}: no VNIC for domain {forge}: MONITOR_ERR_LIMIT",
                     shell.seen), shell.seen
    shell.wait(rf"monitor: domain forge \({forge}\) on core {core} exited, status 0", 30, "forge ended")
    out = shell.command(f"ping {victim}")
    assert f"pong from domain {victim}" in out, out
    assert "victim: canary intact" in shell.seen, shell.seen
    out = shell.command("ps")
    assert re.search(rf"{victim}\s+core 0\s+victim\s+running", out), out     # kill was refused
    shell.command(f"kill {victim}")        # the shell's own endpoint may


def test_save_area_rewritten_from_another_core_cannot_raise_iopl(shell):
    # A dispatcher of the same domain on core 2 keeps writing IOPL 3 and
    # bad MXCSR bits into core 1's save area while core 1's kernel resumes it.
    out = shell.command("spawn forge core 1 iopl 20000")
    forge = spawned(out, "forge")
    m = shell.wait(r"forge: 20000 resumes while core 2 rewrote the save area (\d+) times: IOPL (.*)\n",
                   600, "the resumes are done")
    assert int(m.group(1)) > 0, "the writer never ran"
    assert m.group(2) == "stayed 0", m.group(0)
    shell.wait(rf"monitor: domain forge \({forge}\) on core 1 exited, status 0", 60, "forge ended")
    assert "panic" not in shell.seen, shell.seen


@pytest.mark.parametrize("a,b", [(0, 1), (2, 3)])
def test_deleting_the_channel_frame_unmaps_it(shell, a, b):
    # The channel of `pair` is a Frame capability in each side's cspace (a
    # copy on monitor 0's core, lent on the others): deleting it unmaps it.
    shell.command(f"pair chandel {a} {b}")
    for side, core in (("a", a), ("b", b)):
        shell.wait(rf"chandel {side}: core {core} holds Frame 0x[0-9a-f]+\+0x4000, mapped at "
                   r"0x7e0000000000", 60, f"side {side} has its channel")
        shell.wait(rf"chandel {side}: channel Frame deleted: ERR_OK", 30, f"side {side} deleted it")
        shell.wait(rf"domain chandel \(0x\w+\) on core {core} stopped: page fault at 0x7e0000000000 ",
                   30, f"side {side}'s page went with its capability")
    assert "STILL MAPPED" not in shell.seen, shell.seen


def test_refusal_names_the_argument(shell):
    # A refused invocation's log line names the capability and the argument.
    shell.command("spawn badsys core 3")
    shell.wait(r"badsys: 11 of 11 bad calls refused as expected", 30, "badsys done")
    assert re.search(r"syscall: core 3 domain badsys \(0x\w+\): CNode\.identify on capability 0\.1 "
                     r"\(argument 2 = 0x[0-9a-f]+: not user memory this call may use\) refused: "
                     r"SYS_ERR_BAD_USER_POINTER", shell.seen), shell.seen
