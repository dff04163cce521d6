"""Storage: the NVMe controller under the control plane (drivers/storage/nvme),
driven by the VSIC service on its own core (usr/vsicd), VSAs and VSICs used
by clients (usr/tests/vsictest over lib/arrakis vsic.c), checked from the
outside: the serial console, and the disk image read on the host
(tools/vsa-read). The module's system boots on a disk image of its own
(run-qemu --disk: kept, not snapshot=on); the last test boots it again."""
import hashlib
import re
import struct
import subprocess

import pytest

from conftest import LOG_DIR, TOP, boot_console

DISK_BYTES = 128 << 20
VSA_READ = TOP / "tools" / "vsa-read"
BLOCK = 512
PATTERN = 0xa5a5000000000000      # usr/vsicd/selftest.c VSICD_PATTERN
SELFTEST_BYTES = 1 << 20


@pytest.fixture(scope="module")
def disk(tmp_path_factory):
    """A disk image of our own, kept (not snapshot=on) so the host can read
    what reached it."""
    path = tmp_path_factory.mktemp("storage") / "nvme.img"
    with open(path, "wb") as f:
        f.truncate(DISK_BYTES)
    return path


@pytest.fixture(scope="module")
def console(disk):
    c = boot_console(LOG_DIR / "test_storage.log", args=("--disk", str(disk)))
    yield c
    c.close()


def vsicd_id(shell):
    out = shell.command("ps")
    m = re.search(r"(0x[0-9a-f]+)\s+core 3\s+vsicd\s+running", out)
    assert m, f"vsicd not running on core 3: {out}"
    return m.group(1)


def test_vsicd_holds_the_controller(shell):
    # Did the kernel stop what SeaBIOS left running, give the controller to
    # the VSIC service on core 3 in an IOMMU domain of its own, and did the
    # service's driver reset it and identify it?
    shell.wait(r"nvme: 1b36:0010 at 02:00\.0, NVMe 1\.4, BAR0 0x[0-9a-f]+; stopped \(the firmware "
               r"had left it enabled\)", 5, "kernel half found and stopped the controller")
    shell.wait(r"nvme: controller 02:00\.0 is now domain 0x3\w+'s \(core 3\), in its own IOMMU "
               r"domain", 30, "given to vsicd")
    shell.wait(r"vsicd: nvme 1b36:0010 at 02:00\.0 on core 3: \"QEMU NVMe Ctrl\" serial arrakis0 "
               rf"fw \S+, NVMe 1\.4, namespace 1: {DISK_BYTES // BLOCK} blocks of 512 B \(128 MiB\), "
               r"max transfer 512 KiB, write cache yes \(FUA ignored: a FUA write gets a flush "
               r"after it\)", 60, "user half identified the controller")
    # Its completions interrupt: the controller's MSI-X entry 1 is a
    # one-shot Doorbell of vsicd's on core 3, made before the I/O CQ.
    assert re.search(r"doorbell: nvme 02:00\.0 MSI-X entry 1 rings domain 0x3\w+ on core 3 "
                     r"\(APIC 3, vector \d+, one-shot\)", shell.seen), shell.seen
    assert re.search(r"vsicd: doorbell on MSI-X entry 1 \(vector \d+\): sleeps when idle",
                     shell.seen), shell.seen
    vsicd_id(shell)


