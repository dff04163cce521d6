"""PCIe enumeration and SR-IOV at boot, checked from the serial log.

QEMU's igb (hw/net/igb.c) is an 82576 PF, 8086:10c9, behind root port rp0:
BAR 0 128 KiB registers, BAR 1 128 KiB (dummy flash), BAR 2 32 bytes of
I/O, BAR 3 a 16 KiB 64-bit MSI-X BAR; an SR-IOV capability with TotalVFs
8, First VF Offset 0x80, VF Stride 2, VF Device ID 0x10ca and two 16 KiB
64-bit prefetchable VF BARs (0 and 3). The default command line asks for
4 VFs (sriov.vfs=4).
"""
import re

PF = r"8086:10c9"
BOOT_COMPLETE = r"^arrakis: boot complete on core 0$"


def functions(log):
    """{'BB:DD.F': (pci line, [indented lines that follow])} in log order."""
    out, cur = {}, None
    for line in log.splitlines():
        m = re.match(r"^pci ([0-9a-f]{2}:[0-9a-f]{2}\.[0-7]) ", line)
        if m:
            cur = m.group(1)
            out[cur] = (line, [])
        elif cur and line.startswith("  "):
            out[cur][1].append(line.strip())
        else:
            cur = None
    return out


def bars(detail):
    """{n: (kind, addr, size, pref)} from '  bar N: kind 0xA size 0xS [pref]' lines."""
    out = {}
    for l in detail:
        m = re.match(r"^bar (\d): (\S+) 0x([0-9a-f]+) size 0x([0-9a-f]+)( pref)?$", l)
        if m:
            out[int(m.group(1))] = (m.group(2), int(m.group(3), 16), int(m.group(4), 16),
                                    bool(m.group(5)))
    return out


def the_pf(b):
    fns = functions(b.log)
    pf = [bdf for bdf, (line, _) in fns.items() if f" {PF} class 02.00 " in line]
    assert len(pf) == 1, f"igb PF lines: {pf} in {b.logfile}"
    return fns, pf[0]


def vf_bdfs(pf_bdf, offset, stride, n):
    bus, dev, fn = int(pf_bdf[0:2], 16), int(pf_bdf[3:5], 16), int(pf_bdf[6], 16)
    rid = bus << 8 | dev << 3 | fn
    return [f"{r >> 8:02x}:{(r >> 3) & 31:02x}.{r & 7:x}"
            for r in (rid + offset + i * stride for i in range(n))]


def test_pf_bars_are_sized(bios_boot):
    # Does BAR sizing find the four BARs QEMU gives the 82576?
    fns, pf = the_pf(bios_boot)
    got = bars(fns[pf][1])
    want = {0: ("mem32", 0x20000), 1: ("mem32", 0x20000), 2: ("io", 0x20), 3: ("mem64", 0x4000)}
    assert {n: (k, s) for n, (k, _, s, _) in got.items()} == want, \
        f"PF BARs {got}, expected {want}; see {bios_boot.logfile}"
    assert "msix: 10 vectors, table bar 3 + 0x0, pba bar 3 + 0x2000" in fns[pf][1], \
        f"MSI-X capability of the PF: {fns[pf][1]}"


def test_pf_sits_behind_a_root_port_window(bios_boot):
    # Is the PF found through a bridge, with its BARs inside that bridge's window?
    fns, pf = the_pf(bios_boot)
    bus = pf[0:2]
    bridges = [d for _, d in fns.values()
               if any(l.startswith(f"bridge: buses {bus}-") for l in d)]
    assert len(bridges) == 1, f"no bridge leads to bus {bus} in {bios_boot.logfile}"
    m = re.search(r"mem 0x([0-9a-f]+)-0x([0-9a-f]+)", " ".join(bridges[0]))
    lo, hi = int(m.group(1), 16), int(m.group(2), 16)
    for n, (kind, addr, size, _) in bars(fns[pf][1]).items():
        if kind != "io":
            assert lo <= addr and addr + size - 1 <= hi, f"PF bar {n} at {addr:#x} outside {lo:#x}-{hi:#x}"


def test_four_vfs_enabled(bios_boot):
    # With the default sriov.vfs=4, do exactly four VFs appear at PF + offset
    # + i * stride, as 8086:10ca Ethernet functions with their own BARs?
    fns, pf = the_pf(bios_boot)
    m = re.search(r"^sriov: (\d+) VFs \(initial \d+\), VF 8086:10ca at offset 0x([0-9a-f]+) "
                  r"stride (\d+)$", "\n".join(fns[pf][1]), re.M)
    assert m, f"no SR-IOV capability line for the PF: {fns[pf][1]}"
    total, offset, stride = int(m.group(1)), int(m.group(2), 16), int(m.group(3))
    assert (offset, stride) == (0x80, 2), "QEMU igb: First VF Offset 0x80, VF Stride 2"
    want = vf_bdfs(pf, offset, stride, 4)
    got = [bdf for bdf, (line, _) in fns.items() if " 8086:10ca " in line]
    assert got == want, f"VF functions {got}, expected {want}"
    for i, bdf in enumerate(want):
        line, detail = fns[bdf]
        assert re.match(rf"^pci {re.escape(bdf)} 8086:10ca class 02\.00 Ethernet controller$", line), line
        assert f"vf {i} of {pf}" in detail, f"VF {bdf} detail {detail}"
        vb = bars(detail)
        assert sorted(vb) == [0, 3], f"VF {bdf} BARs {vb}"
        assert all(k == "mem64" and s == 0x4000 and p for k, _, s, p in vb.values()), vb
    # VF i's BARs lie i BAR-sizes above VF 0's.
    base = bars(fns[want[0]][1])
    for i, bdf in enumerate(want):
        for n, (_, addr, size, _) in bars(fns[bdf][1]).items():
            assert addr == base[n][1] + i * size, f"VF {bdf} bar {n} at {addr:#x}"
    bios_boot.expect(rf"^sriov: {PF} at {re.escape(pf)}: 4 of {total} VFs enabled$", "sriov line")


def test_too_many_vfs_refused_boot_goes_on(boot):
    # sriov.vfs=9 is more than the 82576's TotalVFs: refused with a named
    # error, no VF appears, and the boot still completes.
    b = boot(cmdline="halt=poweroff sriov.vfs=9")
    b.expect(rf"^sriov: {PF} at [0-9a-f:.]+: cannot enable 9 VFs \(TotalVFs \d+\): "
             r"PCI_ERR_TOO_MANY_VFS \(", "refusal line")
    assert not b.lines(r"^pci .* 8086:10ca "), "VFs appeared although refused"
    b.expect(BOOT_COMPLETE, "boot did not go on after the refusal")
    assert b.status == 0, f"guest exit status {b.status}, see {b.logfile}"
