"""The console a person at a server sees: the text console drawn on the
framebuffer GRUB gives (by BIOS: VBE; by UEFI: GOP), checked by reading
the screen back, and the serial console chosen from the ACPI SPCR table
(which QEMU's q35 lacks, so the test writes one and run-qemu adds it with
--acpitable).

The screen is read through QEMU's monitor (`screendump`, run-qemu
--monitor) as a PPM image, and read as text by matching every 8x16 cell
against the kernel's own font table (kernel/console/font8x16.c): the test
fails if the console draws nothing, draws garbage, or draws elsewhere."""
import re
import socket
import struct
import time

import pytest

from conftest import LOG_DIR, TOP, boot_console

BOOT_COMPLETE = r"^arrakis: boot complete on core 0$"
FBCON_LINE = r"fbcon: (\d+)x(\d+) 32 bpp RGB at (0x[0-9a-f]+) \((write-combining|uncached, no PAT)\), (\d+)x(\d+) characters"
FG = (0xaa, 0xaa, 0xaa)         # FBCON_FG_RGB
BG = (0, 0, 0)
NOT_A_GLYPH = "\u2592"         # how screen_text shows a cell that is no glyph of the font


@pytest.fixture(autouse=True)
def own_machine(monkeypatch):
    """These tests choose their machine's serial ports themselves."""
    monkeypatch.delenv("RUN_QEMU_OPTS", raising=False)


def font():
    """{16-row bitmap: character} from the kernel's font table."""
    src = (TOP / "kernel/console/font8x16.c").read_text()
    glyphs = {}
    for idx, body in re.findall(r"\[(0x[0-9a-f]+|FONT_FALLBACK)\] = \{([^}]*)\}", src):
        rows = tuple(int(b, 16) for b in body.split(","))
        assert len(rows) == 16, f"glyph {idx} has {len(rows)} rows"
        if idx != "FONT_FALLBACK":
            glyphs.setdefault(rows, chr(0x20 + int(idx, 16)))
    assert len(glyphs) > 90, "font table not parsed"
    return glyphs


def read_ppm(path):
    data = path.read_bytes()
    m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    assert m, f"{path} is not a binary PPM"
    w, h, maxval = map(int, m.groups())
    assert maxval == 255
    px = data[m.end():]
    assert len(px) >= w * h * 3, "short PPM"
    return w, h, px


def screen_text(path, cols, rows):
    """The characters on the screen, one string per text row; a cell that
    is no glyph of the font reads as NOT_A_GLYPH."""
    w, h, px = read_ppm(path)
    glyphs = font()
    lines = []
    for r in range(rows):
        line = []
        for c in range(cols):
            bits = []
            for y in range(16):
                row = 0
                base = ((r * 16 + y) * w + c * 8) * 3
                for x in range(8):
                    p = tuple(px[base + x * 3: base + x * 3 + 3])
                    if p == FG:
                        row |= 0x80 >> x
                    elif p != BG:
                        row = -1
                        break
                if row < 0:
                    bits = None
                    break
                bits.append(row)
            line.append(glyphs.get(tuple(bits), NOT_A_GLYPH) if bits is not None else NOT_A_GLYPH)
        lines.append("".join(line).rstrip())
    return w, h, lines


class Monitor:
    """QEMU's human monitor on a unix socket (run-qemu --monitor)."""

    def __init__(self, path, timeout=60):
        end = time.monotonic() + timeout
        while True:
            try:
                self.s = socket.socket(socket.AF_UNIX)
                self.s.settimeout(timeout)
                self.s.connect(str(path))
                break
            except (FileNotFoundError, ConnectionRefusedError):
                self.s.close()
                if time.monotonic() > end:
                    raise AssertionError(f"no QEMU monitor at {path}") from None
                time.sleep(0.5)
        self.read_prompt()

    def read_prompt(self):
        buf = b""
        while not buf.endswith(b"(qemu) "):
            chunk = self.s.recv(4096)
            assert chunk, f"monitor closed: {buf!r}"
            buf += chunk
        return buf.decode("utf-8", "replace")

    def command(self, line):
        self.s.sendall(line.encode() + b"\n")
        return self.read_prompt()

    def close(self):
        self.s.close()


