"""Fixtures that boot the OS in QEMU through tools/run-qemu.

Every boot goes through the project's one QEMU command line, keeps its own
log under build/test-logs/, and has a timeout. A boot made with
`halt=poweroff` ends by itself: the kernel writes a status to isa-debug-exit
and QEMU exits with 2*status+1.
"""
import os
import sys
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
from console import Console  # noqa: E402  (tools/console.py: the one serial driver)
import netpeer  # noqa: E402  (tools/netpeer.py: raw frames on the namespace's tap0)

TOP = Path(__file__).resolve().parents[2]
RUN_QEMU = TOP / "tools" / "run-qemu"
NETNS = TOP / "tools" / "netns"
LOG_DIR = TOP / "build" / "test-logs"
BOOT_TIMEOUT = int(os.environ.get("BOOT_TIMEOUT", "240"))  # TCG can be slow


@dataclass
class Boot:
    log: str
    returncode: int
    logfile: Path

    @property
    def status(self):
        """The guest's isa-debug-exit status, or None if it never wrote one."""
        if self.returncode > 0 and self.returncode % 2 == 1:
            return (self.returncode - 1) // 2
        return None

    def lines(self, pattern):
        return [l for l in self.log.splitlines() if re.search(pattern, l)]

    def expect(self, pattern, why):
        assert re.search(pattern, self.log, re.M), f"{why}: /{pattern}/ not in {self.logfile}"


def boot_os(name, smp=4, uefi=False, cmdline="halt=poweroff", args=()):
    """Boot once and wait for QEMU to exit; return the serial log."""
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    logfile = LOG_DIR / f"{name}.log"
    cmd = [str(RUN_QEMU), "--test", "--smp", str(smp), "--cmdline", cmdline, *args]
    if uefi:
        cmd.append("--uefi")
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=BOOT_TIMEOUT)
        out, rc = p.stdout, p.returncode
    except subprocess.TimeoutExpired as e:
        out, rc = (e.stdout or b"") + b"\n[test: QEMU killed after timeout]\n", -1
    text = out.decode("utf-8", "replace").replace("\r", "")
    logfile.write_text(" ".join(cmd) + "\n" + text)
    return Boot(text, rc, logfile)


@pytest.fixture
def boot(request):
    """boot(**kw) boots the OS; the log is named after the test."""
    count = [0]

    def _boot(**kw):
        count[0] += 1
        name = re.sub(r"[^\w.-]", "_", request.node.name) + (f"-{count[0]}" if count[0] > 1 else "")
        return boot_os(name, **kw)
    return _boot


@pytest.fixture(scope="session")
def bios_boot():
    """One ordinary BIOS boot with 4 cores, shared by the read-only checks."""
    return boot_os("bios-smp4")


@pytest.fixture(scope="session")
def uefi_boot():
    return boot_os("uefi-smp4", uefi=True)


@pytest.fixture(scope="module")
def console(request):
    """One booted system per test module, driven through its shell."""
    c = Console(LOG_DIR / f"{request.module.__name__.split('.')[-1]}.log", BOOT_TIMEOUT)
    yield c
    c.close()


@pytest.fixture
def shell(console, request):
    console.mark(request.node.name)
    return console


# Host networking: a network namespace holding tap0 (10.11.0.1/24), made by
# tools/netns, removed at teardown even when a test fails; the OS booted
# with `run-qemu --netns NAME` runs QEMU inside it, with the igb on tap0.

_netns_count = [0]


def netns_up():
    """Make a namespace named after this pytest process; return its name."""
    _netns_count[0] += 1
    name = f"arrakis-test-{os.getpid()}-{_netns_count[0]}"
    subprocess.run([str(NETNS), "down", name], check=True)   # a leftover of a dead run
    subprocess.run([str(NETNS), "up", name], check=True, stdin=subprocess.DEVNULL,
                   capture_output=True, timeout=30)
    return name


def netns_down(name):
    """Remove the namespace; first stop what our tests left running in it
    (by pid: only they put processes there), since a process inside keeps
    the namespace and its tap alive."""
    pids = subprocess.run(["ip", "netns", "pids", name], capture_output=True,
                          text=True).stdout.split()
    for pid in pids:
        try:
            os.kill(int(pid), 9)
        except (ProcessLookupError, ValueError):
            pass
    subprocess.run([str(NETNS), "down", name], check=True, timeout=30)


@pytest.fixture(scope="module")
def netns():
    """The name of a fresh network namespace with tap0, for this module."""
    if os.geteuid() != 0:
        pytest.skip("network namespaces need root")
    name = netns_up()
    try:
        yield name
    finally:
        netns_down(name)


@pytest.fixture
def fresh_netns():
    """A namespace of its own for one test (no QEMU in it unless the test
    starts one)."""
    if os.geteuid() != 0:
        pytest.skip("network namespaces need root")
    name = netns_up()
    try:
        yield name
    finally:
        netns_down(name)


@pytest.fixture(scope="module")
def peer(netns):
    """peer(command, **options): tools/netpeer.py run inside the module's
    namespace; returns its JSON report (see netpeer.py)."""
    return lambda command, **opts: netpeer.run(netns, command, **opts)


def boot_console(logfile, args=()):
    """Console(), but QEMU is stopped if the boot fails half way."""
    c = Console.__new__(Console)
    try:
        c.__init__(logfile, BOOT_TIMEOUT, args=args)
    except BaseException:
        if getattr(c, "p", None) is not None:
            c.close()
        raise
    return c


@pytest.fixture(scope="module")
def net_console(request, netns):
    """One booted system per test module, its igb wired to tap0 in the
    module's namespace, driven through its shell."""
    c = boot_console(LOG_DIR / f"{request.module.__name__.split('.')[-1]}.log",
                     args=("--netns", netns))
    c.netns = netns
    yield c
    c.close()


@pytest.fixture
def net_shell(net_console, request):
    net_console.mark(request.node.name)
    return net_console


def run_ktap_suite(shell, prog, core, timeout, args=""):
    """Spawn an in-guest KTAP suite (usr/tests/ktap) on `core`, check that
    every planned test ran and printed `ok` and that the domain exited
    with status 0; returns the names that ran."""
    shell.command(f"spawn {prog} core {core} {args}".rstrip())
    # (the shell's prompt may land at the start of any line of the output)
    plan = shell.wait(r"(?m)(?:^|> )1\.\.(\d+)$", 60, "KTAP plan")
    total = int(plan.group(1))
    summary = shell.wait(rf"# {prog}: (\d+) of (\d+) tests passed", timeout, "suite summary")
    results = re.findall(r"(?:^|> )(ok|not ok) (\d+) (\S+)$", shell.seen, re.M)
    assert len(results) == total, f"expected {total} results, got {results}"
    failed = [name for status, _, name in results if status != "ok"]
    assert not failed, f"failed in-guest tests: {failed}; see the # FAIL lines in the log"
    assert summary.group(1) == summary.group(2) == str(total), summary.group(0)
    shell.wait(rf"monitor: domain {prog} \(0x\w+\) on core {core} exited, status 0", 30,
               "exit status 0")
    return {name for _, _, name in results}
