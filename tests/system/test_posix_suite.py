"""The POSIX surface of the library OS that Redis, memcached and libevent
need (issue #13): usr/tests/posix_suite, run on a 4-core system. It prints
KTAP; every test line must be `ok` and the domain must end with status 0."""
import re

import pytest
from conftest import BOOT_TIMEOUT, LOG_DIR, Console, run_ktap_suite


def test_posix_suite_passes(shell):
    # Do the fd table, dup, pipes, socket pairs, poll/select/epoll on them
    # (across threads too) behave as POSIX and Linux's man pages say?
    ran = run_ktap_suite(shell, "posix_suite", 1, 300)
    for name in ("fd_table_1024", "dup_dup2_dup3", "socket_fds_are_small", "pipe_eof_and_epipe",
                 "socketpair_stream", "epoll_wakes_across_threads", "epoll_socket_and_pipe",
                 "cond_wakes_at_once", "sys_wake_own_domain_only"):
        assert name in ran, f"{name} did not run"
    # The domain's memory ran out on purpose in the last test: said once.
    assert "newlib: out of memory: the domain's 16 MiB of RAM is used up" in shell.seen


def test_mem_at_spawn_gives_a_big_heap(shell):
    # With mem=256M, does malloc give well beyond the default 16 MiB, really
    # backed (bigmem writes and checks every page)? Core 0 keeps the RAM
    # the other cores were not given (about 400 MiB of 1 GiB).
    out = shell.command("spawn bigmem core 0 mem=256M 200")
    assert re.search(r"spawned bigmem as domain 0x\w+ on core 0 with 256 MiB of RAM", out), out
    shell.wait(r"bigmem: the domain has 256 MiB of RAM", 60, "getrlimit(RLIMIT_AS) sees mem=")
    shell.wait(r"bigmem: 200 MiB in use", 120, "200 MiB malloc'd with mem=256M")
    shell.wait(r"monitor: domain bigmem \(0x\w+\) on core 0 exited, status 0", 30, "exit 0")


def test_without_mem_malloc_fails_cleanly(shell):
    # The same without mem=: the default 16 MiB runs out; malloc returns
    # NULL with ENOMEM and the console says so once.
    shell.command("spawn bigmem core 0 200")
    shell.wait(r"bigmem: malloc failed after \d+ MiB: ENOMEM", 120, "ENOMEM without mem=")
    shell.wait(r"monitor: domain bigmem \(0x\w+\) on core 0 exited, status 0", 30, "exit 0")
    said = re.findall(r"newlib: out of memory: the domain's 16 MiB of RAM is used up", shell.seen)
    assert len(said) == 1, shell.seen


@pytest.mark.parametrize("mem, err", [("mem=512G", "SPAWN_ERR_MEM_FREE"), ("mem=4096G", "SPAWN_ERR_MEM_SIZE"),
                                      ("mem=100000000000000000000G", "SPAWN_ERR_MEM_SIZE"),
                                      ("mem=1500K", "SPAWN_ERR_MEM_SIZE"),
                                      ("mem=lots", "SPAWN_ERR_MEM_SIZE"),
                                      ("mem=0", "SPAWN_ERR_MEM_SIZE")])
def test_absurd_mem_is_refused_by_name(shell, mem, err):
    # A size the core cannot give, or that is not a size, is refused by name;
    # nothing is started and the system goes on.
    out = shell.command(f"spawn bigmem core 1 {mem} 1")
    assert err in out, out
    assert "spawned bigmem" not in out, out
    out = shell.command("spawn hello core 1")
    assert re.search(r"spawned hello as domain 0x\w+ on core 1", out), out


def test_system_stays_up_after_the_suite(shell):
    out = shell.command("cores")
    assert "4 cores" in out, out


def test_mem_256m_on_another_core_with_2_gib():
    # On a 2 GiB machine each core owns about 400 MiB: mem=256M fits on
    # core 1 too (where a Redis would run).
    c = Console(LOG_DIR / "test_posix_suite-2g.log", BOOT_TIMEOUT, args=("--mem", "2048"))
    try:
        out = c.command("spawn bigmem core 1 mem=256M 240")
        assert re.search(r"spawned bigmem as domain 0x\w+ on core 1 with 256 MiB of RAM", out), out
        c.wait(r"bigmem: 240 MiB in use", 120, "240 MiB malloc'd with mem=256M on core 1")
        c.wait(r"monitor: domain bigmem \(0x\w+\) on core 1 exited, status 0", 30, "exit 0")
    finally:
        c.close()
