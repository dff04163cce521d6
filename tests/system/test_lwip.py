"""lwIP as an application links it: usr/tests/lwip_suite starts its own
lwIP (lib/lwip) and talks to itself over 127.0.0.1 through lwIP's socket
API: UDP echo of every size, TCP streams and echo, non-blocking calls,
select/poll timeouts, socket options, 64 connections, the listen backlog.
It prints KTAP; every test line must be `ok` and the domain must end with
status 0."""
import re


def test_lwip_suite_passes(shell):
    # Does every lwIP check of the suite pass on core 1?
    shell.command("spawn lwip_suite core 1")
    # (the shell's prompt may land at the start of any line of the output)
    plan = shell.wait(r"(?m)(?:^|> )1\.\.(\d+)$", 60, "KTAP plan")
    total = int(plan.group(1))
    summary = shell.wait(r"# lwip_suite: (\d+) of (\d+) tests passed", 240, "suite summary")
    results = re.findall(r"(?:^|> )(ok|not ok) (\d+) (\S+)$", shell.seen, re.M)
    assert len(results) == total, f"expected {total} results, got {results}"
    failed = [name for status, _, name in results if status != "ok"]
    assert not failed, f"failed in-guest tests: {failed}; see the # FAIL lines in the log"
    assert summary.group(1) == summary.group(2) == str(total), summary.group(0)
    for name in ("start_loopback_up", "udp_echo_sizes_1_to_1472", "tcp_4_streams_256k_checksum",
                 "tcp_nonblocking_ewouldblock", "select_poll_timeouts", "socket_options",
                 "tcp_64_connections"):
        assert name in shell.seen, f"{name} did not run"
    assert "# 1472 datagrams of 1..1472 bytes echoed byte-identical" in shell.seen
    assert re.search(r"# 4 streams of 256 KiB, hashes checked", shell.seen)
    assert "lwip: assertion" not in shell.seen, "lwIP asserted"
    shell.wait(r"monitor: domain lwip_suite \(0x\w+\) on core 1 exited, status 0", 30,
               "exit status 0")


def test_system_stays_up_after_lwip(shell):
    # Is the system still answering after the suite's threads are gone?
    out = shell.command("cores")
    assert "4 cores" in out, out
