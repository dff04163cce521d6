"""The multikernel from the outside: a CPU driver per core, monitors,
domains spawned on every core, cross-core channels, and faults and bad
system calls contained. Driven through the serial shell like a user."""
import re

import pytest

PINGPONG_TIMEOUT = 600          # 100000 round trips under TCG


def domain_id(text, name):
    m = re.search(r"spawned %s as domain (0x[0-9a-f]+) on core" % name, text)
    assert m, f"no 'spawned {name}' in {text!r}"
    return m.group(1)


def test_every_core_runs_a_monitor(shell):
    # Did init get a monitor started on each core, through its CPU driver?
    out = shell.command("cores")
    assert "4 cores: 0(monitor up) 1(monitor up) 2(monitor up) 3(monitor up)" in out, out


@pytest.mark.parametrize("core", [0, 1, 2, 3])
def test_spawned_program_reports_its_core(shell, core):
    # Does a program spawned on core N run there, end, and get reaped?
    out = shell.command(f"spawn coreid core {core}")
    dom = domain_id(out, "coreid")
    assert int(dom, 16) >> 16 == core, f"domain id {dom} does not name core {core}"
    shell.wait(rf"coreid: domain {dom} running on core {core}\n", 30, "core report")
    shell.wait(rf"monitor: domain coreid \({dom}\) on core {core} exited, status 0", 30,
                 "exit reported by the monitor")


def test_cross_core_pingpong_arrives_in_order(shell):
    # Do 100000 messages between domains on two cores arrive in order and intact?
    out = shell.command("pair pingpong 1 2")
    assert domain_id(out, "pingpong")
    shell.wait(r"pingpong a: 100000 round trips in order and intact", PINGPONG_TIMEOUT,
                 "side a finished")
    shell.wait(r"monitor: domain pingpong \(0x\w+\) on core 2 exited, status 0", 60, "b done")


def test_faults_and_bad_syscalls_are_contained(shell):
    # A NULL dereference and garbage syscalls are reported and stopped;
    # does a domain started before them still answer afterwards?
    echo = domain_id(shell.command("spawn echo core 2"), "echo")
    shell.wait(rf"echo: domain {echo} waiting", 30, "echo up")

    shell.command("spawn nullderef core 2")
    shell.wait(r"domain nullderef \((0x\w+)\) on core 2 stopped: page fault at 0 "
                 r"\(read, not present\), rip 0x[0-9a-f]+", 30, "fault reported with address")
    shell.wait(r"domain nullderef \(0x\w+\) on core 2: \d+ pages reclaimed", 30, "memory reclaimed")

    shell.command("spawn badsys core 2")
    shell.wait(r"syscall: core 2 domain badsys \(0x\w+\): print refused: "
                 r"SYS_ERR_BAD_USER_POINTER", 30, "kernel log line for a refusal")
    shell.wait(r"badsys: 11 of 11 bad calls refused as expected", 30, "all refused")
    shell.wait(r"monitor: domain badsys \(0x\w+\) on core 2 exited", 30, "badsys ended")

    out = shell.command(f"ping {echo}")
    assert f"pong from domain {echo} on core 2" in out, out


def test_fuzzed_syscalls_leave_the_kernel_up(shell):
    # Do 100000 random syscalls with random arguments leave every core working?
    shell.command("spawn fuzz core 3")
    shell.wait(r"fuzz: 100000 random system calls done, \d+ refused, kernel still up", 300,
                 "fuzz finished")
    shell.wait(r"monitor: domain fuzz \(0x\w+\) on core 3 exited, status 0", 30, "fuzz ended")
    out = shell.command("spawn coreid core 3")
    dom = domain_id(out, "coreid")
    shell.wait(rf"coreid: domain {dom} running on core 3", 30, "core 3 still spawns")


def test_ps_and_kill(shell):
    # Does ps list a running domain on another core, and kill stop it?
    echo = domain_id(shell.command("spawn echo core 3"), "echo")
    out = shell.command("ps")
    assert re.search(rf"{echo}\s+core 3\s+echo\s+running", out), out
    out = shell.command(f"kill {echo}")
    assert f"domain {echo} stopped" in out, out
    out = shell.command("ps")
    assert echo not in out, out
    out = shell.command(f"ping {echo}")
    assert "error: SYS_ERR_ENDPOINT_DEAD" in out, out   # refused, not silently dropped


def test_caps_lists_what_a_domain_holds(shell):
    # Does `caps` show the cspace a new domain starts with?
    echo = domain_id(shell.command("spawn echo core 1"), "echo")
    out = shell.command(f"caps {echo}")
    assert f"domain {echo} on core 1 holds 7 capabilities" in out, out
    for kind in ("CNode", "Dispatcher", "RAM", "Endpoint"):
        assert re.search(rf"L\d\s+\d+\.\d+\s+{kind}\s+rights", out), f"no {kind} in {out}"
    assert re.search(r"RAM\s+rights rwxg 0x[0-9a-f]+\+0x1000000\n", out), "16 MiB of RAM"
    shell.command(f"kill {echo}")


def test_capabilities_from_user_space(shell):
    # Do retype, mint, copy, send over an endpoint and revoke behave, as
    # invoked by a domain through the real system-call path?
    shell.command("spawn captest core 2")
    m = shell.wait(r"captest: (\d+) of (\d+) capability checks passed", 60, "captest summary")
    assert m.group(1) == m.group(2), shell.seen
    shell.wait(r"monitor: domain captest \(0x\w+\) on core 2 exited, status 0", 30, "captest ended")


