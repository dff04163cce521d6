"""The Linux guest `make bench` compares this OS with (tools/linux-guest):
Debian 12's kernel and igb driver booted by tools/run-qemu --kernel on the
same machine (q35, intel-iommu, igb on a root port), wired to tap0 in a
test namespace. About a minute under TCG, so it runs in `make test`, which
builds it (`make linux-guest`)."""
import sys
from pathlib import Path

import pytest

import benchclient
from conftest import BOOT_TIMEOUT, LOG_DIR

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools" / "linux-guest"))
import guest  # noqa: E402


@pytest.fixture(scope="module")
def linux(netns):
    if not guest.built():
        pytest.skip("Linux guest not built: make linux-guest")
    g = guest.LinuxGuest(LOG_DIR / "test_linux_guest.log", netns, boot_timeout=BOOT_TIMEOUT)
    yield g
    g.close()


def test_linux_guest_answers_udp_echo(linux, netns):
    # Does the Linux guest come up on the igb (PF, static 10.11.0.2/24) and
    # send back 10 datagrams from the namespace, each byte for byte?
    assert "10.11.0.2/24" in linux.ready, linux.ready
    r = benchclient.run(netns, "udp-lat", count=10, warmup=0, rtt_timeout=5, seconds=60)
    assert r["received"] == 10 and r["lost"] == 0, \
        f"UDP echoes from the Linux guest: {r}; see {linux.logfile}"
