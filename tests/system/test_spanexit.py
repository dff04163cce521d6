"""A domain that spans cores ends without faulting its other dispatchers
(usr/tests/spanexit, kernel/span.c). Whichever dispatcher ends it (main
returning, exit() on the first core or on another, two at once, the
shell's kill of the first dispatcher or of another, a fault on another
core), every dispatcher is stopped before the first one's memory is
freed: one line each, no page fault (but the one made on purpose), and
the cores run a new domain afterwards. Its dispatchers touch their heap
without pause, so one left running would fault at once."""
import re

import pytest

ORIGIN = 1


class Session:
    """Everything the console printed during one test (shell.seen starts
    afresh at each command)."""

    def __init__(self, shell):
        self.shell, self.text = shell, ""

    def command(self, line):
        self.text += self.shell.seen
        return self.shell.command(line)

    def wait(self, pattern, timeout, why):
        return self.shell.wait(pattern, timeout, why)

    def all(self):
        return self.text + self.shell.seen


def start(s, mode, cores):
    out = s.command(f"spawn spanexit core {ORIGIN} {mode} " + " ".join(map(str, cores)))
    m = re.search(r"spawned spanexit as domain (0x[0-9a-f]+) on core", out)
    assert m, out
    dom = m.group(1)
    ids = {}
    for c in cores:
        m = s.wait(rf"span: domain spanexit \({dom}\) now also runs on core {c} as dispatcher "
                   r"(0x[0-9a-f]+)", 60, f"dispatcher on core {c}")
        ids[c] = m.group(1)
    s.wait(rf"spanexit: {len(cores) + 1} dispatchers running, mode {mode}", 60, "all running")
    return dom, ids


def ended(s, dom, cores, how, faults=0):
    """The domain's end: a line per dispatcher, its memory freed after all
    of them, its monitor told; no page fault but the `faults` expected."""
    for c in cores:
        s.wait(rf"domain spanexit \(0x\w+\) on core {c}: dispatcher stopped", 60,
               f"dispatcher on core {c} stopped")
    s.wait(rf"span: domain {dom}'s address space freed after its other dispatchers stopped", 60,
           "the first dispatcher's memory freed last")
    m = s.wait(rf"monitor: domain spanexit \({dom}\) on core {ORIGIN} {how}", 60, "monitor told")
    text = s.all()
    assert text.count("page fault") == faults, text
    freed = text.index(f"span: domain {dom}'s address space freed")
    reclaimed = text.index(f"domain spanexit ({dom}) on core {ORIGIN}:")
    for c in cores:
        stop = re.search(rf"domain spanexit \(0x\w+\) on core {c}: dispatcher stopped", text)
        assert stop.start() < reclaimed < freed, text
        assert len(re.findall(rf"domain spanexit \(0x\w+\) on core {c}: dispatcher stopped",
                              text)) == 1, text
    return m


def cores_still_work(s, cores, faults=0):
    for c in [ORIGIN, *cores]:
        out = s.command(f"spawn hello core {c}")
        assert re.search(rf"spawned hello as domain 0x\w+ on core {c}", out), out
        s.wait(rf"monitor: domain hello \(0x\w+\) on core {c} exited, status 0", 60,
               f"a new domain ran on core {c}")
    assert s.all().count("page fault") == faults, s.all()


@pytest.mark.parametrize("cores", [[2], [2, 3]], ids=["2cores", "3cores"])
@pytest.mark.parametrize("mode, status, where", [("return", 7, "first"), ("exit", 8, "first"),
                                                 ("thread", 9, "last")])
def test_exit_stops_every_dispatcher_first(shell, mode, status, where, cores):
    # main returns, main calls exit(), or a thread on another core calls
    # exit(): does the whole domain end, with that status, no fault?
    s = Session(shell)
    dom, _ = start(s, mode, cores)
    m = ended(s, dom, cores, r"exited, status (\d+)")
    assert int(m.group(1)) == status, m.group(0)
    core = ORIGIN if where == "first" else cores[-1]
    assert f"spanexit: atexit handler ran on core {core}" in s.all(), s.all()
    cores_still_work(s, cores)


@pytest.mark.parametrize("cores", [[2], [2, 3]], ids=["2cores", "3cores"])
def test_exit_on_two_cores_at_once(shell, cores):
    # The first dispatcher and another call exit() at the same moment:
    # one of the two statuses, each dispatcher stopped once, no fault.
    s = Session(shell)
    dom, _ = start(s, "both", cores)
    m = ended(s, dom, cores, r"exited, status (\d+)")
    assert int(m.group(1)) in (10, 11), m.group(0)
    cores_still_work(s, cores)


@pytest.mark.parametrize("cores", [[2], [2, 3]], ids=["2cores", "3cores"])
def test_kill_of_the_first_dispatcher_mid_run(shell, cores):
    s = Session(shell)
    dom, _ = start(s, "hold", cores)
    out = s.command(f"kill {dom}")
    assert f"domain {dom} stopped" in out, out
    ended(s, dom, cores, "was stopped")
    cores_still_work(s, cores)


@pytest.mark.parametrize("cores", [[2], [2, 3]], ids=["2cores", "3cores"])
def test_kill_of_another_dispatcher_ends_the_domain(shell, cores):
    # The shell names the dispatcher on the last core: the domain ends
    # everywhere, not just there.
    s = Session(shell)
    dom, ids = start(s, "hold", cores)
    out = s.command(f"kill {ids[cores[-1]]}")
    assert f"domain {ids[cores[-1]]} stopped" in out, out
    ended(s, dom, cores, "was stopped")
    s.wait(rf"domain spanexit \({dom}\) on core {ORIGIN} stopped: its dispatcher on core "
           rf"{cores[-1]} was stopped", 30, "the first dispatcher says why")
    cores_still_work(s, cores)


@pytest.mark.parametrize("cores", [[2], [2, 3]], ids=["2cores", "3cores"])
def test_fault_on_another_core_ends_the_domain(shell, cores):
    # A thread on the last core reads address 8: that dispatcher's fault
    # is said once, and the domain ends everywhere, the others stopped
    # before its memory goes (none faults after it).
    s = Session(shell)
    dom, ids = start(s, "fault", cores)
    ended(s, dom, cores, "was stopped", faults=1)
    s.wait(rf"domain spanexit \({ids[cores[-1]]}\) on core {cores[-1]} stopped: page fault at 0x8 ",
           30, "the fault said by its core")
    s.wait(rf"domain spanexit \({dom}\) on core {ORIGIN} stopped: its dispatcher on core "
           rf"{cores[-1]} was stopped", 30, "the first dispatcher says why")
    cores_still_work(s, cores, faults=1)
