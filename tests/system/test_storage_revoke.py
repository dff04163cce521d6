"""Storage: revoking a VSA capability is over when the delete returns
(drivers/storage/nvme/kernel/vsa.c, usr/vsicd/vsic.c). A client
(usr/tests/vsictest `revoke`) deletes the capability it showed its VSIC, or
revokes a parent of it, or ends, and at that moment has requests queued
that the service has not taken and writes more: every one is refused
(VSA_ERR_REVOKED), none reaches the disk (the host reads the image), and
another domain reading the same VSA through its own capability is never
cut. Some rounds first make 40 copies of the shown capability go at once,
which filled the deleting core's 16-entry cross-core queue while
revocation was a message. Its own boot, on a disk image of its own."""
import re

import pytest

from conftest import LOG_DIR, boot_console
from test_storage import DISK_BYTES, image_digest, spawn, vsa_read, vsicd_id


@pytest.fixture(scope="module")
def disk(tmp_path_factory):
    path = tmp_path_factory.mktemp("storage_revoke") / "nvme.img"
    with open(path, "wb") as f:
        f.truncate(DISK_BYTES)
    return path


@pytest.fixture(scope="module")
def console(disk):
    c = boot_console(LOG_DIR / "test_storage_revoke.log", args=("--disk", str(disk)))
    yield c
    c.close()


ROUNDS = 12


def no_hostile_words(disk):
    rc, out = vsa_read(disk, "--count", "deadbeefdeadbeef")
    assert out.startswith("0 words"), out


@pytest.fixture(scope="module")
def rv(console):
    """VSA rv, written with its pattern by a domain that has ended."""
    console.wait(r"vsicd: doorbell on MSI-X entry 1", 120, "vsicd up")
    spawn(console, "core 1 vsa=rv write rv 1")
    console.wait(r"vsictest: wrote 1 MiB of VSA rv, read back: ERR_OK, 0 words differ", 120, "rv")
    return "rv"


def run_rounds(shell, disk, mode):
    before = image_digest(disk)
    # Two other domains read rv through capabilities of their own the whole
    # time, one on another core, one on the attacker's.
    victims = []
    for core in (1, 2):
        victims.append(spawn(shell, f"core {core} vsa=rv:r rate rv 30"))
        shell.wait(rf"vsicd: VSIC \d+ of domain {victims[-1]}: VSA rv acquired", 60, "victim reads")
    dom = spawn(shell, f"core 2 vsa=rv revoke rv {mode} {ROUNDS}")
    m = shell.wait(rf"vsictest: revoke: {mode}: (\d+) of (\d+) rounds \((\w+)\): (\d+) requests after "
                   r"the capability went, (\d+) refused VSA_ERR_REVOKED, (\d+) served", 600,
                   f"{mode} rounds")
    ok, rounds, err, total, refused, served = m.groups()
    assert err == "ERR_OK" and ok == rounds == str(ROUNDS), m.group(0)
    assert served == "0" and refused == total == str(ROUNDS * 128), m.group(0)
    rounds_seen = re.findall(rf"vsictest: revoke: round \d+ \({mode}(, 40 marked copies went just "
                             r"before)?: ERR_OK\): 128 requests after it: 128 refused", shell.seen)
    assert len(rounds_seen) == ROUNDS and sum(1 for f in rounds_seen if f) == ROUNDS // 2, rounds_seen
    rate = r"vsictest: rate: \d+ reads of 4 KiB in 30 s \(\w+\)"
    shell.wait(rf"(?s){rate}.*{rate}", 120, "victims done")
    # A refused read would show as its error (vsictest rate keeps the first);
    # each victim's own end revokes its handle later (the log line).
    done = re.findall(r"vsictest: rate: (\d+) reads of 4 KiB in 30 s \((\w+)\)", shell.seen)
    assert len(done) == 2 and all(e == "ERR_OK" and int(n) > 0 for n, e in done), done
    assert image_digest(disk) == before, "a request after the revocation changed the disk"
    no_hostile_words(disk)
    rc, out = vsa_read(disk, "rv", "--check")
    assert rc == 0 and "0 words differ" in out, out
    return dom


def test_delete_then_requests_all_refused(shell, disk, rv):
    # The shown copy deleted; 64 requests queued before and 64 written the
    # moment the delete returned, 12 rounds (6 with 40 marked copies going
    # just before): each refused, the disk untouched.
    run_rounds(shell, disk, "delete")


def test_parent_revoked_then_requests_all_refused(shell, disk, rv):
    # The same with the shown capability a copy of a copy, and the middle
    # one revoked (the flood's copies go in the same revoke).
    run_rounds(shell, disk, "parent")


def test_end_with_requests_queued_and_a_domain_holding_nothing(shell, disk, rv):
    # The holder ends with 64 requests queued behind its rate (1 I/O a
    # second) just after 40 marked copies went: the service serves none of
    # them (its count of the VSIC's I/Os when it drops it is the one read
    # served before the end), nothing reaches the disk; then a domain
    # holding no capability at all opens a VSIC (often the same id) and
    # tries the handle numbers and the name: refused.
    before = image_digest(disk)
    victim = spawn(shell, "core 1 vsa=rv:r rate rv 30")
    shell.wait(rf"vsicd: VSIC \d+ of domain {victim}: VSA rv acquired", 60, "victim reads")
    dom = spawn(shell, "core 2 vsa=rv rate=1:0 revoke rv end")
    shell.wait(r"vsictest: revoke: end: 1 I/O served, 64 queued behind the rate; ending", 60, "queued")
    shell.wait(rf"domain vsictest \({dom}\) on core 2: \d+ pages reclaimed", 60, "ended")
    m = shell.wait(rf"vsicd: VSIC \d+ of domain {dom} is gone \((\d+) I/Os", 60, "VSIC dropped")
    assert m.group(1) == "1", m.group(0)
    service = vsicd_id(shell)
    spawn(shell, f"core 2 vsicd={service} revoke rv nothing")
    m = shell.wait(r"vsictest: revoke: nothing: (\d+) of (\d+) refused", 60, "nothing")
    assert m.group(1) == m.group(2) == "5", shell.seen
    m = shell.wait(r"vsictest: rate: (\d+) reads of 4 KiB in 30 s \((\w+)\)", 120, "victim done")
    assert m.group(2) == "ERR_OK" and int(m.group(1)) > 0, m.group(0)
    assert image_digest(disk) == before, "a request queued before the end changed the disk"
    no_hostile_words(disk)