def screendump(mon, path):
    if path.exists():
        path.unlink()
    out = mon.command(f"screendump {path}")
    assert path.exists(), f"screendump wrote nothing: {out}"


@pytest.mark.parametrize("uefi", [False, True], ids=["bios", "uefi"])
def test_framebuffer_console_shows_the_boot_and_the_shell(request, tmp_path, uefi):
    # Does GRUB hand over a framebuffer (BIOS and UEFI), does the kernel
    # map it write-combining, and does the screen then show, as text in the
    # kernel's font, the same boot and shell lines the serial port shows?
    name = f"test_fbcon-{'uefi' if uefi else 'bios'}"
    sock = tmp_path / "monitor.sock"
    args = ("--monitor", str(sock)) + (("--uefi",) if uefi else ())
    c = boot_console(LOG_DIR / f"{name}.log", args=args)
    mon = None
    try:
        mark = "fbcon-screen-check-4711"
        c.command(mark)
        c._log.flush()
        log = c.logfile.read_text().replace("\r", "")
        m = re.search(FBCON_LINE, log)
        assert m, f"no fbcon boot line in {c.logfile}"
        width, height, _, memtype, cols, rows = m.groups()
        assert memtype == "write-combining", "QEMU's -cpu max has a PAT"
        mon = Monitor(sock)
        shot = LOG_DIR / f"{name}.ppm"
        screendump(mon, shot)
        w, h, lines = screen_text(shot, int(cols), int(rows))
        (LOG_DIR / f"{name}.screen.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        assert (w, h) == (int(width), int(height)), f"screen {w}x{h}, fbcon said {width}x{height}"
        text = "\n".join(lines)
        assert NOT_A_GLYPH not in text, f"cells that are no glyph: see {name}.screen.txt"
        # The shell's answer to the command typed last is on the screen as
        # on the serial line (its echo may be split by other domains' lines).
        assert f"unknown command '{mark}'" in text, \
            f"the shell's last answer is not on the screen: {name}.screen.txt"
        assert "arrakis>" in text, "no shell prompt on the screen"
        # Every full line on the screen (but the last, still being
        # written) is a line of the serial log.
        serial = set(l.rstrip() for l in log.splitlines())
        shown = [l for l in lines if l.strip()]
        assert len(shown) >= 5, f"almost nothing on the screen: {shown}"
        for l in shown[:-1]:
            if len(l) < int(cols):          # a wrapped line is split on screen
                assert any(s.endswith(l) or l in s for s in serial), \
                    f"screen line {l!r} is not on the serial console"
    finally:
        if mon:
            mon.close()
        c.close()


def test_fbcon_off(boot):
    # Does fbcon=off leave the framebuffer alone and say so, and the boot
    # go on on the serial port?
    b = boot(smp=1, cmdline="halt=poweroff fbcon=off")
    b.expect(r"^fbcon: off \(fbcon=off\)", "fbcon=off named")
    assert not b.lines(r"^fbcon: \d+x\d+"), "drew on the framebuffer anyway"
    b.expect(BOOT_COMPLETE, "boot did not complete")


@pytest.mark.parametrize("uefi,line", [
    # With no video card GRUB's BIOS side falls back to VGA mode 0x11
    # (640x480, 1 bpp planar, palette-indexed): an odd format, refused.
    (False, r"^fbcon: indexed framebuffer 640x480, 1 bpp at 0xa0000 refused: FBCON_ERR_INDEXED "),
    # UEFI without a GOP: no framebuffer tag at all.
    (True, r"^fbcon: the boot loader gave no framebuffer; console on the serial port only$"),
], ids=["bios-indexed", "uefi-none"])
def test_no_usable_framebuffer_is_said(boot, uefi, line):
    # On a machine without a video card (-vga none), does the kernel say
    # in one line why the screen stays dark, and boot on serial anyway?
    # (--uefi before the "--" that ends run-qemu's own options)
    b = boot(smp=1, args=(("--uefi",) if uefi else ()) + ("--", "-vga", "none"))
    b.expect(line, "the framebuffer's refusal or absence named")
    assert len(b.lines(r"^fbcon:")) == 1, b.lines(r"^fbcon:")
    b.expect(BOOT_COMPLETE, "boot did not complete")
    assert b.status == 0, f"guest exit status {b.status}, see {b.logfile}"


def spcr(io=0x2F8, interface=0, space=1, baud=7, good_checksum=True):
    """An SPCR (Microsoft's Serial Port Console Redirection table, rev 2,
    80 bytes) as a server's firmware has it: a 16550 at I/O `io`."""
    body = struct.pack("<B3s", interface, b"\0" * 3)
    body += struct.pack("<BBBBQ", space, 8, 0, 1, io)          # Generic Address Structure
    body += struct.pack("<BBIBBBBBBHHBBBIBI", 1, 3, 0, baud, 0, 1, 0, 0, 0,
                        0xFFFF, 0xFFFF, 0, 0, 0, 0, 0, 0)
    length = 36 + len(body)
    assert length == 80
    hdr = struct.pack("<4sIBB6s8sI4sI", b"SPCR", length, 2, 0, b"ARRAKS", b"TESTSPCR", 1,
                      b"ARKS", 1)
    table = bytearray(hdr + body)
    table[9] = (-sum(table)) & 0xFF
    if not good_checksum:
        table[9] ^= 0x5A
    return bytes(table)


def test_spcr_table_is_well_formed():
    # The host-built SPCR sums to zero, is 80 bytes, and says COM2.
    t = spcr()
    assert len(t) == 80 and sum(t) % 256 == 0
    assert t[36] == 0 and t[40] == 1 and struct.unpack_from("<Q", t, 44)[0] == 0x2F8


def test_spcr_moves_the_console_to_com2(boot, tmp_path):
    # With no console= and an SPCR naming COM2 (as an IPMI
    # serial-over-LAN server's firmware does), does the whole boot come
    # out on COM2 (QEMU's COM1 leads nowhere), from its first line?
    table = tmp_path / "spcr.dat"
    table.write_bytes(spcr())
    b = boot(smp=2, args=("--serial2-untold", "--acpitable", str(table)))
    b.expect(r"^arrakis 0\.1: CPU driver starting on the bootstrap core", "first line on COM2")
    b.expect(r"^console: on the UART at I/O 0x2f8, 115200 baud \(named by ACPI SPCR\)$",
             "SPCR console line")
    assert "console=" not in b.lines(r"^boot: loaded by")[0], "the kernel was told console="
    b.expect(BOOT_COMPLETE, "boot did not complete on COM2")
    assert b.status == 0, f"guest exit status {b.status}, see {b.logfile}"


def test_console_argument_wins_over_spcr(boot, tmp_path):
    # console=ttyS0 given: the SPCR's COM2 is not used.
    table = tmp_path / "spcr.dat"
    table.write_bytes(spcr())
    b = boot(smp=1, cmdline="halt=poweroff console=ttyS0", args=("--acpitable", str(table)))
    assert not b.lines(r"SPCR"), b.lines(r"SPCR")
    b.expect(BOOT_COMPLETE, "boot did not complete on COM1")


@pytest.mark.parametrize("what,table,why", [
    ("pl011", dict(interface=3), "SPCR_ERR_INTERFACE"),
    ("mmio", dict(space=0, io=0xFEDC9000), "SPCR_ERR_ADDRESS"),
    ("baud", dict(baud=5), "SPCR_ERR_BAUD"),
])
def test_malformed_spcr_is_ignored(boot, tmp_path, what, table, why):
    # An SPCR this console cannot use (an ARM PL011, a UART in memory
    # space, an unknown baud code) is ignored with one boot line naming
    # why, and the console stays on COM1. (A bad checksum cannot be
    # planted this way: QEMU's -acpitable recomputes it; the host test
    # tests/unit/console covers it.)
    path = tmp_path / "spcr.dat"
    path.write_bytes(spcr(**table))
    b = boot(smp=1, args=("--acpitable", str(path)))
    lines = b.lines(r"SPCR")
    assert len(lines) == 1 and re.match(rf"^console: ACPI SPCR ignored: {why} ", lines[0]), lines
    b.expect(BOOT_COMPLETE, "boot did not complete on COM1")
