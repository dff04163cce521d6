"""tools/console.py: drive the OS's serial console like a user at a terminal.

Boots the system through tools/run-qemu (--test: no reboot, scratch disk
shared read-only), waits until every core's monitor and the shell are up,
then sends shell commands and waits for output, every wait with a timeout.
Used by the system tests (tests/system) and the benchmarks (tools/bench).
"""
import re
import time
from pathlib import Path

import pexpect

RUN_QEMU = Path(__file__).resolve().parent / "run-qemu"


class Console:
    """The serial console of a running OS, driven like a user at a
    terminal: send a line, expect output, each wait with a timeout."""

    PROMPT = "arrakis> "

    def __init__(self, logfile, boot_timeout=240, smp=4, args=()):
        self.logfile = Path(logfile)
        self.logfile.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.logfile, "w")
        cmd = [str(RUN_QEMU), "--test", "--smp", str(smp), *args]
        self._log.write(" ".join(cmd) + "\n")
        self.seen = ""
        self.p = pexpect.spawn(cmd[0], cmd[1:], encoding="utf-8", codec_errors="replace",
                               timeout=60)
        self.p.logfile_read = self._log
        waiting = [rf"monitor: core {c} up" for c in range(smp)] + [r"shell: type 'help'"]
        while waiting:                  # boot messages come in any order
            i = self.expect(waiting, boot_timeout, "monitors and shell up")
            waiting.pop(i)
        if "shell: started the VSIC service" in self.seen:
            # vsicd (usr/vsicd) finishes its start-up after the shell's
            # first prompt; its lines would land in the first command's
            # output. Its last one says what it found on the disk.
            self.expect([r"vsicd: no VSA table", r"vsicd: VSA table read",
                         r"vsicd: no NVMe controller"], boot_timeout, "VSIC service up")
        self.p.sendline("")             # a fresh prompt, after the boot messages
        self.expect(self.PROMPT, 30, "shell prompt")

    def mark(self, text):
        self._log.write(f"\n===== {text} =====\n")
        self._log.flush()

    def expect(self, pattern, timeout, why):
        """Wait for `pattern` in the stream; everything read is kept in
        self.seen (the output since the last command)."""
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
        # The shell echoes a character at a time, so whole kernel log lines
        # (a busy driver's, say) may land between two echoed characters.
        echo = r"(?:[^\n]*\n)*?".join(re.escape(ch) for ch in line)
        self.expect(echo, 10, f"echo of '{line}'")
        self.expect(self.PROMPT, timeout, f"prompt after '{line}'")
        return self.p.before.replace("\r", "")

    def close(self):
        self.p.terminate(force=True)
        self._log.close()