def test_kernel_refuses_the_service_what_it_does_not_hold(shell):
    # What the kernel must refuse the service: ringing VSIC ids nobody
    # holds (0, past the last, one never given), a doorbell on an MSI-X
    # entry past the controller's table, a second doorbell. `vsicd probe`
    # asks for each (a plain boot does not: the refusals are logged).
    dom = vsicd_id(shell)
    shell.command(f"kill {dom}")
    shell.wait(rf"nvme: controller is free again \(domain {dom} let go of it\)", 30, "released")
    shell.command("@3 nvme vsicd probe")
    shell.wait(r"vsicd: refused: ring VSIC 0: VSIC_ERR_NOT_HELD; ring VSIC 17: VSIC_ERR_NOT_HELD; "
               r"ring VSIC 16 \(nobody's\): VSIC_ERR_NOT_HELD; doorbell on MSI-X entry 4096: "
               r"DOORBELL_ERR_MSIX_ENTRY; entry 65536: DOORBELL_ERR_MSIX_ENTRY; a second doorbell: "
               r"DOORBELL_ERR_EXISTS", 60, "doorbell refusals")
    vsicd_id(shell)


def test_second_holder_refused(shell):
    # Can anything else be given the controller while vsicd holds it?
    # echo waits for messages, so it is still there when the kernel is asked
    # (hello could end first, and the kernel would rightly answer
    # SYS_ERR_NO_DOMAIN instead).
    out = shell.command("@1 nvme echo")
    assert re.search(r"no NVMe controller for echo \(0x1\w+\): NVME_ERR_TAKEN", out), out
    out = shell.command("ps")
    assert not re.search(r"core 1\s+echo\s+running", out), out   # started, then stopped


