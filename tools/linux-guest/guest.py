"""tools/linux-guest/guest.py: boot the Linux guest and wait until it serves.

    from guest import LinuxGuest   # with tools/linux-guest on sys.path
    g = LinuxGuest(logfile, netns)  # tools/linux-guest/boot --test --netns
    ...                             # UDP/TCP echo on 10.11.0.2 port 7
    g.close()

The guest (tools/linux-guest/init) prints "linux-guest: ready ..." once its
igb is up and echod listens, or "linux-guest: FAILED: why"; both are waited
for with a timeout, and the serial log is kept in `logfile`.
"""
from pathlib import Path

import pexpect

BOOT = Path(__file__).resolve().parent / "boot"
TOP = Path(__file__).resolve().parents[2]


def built(build=TOP / "build"):
    """Whether the guest's kernel and initramfs exist (make linux-guest)."""
    g = Path(build) / "linux-guest"
    return (g / "vmlinuz").is_file() and (g / "initrd.img").is_file()


class LinuxGuest:
    def __init__(self, logfile, netns, boot_timeout=240, smp=4):
        self.logfile = Path(logfile)
        self.logfile.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.logfile, "w")
        cmd = [str(BOOT), "--test", "--smp", str(smp), "--netns", netns]
        self._log.write(" ".join(cmd) + "\n")
        self.p = pexpect.spawn(cmd[0], cmd[1:], encoding="utf-8", codec_errors="replace",
                               timeout=boot_timeout)
        self.p.logfile_read = self._log
        try:
            i = self.p.expect([r"linux-guest: ready[^\r\n]*", r"linux-guest: FAILED:[^\r\n]*"],
                              timeout=boot_timeout)
        except (pexpect.TIMEOUT, pexpect.EOF) as e:
            self.close()
            raise AssertionError(f"Linux guest not ready within {boot_timeout}s "
                                 f"({type(e).__name__}); see {self.logfile}") from None
        self.ready = self.p.after.strip()
        if i == 1:
            self.close()
            raise AssertionError(f"Linux guest: {self.ready}; see {self.logfile}")

    def close(self):
        if self.p.isalive():
            self.p.terminate(force=True)
        self._log.close()
