"""libevent 2.1.12's own regression tests (Debian 12's source, test/regress),
built for this OS as usr/tests/libevent_regress and run in the guest: its
core group (main/) and its bufferevent group, without fork (tinytest's
--no-fork). Every test must be OK or SKIPPED, and each skip is named with
its reason by the program (usr/tests/libevent_regress/skipped.c)."""
import re

PROG = "libevent_regress"


def test_libevent_regress_core_and_bufferevent(shell):
    out = shell.command(f"spawn {PROG} core 1 mem=64M --no-fork main/.. bufferevent/..")
    assert re.search(rf"spawned {PROG} as domain 0x\w+ on core 1", out), out
    end = shell.wait(rf"monitor: domain {PROG} \(0x\w+\) on core 1 (exited, status \d+|was stopped)",
                     900, "the regression tests end")
    log = shell.seen
    skips = re.findall(r"libevent_regress: skip (\S+): (.+)", log)
    assert skips, "the program names what it skips and why"
    assert not re.search(r"libevent_regress: no test \S+ to skip", log), log
    summary = re.search(r"(\d+) tests ok\.\s+\((\d+) skipped\)", log)
    failed = re.findall(r"\[(\w+) FAILED\]", log)
    assert summary and not failed, f"failed: {failed}; see the FAIL lines in the log"
    assert int(summary.group(1)) >= 60, summary.group(0)
    for must in ("main/methods", "main/simpleclose_close", "main/persistent_timeout_jump",
                 "bufferevent/bufferevent_pair", "bufferevent/bufferevent_connect"):
        assert re.search(rf"(?m)^{must}: ", log), f"{must} did not run"
    assert "exited, status 0" in end.group(0), end.group(0)
