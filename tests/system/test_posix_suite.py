"""The POSIX surface of the library OS that Redis, memcached and libevent
need (issue #13): usr/tests/posix_suite, run on a 4-core system. It prints
KTAP; every test line must be `ok` and the domain must end with status 0."""
from conftest import run_ktap_suite


def test_posix_suite_passes(shell):
    # Do the fd table, dup, pipes, socket pairs, poll/select/epoll on them
    # (across threads too) behave as POSIX and Linux's man pages say?
    ran = run_ktap_suite(shell, "posix_suite", 1, 300)
    for name in ("fd_table_1024", "dup_dup2_dup3", "socket_fds_are_small", "pipe_eof_and_epipe",
                 "socketpair_stream", "epoll_wakes_across_threads", "epoll_socket_and_pipe"):
        assert name in ran, f"{name} did not run"
    # The domain's memory ran out on purpose in the last test: said once.
    assert "newlib: out of memory: the domain's RAM is used up" in shell.seen


def test_system_stays_up_after_the_suite(shell):
    out = shell.command("cores")
    assert "4 cores" in out, out
