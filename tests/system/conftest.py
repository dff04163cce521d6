"""Fixtures that boot the OS in QEMU through tools/run-qemu.

Every boot goes through the project's one QEMU command line, keeps its own
log under build/test-logs/, and has a timeout. A boot made with
`halt=poweroff` ends by itself: the kernel writes a status to isa-debug-exit
and QEMU exits with 2*status+1.
"""
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

TOP = Path(__file__).resolve().parents[2]
RUN_QEMU = TOP / "tools" / "run-qemu"
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


class Console:
    """The serial console of a running OS, driven like a user at a
    terminal: send a line, expect output, each wait with a timeout."""

    PROMPT = "arrakis> "

    def __init__(self, name, smp=4, args=()):
        import pexpect
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        self.logfile = LOG_DIR / f"{name}.log"
        self._log = open(self.logfile, "w")
        cmd = [str(RUN_QEMU), "--test", "--smp", str(smp), *args]
        self._log.write(" ".join(cmd) + "\n")
        self.seen = ""
        self.p = pexpect.spawn(cmd[0], cmd[1:], encoding="utf-8", codec_errors="replace",
                               timeout=60)
        self.p.logfile_read = self._log
        waiting = [rf"monitor: core {c} up" for c in range(smp)] + [r"shell: type 'help'"]
        while waiting:                  # boot messages come in any order
            i = self.expect(waiting, BOOT_TIMEOUT, "monitors and shell up")
            waiting.pop(i)
        self.p.sendline("")             # a fresh prompt, after the boot messages
        self.expect(self.PROMPT, 30, "shell prompt")

    def mark(self, text):
        self._log.write(f"\n===== {text} =====\n")
        self._log.flush()

    def expect(self, pattern, timeout, why):
        """Wait for `pattern` in the stream; everything read is kept in
        self.seen (the output since the last command)."""
        import pexpect
        try:
            i = self.p.expect(pattern, timeout=timeout)
        except (pexpect.TIMEOUT, pexpect.EOF) as e:
            raise AssertionError(f"{why}: /{pattern}/ not seen within {timeout}s "
                                 f"({type(e).__name__}); see {self.logfile}") from None
        self.seen += (self.p.before + self.p.after).replace("\r", "")
        return i if isinstance(pattern, list) else self.p.match

    def wait(self, pattern, timeout, why):
        """Wait for output of the last command's domains, which may have
        come before its prompt or may still be coming."""
        import time
        end = time.monotonic() + timeout
        m = re.search(pattern, self.seen)
        while not m:
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{why}: /{pattern}/ not seen within {timeout}s; "
                                     f"see {self.logfile}")
            self.expect(r"\n", left, f"{why} (/{pattern}/)")
            m = re.search(pattern, self.seen)
        return m

    def command(self, line, timeout=60):
        """Run a shell command; return what it printed before the next prompt."""
        self.seen = ""
        self.p.sendline(line)
        self.expect(re.escape(line), 10, f"echo of '{line}'")
        self.expect(self.PROMPT, timeout, f"prompt after '{line}'")
        return self.p.before.replace("\r", "")

    def close(self):
        self.p.terminate(force=True)
        self._log.close()


@pytest.fixture(scope="module")
def console(request):
    """One booted system per test module, driven through its shell."""
    c = Console(request.module.__name__.split(".")[-1])
    yield c
    c.close()


@pytest.fixture
def shell(console, request):
    console.mark(request.node.name)
    return console
