"""The library OS as an ordinary C program sees it: usr/tests/libos_suite,
newlib with pthreads, time and files, run on a 4-core system. It prints
KTAP; every test line must be `ok` and the domain must end with status 0."""
import re

from conftest import run_ktap_suite


def test_libos_suite_passes_on_four_cores(shell):
    # Do stdio, strings, libm, malloc, files, clocks, nanosleep, pthreads
    # across cores, condition variables, TLS and ENOSYS all work?
    ran = run_ktap_suite(shell, "libos_suite", 1, 180, "SUITE_MODE=ktap")
    for name in ("mutex_8_threads_4_cores", "condvar_producer_consumer", "tls_per_thread",
                 "nanosleep_10ms", "file_write_read_back", "malloc_stress_100000",
                 "heap_grows_on_every_core", "waits_park_and_wake",
                 "mmap_anonymous", "environment_from_spawn", "unsupported_call_enosys"):
        assert name in ran, f"{name} did not run"
    assert re.search(r"# 8 threads on 4 cores: counter 160000, expected 160000", shell.seen)


def test_system_stays_up_after_unsupported_calls(shell):
    # Did the ENOSYS calls (fork, kill) leave the system answering?
    out = shell.command("cores")
    assert "4 cores" in out, out