@pytest.mark.parametrize("a,b", [(1, 2), (2, 0), (0, 3)])
def test_frame_lent_between_cores_maps_there_and_is_taken_back(shell, a, b):
    # Does a Frame sent by a domain on core a reach a domain on core b
    # through the monitors, naming the same memory, usable there (mapped,
    # shared) but not copied on; and does a's end take it back from b and
    # hold a's RAM until b's mapping is gone?
    shell.command(f"pair capxfer {a} {b}")
    m = shell.wait(rf"capxfer a: sent Frame (0x[0-9a-f]+)\+0x1000 from core {a} to domain", 60,
                   "a sent")
    shell.wait(rf"capxfer b: on core {b} received Frame {m.group(1)}\+0x1000 from domain 0x\w+: "
               r"the same memory", 60, "b received")
    shell.wait(r"capxfer b: copy CAP_ERR_IMPORTED, retype CAP_ERR_IMPORTED, send CAP_ERR_IMPORTED",
               30, "the one capability on b's core is not copied on")
    shell.wait(r"capxfer b: mapped here: a's pattern is there", 30, "shared memory")
    shell.wait(r"capxfer a: b's answer is in our Frame", 30, "b wrote into a's Frame")
    shell.wait(rf"monitor: domain capxfer \(0x\w+\) on core {a} exited, status 0", 60, "a ended")
    shell.wait(rf"capmove: core {a}: \d+ pages of RAM held until another core lets go", 30,
               "a's RAM held while b maps part of it")
    shell.wait(r"capxfer b: the Frame was taken back after its owner ended", 60, "revoked on b")
    shell.wait(rf"domain capxfer \(0x\w+\) on core {b} stopped: page fault at 0x100000000000 ", 30,
               "b's mapping went with the capability")
    shell.wait(rf"capmove: core {a}: \d+ pages of RAM freed now that no other core maps them", 30,
               "a's RAM freed once b let go")


def test_domain_spans_cores(shell):
    # Can one domain run a dispatcher on every core in one address space,
    # and is that address space freed only after all of them stopped?
    out = shell.command("spawn span core 1")
    dom = domain_id(out, "span")
    for core in (0, 2, 3):
        shell.wait(rf"span: domain span \({dom}\) now also runs on core {core} as dispatcher", 30,
                   f"dispatcher on core {core}")
    shell.wait(rf"span: domain {dom} on 4 cores, one address space: counter 3000, expected 3000: ok",
               60, "shared counter")
    shell.wait(rf"span: domain {dom}'s address space freed after its other dispatchers stopped",
               30, "address space freed last")


def test_killing_a_spanning_domain_stops_every_dispatcher(shell):
    # Killing the first dispatcher: are the others stopped before the
    # address space goes?
    out = shell.command("spawn span core 2 1000 hold")
    dom = domain_id(out, "span")
    shell.wait(rf"span: domain {dom} on 4 cores, one address space: counter 3000", 60, "running")
    shell.command(f"kill {dom}")
    for core in (0, 1, 3):
        shell.wait(rf"domain span \(0x\w+\) on core {core}: dispatcher stopped", 30,
                   f"dispatcher on core {core} stopped")
    shell.wait(rf"span: domain {dom}'s address space freed after its other dispatchers stopped",
               30, "address space freed after the others")
    out = shell.command("ps")
    assert "span" not in out, out


def test_frame_mapping_ends_with_its_capability(shell):
    # Can a domain map Frames from its RAM, is a bad map refused, and does
    # deleting the capability take the mapping down at once?
    shell.command("spawn maptest core 3")
    m = shell.wait(r"maptest: (\d+) of (\d+) mapping checks passed", 60, "maptest summary")
    assert m.group(1) == m.group(2), shell.seen
    shell.wait(r"domain maptest \(0x\w+\) on core 3 stopped: page fault at 0x100000000038 "
               r"\(write, not present\)", 30, "the old address faults")


def test_nics_lists_the_pf_and_its_vfs(shell):
    # Does `nics` show the igb PF and the 4 VFs with their MACs and pools?
    out = shell.command("nics")
    assert re.search(r"PF\s+01:00\.0\s+8086:10c9\s+52:54:00:12:34:56\s+7\s+up", out), out
    for n in range(4):
        assert re.search(rf"VF {n}\s+01:10\.{2 * n}\s+8086:10ca\s+02:00:00:00:01:0{n}\s+{n}\s+up\s+free",
                         out), out


def test_frames_lent_again_and_again(shell):
    # 64 rounds of lending one Frame from core 1 to core 3, each let go by
    # the borrower (release) or taken back by the owner (drop), with the
    # owner remaking the same memory at once: pinned until the borrower's
    # core let go, never handed out twice.
    shell.command("pair lendstress 1 3 64")
    m = shell.wait(r"lendstress: 64 rounds: (\d+) released by b, (\d+) revoked by a, \d+ retypes "
                   r"refused while still lent, every answer right", 300, "lendstress done")
    assert int(m.group(1)) > 0 and int(m.group(2)) > 0, m.group(0)
    shell.wait(r"monitor: domain lendstress \(0x\w+\) on core 1 exited, status 0", 60, "a ended")
    shell.wait(r"monitor: domain lendstress \(0x\w+\) on core 3 exited, status 0", 60, "b ended")