def vsa_read(disk, *args):
    p = subprocess.run([str(VSA_READ), str(disk), *args], capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout + p.stderr


def image_digest(disk):
    h = hashlib.sha256()
    with open(disk, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def spawn(shell, args):
    out = shell.command(f"spawn vsictest {args}")
    m = re.search(r"spawned vsictest as domain (0x[0-9a-f]+)", out)
    assert m, out
    return m.group(1)


def test_write_and_read_back_64mib(shell, disk):
    # Does a domain write 64 MiB through its VSA and read it back, and is
    # it on the disk, where the VSA table says, as the host reads it?
    dom = spawn(shell, "core 1 vsa=big write big 64")
    shell.wait(rf"vsicd: VSIC \d+ of domain {dom}: rings lent, 4096 KiB of its memory registered",
               60, "VSIC opened")
    shell.wait(r"vsictest: wrote 64 MiB of VSA big, read back: ERR_OK, 0 words differ", 600,
               "64 MiB through the VSA")
    rc, out = vsa_read(disk, "big", "--check")
    assert rc == 0 and "67108864 bytes, 0 words differ" in out, out


def test_vsas_lists_owner_size_extents(shell):
    shell.command("vsas")
    shell.wait(r"vsicd:   vsa big owner 0x1\w+ 131072 blocks \(65536 KiB\) extents 2048\+131072", 30,
               "vsas lists big")


def test_hostile_requests_refused_disk_unchanged(shell, disk):
    # Requests outside the VSA, naming memory the domain did not register,
    # through handles it was not given: each an error completion by name,
    # and the disk image byte for byte the same.
    spawn(shell, "core 2 vsa=h1 write h1 1")
    shell.wait(r"vsictest: wrote 1 MiB of VSA h1, read back: ERR_OK, 0 words differ", 120, "h1")
    before = image_digest(disk)
    spawn(shell, "core 2 vsa=h1 hostile h1")
    m = shell.wait(r"vsictest: hostile: (\d+) of (\d+) refused by name", 120, "hostile run")
    assert m.group(1) == m.group(2), shell.seen
    for what, err in [("write past the VSA's end", "VSA_ERR_BOUNDS"),
                      ("write from unregistered memory", "VSIC_ERR_BUF"),
                      ("write through a read-only handle", "VSA_ERR_RIGHTS")]:
        assert re.search(rf"vsictest: {re.escape(what)}: {err} \(refused as it must be\)", shell.seen)
    assert image_digest(disk) == before, "a refused request changed the disk image"
    rc, out = vsa_read(disk, "--count", "deadbeefdeadbeef")
    assert out.startswith("0 words"), out


def test_vsa_capability_rights_and_revocation(shell, disk):
    # The VSA capability a spawn gives (vsa=cv) is the only authority for
    # cv: what is not one cannot be shown to the VSIC, a read-only mint
    # cannot be minted back to write, the original deleted leaves only
    # reads, the mint deleted too leaves nothing: each refused by name, and
    # none of the refused writes (HOSTILE_FILL) reached the disk.
    spawn(shell, "core 1 vsa=cv write cv 1")
    shell.wait(r"vsictest: wrote 1 MiB of VSA cv, read back: ERR_OK, 0 words differ", 120, "cv")
    dom = spawn(shell, "core 2 vsa=cv capvsa cv")
    shell.wait(r"vsictest: capvsa: slot 240 holds VSA cv rights 0x3 \(ERR_OK\)", 60,
               "the spawn gave a VSA capability")
    m = shell.wait(r"vsictest: capvsa: (\d+) of (\d+) as they must be", 120, "capvsa ran")
    assert m.group(1) == m.group(2), shell.seen
    for what, err in (("present our VSIC capability", "VSA_ERR_CAP_TYPE"),
                      ("present our RAM", "VSA_ERR_CAP_TYPE"),
                      ("present a VSA slot the spawn left empty", "CAP_ERR_SLOT_EMPTY"),
                      ("retype our RAM into a VSA capability", "CAP_ERR_RETYPE_INVALID_TYPE"),
                      ("mint read-write from the read-only mint", "CAP_ERR_RIGHTS"),
                      ("acquire read-write with only the read-only mint", "VSA_ERR_NO_AUTHORITY"),
                      ("write through the first handle", "VSA_ERR_RIGHTS"),
                      ("acquire read-only with nothing", "VSA_ERR_NO_AUTHORITY"),
                      ("read through the read-only handle", "VSA_ERR_REVOKED"),
                      ("write through the first handle", "VSA_ERR_REVOKED")):
        assert re.search(rf"vsictest: capvsa: {re.escape(what)}: {err}\n", shell.seen), (what, err)
    assert re.search(rf"vsicd: VSIC \d+ of domain {dom}: handle 0 \(VSA cv\) is read-only now",
                     shell.seen), shell.seen
    assert re.search(rf"vsicd: VSIC \d+ of domain {dom}: handle 0 \(VSA cv\) is revoked", shell.seen)
    rc, out = vsa_read(disk, "cv", "--check")
    assert rc == 0 and "0 words differ" in out, out
    rc, out = vsa_read(disk, "--count", "deadbeefdeadbeef")
    assert out.startswith("0 words"), out


def test_read_only_capability_cannot_write(shell):
    # vsa=NAME:r gives a read-only VSA capability: creating (which needs
    # write) is refused, reading what is there works.
    spawn(shell, "core 1 vsa=cv:r write cv 1")
    shell.wait(r"vsictest: VSA cv: VSA_ERR_NO_AUTHORITY", 60, "no write with a read-only capability")
    spawn(shell, "core 1 vsa=cv:r verify cv 1")
    shell.wait(r"vsictest: kept 1 MiB of VSA cv, read back: ERR_OK, 0 words differ", 120,
               "reads with it")


def test_spawn_refuses_malformed_vsa_grants(shell):
    # A name longer than a VSA name is refused, never cut to another
    # VSA's name; so are more grants than the spawn has slots for.
    out = shell.command("spawn vsictest core 1 vsa=ninechars acquire ninechar")
    assert "SPAWN_ERR_VSA" in out and "spawned" not in out, out
    out = shell.command("spawn vsictest core 1 vsa=a vsa=b vsa=c vsa=d fs=e acquire a")
    assert "SPAWN_ERR_VSA" in out and "spawned" not in out, out


def test_two_domains_cannot_touch_each_others_blocks(shell, disk):
    # Two domains, two VSAs: neither can name the other's VSA, and what
    # each wrote is intact on the disk.
    spawn(shell, "core 1 vsa=ia write ia 2")
    spawn(shell, "core 2 vsa=ib write ib 2")
    shell.wait(r"vsictest: wrote 2 MiB of VSA ia, read back: ERR_OK, 0 words differ", 120, "ia")
    shell.wait(r"vsictest: wrote 2 MiB of VSA ib, read back: ERR_OK, 0 words differ", 120, "ib")
    spawn(shell, "core 2 vsa=ib acquire ia")
    shell.wait(r"vsictest: acquire ia: VSA_ERR_NO_AUTHORITY", 60, "B cannot acquire A's VSA")
    spawn(shell, "core 1 vsa=ia hostile ia")
    m = shell.wait(r"vsictest: hostile: (\d+) of (\d+) refused by name", 120, "A beyond its VSA")
    assert m.group(1) == m.group(2), shell.seen
    for name in ("ia", "ib"):
        rc, out = vsa_read(disk, name, "--check")
        assert rc == 0 and "0 words differ" in out, out


def test_no_authority_no_vsa(shell):
    # A domain spawned without the authority for a name cannot acquire or
    # create the VSA of that name, nor one spawned with another name.
    spawn(shell, "core 1 acquire big")
    shell.wait(r"vsictest: (no VSIC|acquire big): (\w+)", 60, "no vsa= at all")
    assert re.search(r"vsictest: (acquire big: VSA_ERR_NO_AUTHORITY|no VSIC: VSIC_ERR_NO_SERVICE)",
                     shell.seen), shell.seen
    spawn(shell, "core 1 vsa=other acquire big")
    shell.wait(r"vsictest: acquire big: VSA_ERR_NO_AUTHORITY", 60, "another name's authority")
    assert re.search(r"vsicd: domain 0x1\w+ holds no authority for VSA big: refused", shell.seen)


def test_forged_numbers_refused(shell):
    # A hostile client names another domain's VSIC id (and ids never
    # given) in its hello, registers a second Frame, sends its monitor a
    # grant for itself and writes garbage ring indices. Each is refused,
    # and the domain whose VSIC it named goes on unharmed.
    victim = spawn(shell, "core 2 vsa=vv vsa=vw rate vv 8")
    m = shell.wait(rf"vsicd: VSIC (\d+) of domain {victim}: rings lent", 60, "victim's VSIC")
    vid = m.group(1)
    forger = spawn(shell, f"core 1 vsa=f1 forge f1 {vid}")
    shell.wait(r"vsictest: forge: (\d+) of (\d+) refused", 120, "forge ran")
    assert re.search(r"vsictest: forge: (\d+) of \1 refused", shell.seen), shell.seen
    assert re.search(rf"vsicd: VSIC {vid} from domain {forger} refused: CAP_ERR_WRONG_TYPE", shell.seen)
    assert re.search(r"vsictest: forge: a second Frame for our VSIC: DMA_ERR_TOO_MANY", shell.seen)
    for what, err in (("a kick through a deleted copy of our VSIC", "CAP_ERR_SLOT_EMPTY"),
                      ("a kick through a revoked copy of our VSIC", "CAP_ERR_SLOT_EMPTY"),
                      ("NVMe.vsic_ring of the victim's VSIC through ours", "SYS_ERR_ILLEGAL_INVOCATION"),
                      ("NVMe.doorbell_create through our VSIC", "SYS_ERR_ILLEGAL_INVOCATION"),
                      ("VSA.create of a 9-character name", "VSA_ERR_BAD_NAME"),
                      ("present the victim's VSA slot number", "CAP_ERR_SLOT_EMPTY"),
                      ("acquire the victim's vw after it", "VSA_ERR_NO_AUTHORITY")):
        assert re.search(rf"vsictest: forge: {re.escape(what)}: {err}", shell.seen), shell.seen
    assert re.search(rf"monitor: core 1: refused message type \d+ from domain vsictest \({forger}\)",
                     shell.seen), shell.seen
    shell.wait(rf"vsicd: VSIC \d+ of domain {forger}: request index \d+ is 5000 past ours: no longer "
               r"served", 30, "garbage indices stop only the forger's VSIC")
    shell.wait(r"vsictest: rate: \d+ reads of 4 KiB in 8 s \(ERR_OK\)", 120, "victim unharmed")


BELL_LINE = (r"vsicd: doorbell: (\d+) rings \((\d+) kicks sent, (\d+) coalesced\), (\d+) sleeps, "
             r"(\d+) arms; (\d+) client doorbells rung")


def bell_counts(shell):
    shell.command("vsas")
    m = shell.wait(BELL_LINE, 30, "vsicd's doorbell line")
    return dict(zip(("rings", "kicks", "coalesced", "sleeps", "arms", "client_rings"),
                    map(int, m.groups())))


def test_completions_ring_both_doorbells(shell):
    # A client waits for each write and flush: does vsicd sleep between
    # them and get woken (the client's kick, the controller's interrupt),
    # and does each completion ring the client's doorbell and wake it?
    before = bell_counts(shell)
    dom = spawn(shell, "core 1 vsa=db bell db 20")
    m = shell.wait(r"vsictest: bell: 20 writes and flushes \((\w+)\): doorbell rang (\d+) times, "
                   r"(\d+) sleeps, (\d+) woken by it", 120, "bell run")
    assert m.group(1) == "ERR_OK", m.group(0)
    assert int(m.group(2)) > 0 and int(m.group(4)) > 0, f"the client's doorbell never rang: {m.group(0)}"
    after = bell_counts(shell)
    assert after["client_rings"] > before["client_rings"], (before, after)
    assert after["sleeps"] > before["sleeps"] and after["rings"] > before["rings"], (before, after)
    shell.wait(rf"doorbell: bell \d+ rang \d+ times for domain {dom}", 30, "the VSIC's bell let go")


FUA_LINE = r"vsicd: (\d+) FUA writes, (\d+) flushes after them"


def test_fua_writes_reach_the_disk_in_one_request_each(shell, disk):
    # Writes flagged FUA, never followed by a flush request: each is
    # answered once durable, and on QEMU's controller (which ignores the
    # FUA bit) vsicd added a Flush after each; the blocks are in the image.
    shell.command("vsas")
    before = [int(x) for x in shell.wait(FUA_LINE, 30, "vsicd's FUA counts").groups()]
    spawn(shell, "core 1 vsa=fu fua fu 16")
    m = shell.wait(r"vsictest: fua: 16 FUA writes of 4 KiB \((\w+)\), read back: (\d+) words differ",
                   120, "fua run")
    assert m.group(1) == "ERR_OK" and m.group(2) == "0", m.group(0)
    shell.command("vsas")
    after = [int(x) for x in shell.wait(FUA_LINE, 30, "vsicd's FUA counts").groups()]
    assert after[0] - before[0] == 16 and after[1] - before[1] == 16, (before, after)
    rc, out = vsa_read(disk, "fu", "--check")
    assert rc == 0, out


def test_kick_storm_costs_one_interrupt_per_sleep(shell):
    # A client that never sleeps kicks the service without pause while
    # another domain's reads go on: the kernel sends vsicd at most one
    # kick interrupt per arm (each sleep), the rest coalesce, and the
    # other domain's I/O completes.
    before = bell_counts(shell)
    spawn(shell, "core 2 vsa=kv rate kv 6")
    spawn(shell, "core 1 vsa=kk kickstorm kk 4")
    m = shell.wait(r"vsictest: kickstorm: (\d+) kicks in 4 s, (\d+) sent an interrupt \((\w+)\)", 120,
                   "kick storm")
    kicks, sent = int(m.group(1)), int(m.group(2))
    assert m.group(3) == "ERR_OK", m.group(0)
    m = shell.wait(r"vsictest: rate: (\d+) reads of 4 KiB in 6 s \((\w+)\)", 120, "victim's reads")
    assert m.group(2) == "ERR_OK" and int(m.group(1)) > 0, m.group(0)
    after = bell_counts(shell)
    arms = after["arms"] - before["arms"]
    assert sent <= arms + 1, f"{sent} kick interrupts for {arms} arms of vsicd's doorbell"
    assert kicks > sent, f"no kick coalesced: {kicks} kicks, {sent} sent"


def test_rate_caps_one_domain_not_the_other(shell):
    # A rate specifier (20 I/Os a second) caps one domain's reads while a
    # domain reading the same VSA at the same time is not capped.
    spawn(shell, "core 1 vsa=big:r rate=20:0 rate big 3")
    spawn(shell, "core 2 vsa=big:r rate big 3")
    counts = {}
    for _ in range(2):
        m = shell.wait(r"vsictest: rate: (\d+) reads of 4 KiB in 3 s \(ERR_OK\)", 120, "rate run")
        counts[len(counts)] = int(m.group(1))
        shell.seen = shell.seen[m.end():]
    capped, free = sorted(counts.values())
    # 20/s for 3 s, a burst of 2, 8 in flight when the time is up, and slack
    # for the two sides' clocks starting apart: a count, not a timing.
    assert capped <= 20 * 3 + 2 + 8 + 12, f"capped domain did {capped} reads in 3 s at 20/s"
    assert free >= 3 * capped, f"uncapped domain did only {free} reads (capped one {capped})"


def test_selftest_reaches_the_disk(shell, disk):
    # Does the driver move data with every PRP form, and does it name the
    # statuses the controller refuses with? The host reads the image.
    dom = vsicd_id(shell)
    shell.command(f"kill {dom}")
    shell.wait(rf"nvme: controller is free again \(domain {dom} let go of it\)", 30, "released")
    shell.command("@3 nvme vsicd selftest")
    m = shell.wait(r"vsicd: selftest: wrote 1 MiB at block (\d+) in \d+ commands \(PRP1, PRP2, PRP "
                   r"lists, 512 KiB transfers\), flushed, read back: (\w+), (\d+) words differ",
                   120, "selftest")
    assert m.group(2) == "ERR_OK" and m.group(3) == "0", m.group(0)
    shell.wait(r"vsicd: selftest: read past the end: NVME_ERR_SC_LBA_RANGE; opcode 0x7e: "
               r"NVME_ERR_SC_INVALID_OPCODE", 30, "named refusals")
    lba0 = int(m.group(1))
    assert lba0 == (DISK_BYTES - (4 << 20)) // BLOCK
    with open(disk, "rb") as f:
        f.seek(lba0 * BLOCK)
        data = f.read(SELFTEST_BYTES)
    words = struct.unpack(f"<{SELFTEST_BYTES // 8}Q", data)
    bad = [i for i, w in enumerate(words) if w != (lba0 * BLOCK + i * 8) ^ PATTERN]
    assert not bad, f"{len(bad)} words on the disk differ, first at byte {bad[0] * 8}"


def test_vsas_survive_a_reboot(console, disk):
    # Boot the same disk again: the VSA table and the data are still there.
    console.close()
    rc, out = vsa_read(disk)
    n = int(re.search(r"(\d+) VSAs", out).group(1))
    assert rc == 0 and n >= 4 and re.search(r"big\s+131072 blocks", out), out
    c = boot_console(LOG_DIR / "test_storage-reboot.log", args=("--disk", str(disk)))
    try:
        c.wait(rf"vsicd: VSA table read from the disk: {n} VSAs", 60, "table survived")
        c.command("spawn vsictest core 1 vsa=big:r verify big 64")
        c.wait(r"vsictest: kept 64 MiB of VSA big, read back: ERR_OK, 0 words differ", 600,
               "data survived")
    finally:
        c.close()
