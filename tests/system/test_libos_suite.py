"""The library OS as an ordinary C program sees it: usr/tests/libos_suite,
newlib with pthreads, time and files, run on a 4-core system. It prints
KTAP; every test line must be `ok` and the domain must end with status 0."""
import re


def test_libos_suite_passes_on_four_cores(shell):
    # Do stdio, strings, libm, malloc, files, clocks, nanosleep, pthreads
    # across cores, condition variables, TLS and ENOSYS all work?
    shell.command("spawn libos_suite core 1 SUITE_MODE=ktap")
    # (the shell's prompt may land at the start of any line of the output)
    plan = shell.wait(r"(?m)(?:^|> )1\.\.(\d+)$", 60, "KTAP plan")
    total = int(plan.group(1))
    summary = shell.wait(r"# libos_suite: (\d+) of (\d+) tests passed", 180, "suite summary")
    results = re.findall(r"(?:^|> )(ok|not ok) (\d+) (\S+)$", shell.seen, re.M)
    assert len(results) == total, f"expected {total} results, got {results}"
    failed = [name for status, _, name in results if status != "ok"]
    assert not failed, f"failed in-guest tests: {failed}; see the # FAIL lines in the log"
    assert summary.group(1) == summary.group(2) == str(total), summary.group(0)
    for name in ("mutex_8_threads_4_cores", "condvar_producer_consumer", "tls_per_thread",
                 "nanosleep_10ms", "file_write_read_back", "malloc_stress_100000",
                 "mmap_anonymous", "environment_from_spawn", "unsupported_call_enosys"):
        assert name in shell.seen, f"{name} did not run"
    assert re.search(r"# 8 threads on 4 cores: counter 160000, expected 160000", shell.seen)
    shell.wait(r"monitor: domain libos_suite \(0x\w+\) on core 1 exited, status 0", 30,
               "exit status 0")


def test_system_stays_up_after_unsupported_calls(shell):
    # Did the ENOSYS calls (fork, kill) leave the system answering?
    out = shell.command("cores")
    assert "4 cores" in out, out
