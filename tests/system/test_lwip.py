"""lwIP as an application links it: usr/tests/lwip_suite starts its own
lwIP (lib/lwip) and talks to itself over 127.0.0.1 through lwIP's socket
API: UDP echo of every size, TCP streams and echo, non-blocking calls,
select/poll timeouts, socket options, 64 connections, the listen backlog.
It prints KTAP; every test line must be `ok` and the domain must end with
status 0."""
import re

from conftest import run_ktap_suite


def test_lwip_suite_passes(shell):
    # Does every lwIP check of the suite pass on core 1?
    ran = run_ktap_suite(shell, "lwip_suite", 1, 240)
    for name in ("start_loopback_up", "udp_echo_sizes_1_to_1472", "tcp_4_streams_256k_checksum",
                 "tcp_nonblocking_ewouldblock", "select_poll_timeouts", "socket_options",
                 "tcp_64_connections"):
        assert name in ran, f"{name} did not run"
    assert "# 1472 datagrams of 1..1472 bytes echoed byte-identical" in shell.seen
    assert re.search(r"# 4 streams of 256 KiB, hashes checked", shell.seen)
    assert "lwip: assertion" not in shell.seen, "lwIP asserted"


def test_lwip_stacks_kept_apart(shell):
    # Are the domain's four lwIPs (lib/lwip/lwip_stacks.h: lwIP and three
    # copies with prefixed symbols) apart: the same port listened on in
    # each, each its own loopback round trip, stack 0 served while stack
    # 1's core lock is held, four different core locks?
    out = shell.command("spawn lwipstacks core 1")
    m = re.search(r"spawned lwipstacks as domain (0x\w+)", out)
    assert m, out
    shell.wait(r"lwipstacks: ok: 4 stacks, each its own listener on port 7300, sockets, loopback and "
               r"core lock; stack 0 served while stack 1's core lock was held", 120, "lwipstacks ok")
    shell.wait(rf"domain lwipstacks \({m.group(1)}\) on core 1 exited, status 0", 60, "exit 0")
    assert "lwipstacks: FAIL" not in shell.seen
    assert "lwip: assertion" not in shell.seen, "lwIP asserted"


def test_system_stays_up_after_lwip(shell):
    # Is the system still answering after the suite's threads are gone?
    out = shell.command("cores")
    assert "4 cores" in out, out
