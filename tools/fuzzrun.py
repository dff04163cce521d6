"""tools/fuzzrun.py: run capfuzz domains (usr/tests/capfuzz) at once on a
booted OS, through its shell (tools/console.py), and read what each one
said: its summary line, its MISMATCH and LEAK lines, its exit status.
Used by `make fuzz` (tools/fuzz) and tests/system/test_capfuzz.py.
"""
import re
import time
from dataclasses import dataclass, field

SUMMARY = (r"capfuzz: core {core} seed {seed}: (?P<invocations>\d+) invocations, "
           r"(?P<refused>\d+) refused, (?P<mismatches>\d+) model mismatches, "
           r"(?P<batches>\d+) batches, leaks (?P<leaks>\d+), kernel up")
EXITED = r"monitor: domain capfuzz \(0x\w+\) on core {core} exited, status (?P<status>\d+)"
# A kernel panic, or the fuzzer itself stopped by a fault: no summary will come.
FATAL = r"PANIC: |domain capfuzz \(0x\w+\) on core \d+ stopped: [^\n]*"


@dataclass
class Run:
    core: int
    count: int
    seed: int
    vnic: bool = False
    summary: dict = None            # the summary line's numbers, or None
    line: str = ""                  # the summary line itself
    status: int = None              # exit status, or None if it never exited
    problems: list = field(default_factory=list)   # its MISMATCH/LEAK lines

    @property
    def spawn(self):
        return f"spawn capfuzz core {self.core} {self.count} {self.seed}" + (" vnic" if self.vnic else "")

    @property
    def clean(self):
        s = self.summary
        return (s is not None and self.status == 0 and s["invocations"] == self.count and
                s["mismatches"] == 0 and s["leaks"] == 0)


def spawn_victim(con, core):
    """The canary domain (usr/tests/victim); returns its domain id."""
    out = con.command(f"spawn victim core {core}")
    m = re.search(r"spawned victim as domain (0x\w+)", out)
    assert m, f"victim not spawned: {out}"
    con.wait(r"victim: domain \w+ canary at physical 0x[0-9a-f]+", 30, "victim's canary")
    return m.group(1)


def victim_intact(con, victim):
    """Ping the victim: it checks its canary and answers."""
    out = con.command(f"ping {victim}")
    if f"pong from domain {victim}" not in out:
        return False
    con.wait(r"victim: canary (intact|OVERWRITTEN)", 10, "victim's canary check")
    return "victim: canary intact" in con.seen


def run(con, runs, timeout):
    """Spawn every run, then read until each has exited (or a panic, or
    `timeout` seconds in all). Fills in each Run; returns the text seen."""
    earlier = ""
    for i, r in enumerate(runs):
        con.command(r.spawn)
        if i < len(runs) - 1:
            earlier += con.seen     # the next command starts a fresh con.seen
    end = time.monotonic() + timeout

    def text():
        return earlier + con.seen

    def finished():
        return all(re.search(EXITED.format(core=r.core), text()) for r in runs)

    while not finished() and not re.search(FATAL, text()):
        left = end - time.monotonic()
        if left <= 0:
            break
        try:
            con.expect(r"\n", left, "capfuzz output")
        except AssertionError:
            break
    seen = text()
    for r in runs:
        m = re.search(SUMMARY.format(core=r.core, seed=r.seed), seen)
        if m:
            r.summary = {k: int(v) for k, v in m.groupdict().items()}
            r.line = m.group(0)
        e = re.search(EXITED.format(core=r.core), seen)
        r.status = int(e.group("status")) if e else None
        r.problems = re.findall(rf"capfuzz: (?:MISMATCH|LEAK) core {r.core} seed {r.seed} [^\n]*", seen)
    return seen


def fatal(seen):
    """The panic or fault line, if there was one."""
    m = re.search(FATAL, seen)
    return m.group(0) if m else None
