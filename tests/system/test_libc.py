"""The library OS's C library: newlib, built from Debian's newlib-source,
linked into a native program and run on the OS (usr/tests/libc)."""
import re


def test_newlib_program_passes_its_checks(shell):
    # Do printf (with floats), strings, strtol, qsort, malloc and libm work
    # in a native program, with constructors and atexit?
    shell.command("spawn libctest core 1")
    m = shell.wait(r"libctest: all (\d+) checks passed", 120, "libctest summary")
    assert int(m.group(1)) >= 30, m.group(0)
    assert re.search(r"libctest: printf %d -42 %s newlib %x beef %.3f 3.142", shell.seen), shell.seen
    shell.wait(r"libctest: atexit handler ran", 30, "atexit")
    shell.wait(r"monitor: domain libctest \(0x\w+\) on core 1 exited, status 0", 30, "exit status")


def test_unsupported_call_gets_enosys_and_system_stays_up(shell):
    # Does a call with no meaning yet fail with ENOSYS, once logged, and
    # leave the system running?
    shell.command("spawn libctest core 2")
    shell.wait(r"libctest: all \d+ checks passed", 120, "libctest summary")
    assert "newlib: link not implemented yet (ENOSYS)" in shell.seen, shell.seen
    assert shell.seen.count("newlib: link not implemented yet") == 1, "logged once per call name"
    out = shell.command("cores")
    assert "4 cores" in out
