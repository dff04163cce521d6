"""VNICs: a VF given to one domain, its registers mapped into it, DMA
confined by its own IOMMU domain to Frames it registered, and the VF freed
when the domain ends (drivers/net/igb/pf/: vnic.c, dma.c, fault.c)."""
import re

import pytest

from conftest import LOG_DIR, boot_console


@pytest.fixture(scope="module")
def console():
    """This module's system boots with igb.dma_canary: the kernel keeps a
    page of known contents that test_dma_outside_registered_memory_is_stopped
    aims a VF's DMA at."""
    c = boot_console(LOG_DIR / "test_vnic.log", args=("--cmdline", "igb.dma_canary"))
    yield c
    c.close()


def test_vnic_lifecycle(shell):
    # Can a domain without a VNIC map VF registers? Does one with a VNIC
    # read its VF, register DMA memory once, show in `nics`, and does the VF
    # come free when the domain is killed?
    out = shell.command("spawn vnictest core 0")
    dom = re.search(r"spawned vnictest as domain (0x\w+) on core 0", out).group(1)
    shell.wait(r"vnictest: without a VNIC, mapping VF registers: CAP_ERR_SLOT_EMPTY", 30,
               "no VNIC capability, no registers")
    m = shell.wait(r"vnictest: VF (\d) registers mapped, STATUS (0x[0-9a-f]+) \(link up\); "
                   r"DMA frame registered: ERR_OK; twice: MAP_ERR_ALREADY", 30, "VF in use")
    vf = int(m.group(1))
    shell.wait(r"vnictest: rate limit of 1 MB/s: RATE_ERR_NO_HW_LIMITER", 30,
               "QEMU's igb has no rate limiter: refused, not faked")
    # Filters: what the NIC can steer by is programmed, the rest refused
    # with a named error; a deleted filter leaves the NIC.
    shell.wait(r"vnictest: filters: mac ERR_OK, mac vlan 7 ERR_OK, udp port 7 FILTER_ERR_NO_5TUPLE, "
               r"ethertype FILTER_ERR_NO_ETHERTYPE, broadcast vlan 7 FILTER_ERR_INEXACT, "
               r"vlan 4095 FILTER_ERR_VLAN, into a used slot CAP_ERR_SLOT_NOT_EMPTY", 30, "filters")
    shell.wait(r"vnictest: vlan filter deleted: ERR_OK", 30, "filter deleted")
    assert re.search(rf"igb: filter \d+: VF {vf} \(domain {dom}\) admits mac vlan 7", shell.seen)
    assert re.search(rf"vnic: VF {vf} \(01:10\.{2 * vf}\) is now domain {dom}'s \(core 0\), "
                     r"in its own IOMMU domain", shell.seen), shell.seen
    out = shell.command("nics")
    assert re.search(rf"VF {vf}\s+01:10\.{2 * vf}\s+8086:10ca\s+\S+\s+{vf}\s+up\s+{dom}", out), out
    out = shell.command("filters")
    assert re.search(rf"\d+\s+VF {vf}\s+{dom}\s+its mac untagged", out), out
    assert "vlan 7" not in out, out
    shell.command(f"kill {dom}")
    shell.wait(rf"vnic: VF {vf} is free again \(domain {dom} let go of it\)", 30, "VF freed")
    out = shell.command("filters")
    assert "no VNIC receives anything" in out, out      # its filters went with it
    out = shell.command("nics")
    assert re.search(rf"VF {vf}\s+01:10\.{2 * vf}\s+8086:10ca\s+\S+\s+{vf}\s+up\s+free", out), out


def test_vnic_control_calls_forwarded_from_another_core(shell):
    # A domain on core 2 (the NIC is core 0's): are vnic_create, DMA
    # registration, rate, filters and their deletion forwarded to core 0 and
    # answered, with the same results as on core 0, and the VF freed after?
    out = shell.command("spawn vnictest core 2")
    dom = re.search(r"spawned vnictest as domain (0x\w+) on core 2", out).group(1)
    m = shell.wait(rf"vnic: VF (\d) \(01:10\.\d\) is now domain {dom}'s \(core 2\)", 30,
                   "core 0 gave the VF to the domain on core 2")
    vf = int(m.group(1))
    shell.wait(r"vnictest: VF \d registers mapped, STATUS 0x[0-9a-f]+ \(link up\); "
               r"DMA frame registered: ERR_OK; twice: MAP_ERR_ALREADY", 30, "DMA registered")
    shell.wait(r"vnictest: rate limit of 1 MB/s: RATE_ERR_NO_HW_LIMITER", 30, "rate refused")
    shell.wait(r"vnictest: filters: mac ERR_OK, mac vlan 7 ERR_OK, udp port 7 FILTER_ERR_NO_5TUPLE, "
               r"ethertype FILTER_ERR_NO_ETHERTYPE, broadcast vlan 7 FILTER_ERR_INEXACT, "
               r"vlan 4095 FILTER_ERR_VLAN, into a used slot CAP_ERR_SLOT_NOT_EMPTY", 30, "filters")
    shell.wait(rf"igb: filter \d+ of VF {vf} deleted", 30, "the deletion reached core 0")
    out = shell.command("filters")
    assert re.search(rf"\d+\s+VF {vf}\s+{dom}\s+its mac untagged", out), out
    shell.command(f"kill {dom}")
    shell.wait(rf"vnic: VF {vf} is free again \(domain {dom} let go of it\)", 30, "VF freed")


def test_dma_outside_registered_memory_is_stopped(shell):
    # A domain points its VF's DMA at another domain's memory and at kernel
    # memory: does the IOMMU stop it and name the VF, is the domain told,
    # do both canaries stay intact, and does the system keep running?
    boot = open(shell.logfile).read()
    kernel_pa = re.search(r"vnic: kernel DMA canary page at (0x[0-9a-f]+)", boot).group(1)
    out = shell.command("spawn victim core 0")
    victim = re.search(r"spawned victim as domain (0x\w+)", out).group(1)
    victim_pa = shell.wait(r"victim: domain \w+ canary at physical (0x[0-9a-f]+)", 30,
                           "victim's canary").group(1)
    shell.command(f"spawn vnicdma core 0 {kernel_pa} {victim_pa}")
    m = shell.wait(r"vtd: DMA fault: device (01:10\.\d), address (0x[0-9a-f]+), reason \d+", 60,
                   "IOMMU fault naming the VF")
    assert m.group(2) in (victim_pa, kernel_pa), m.group(0)
    shell.wait(r"vnic: VF \d DMA fault at 0x[0-9a-f]+ reported to domain 0x\w+; kernel canary intact",
               30, "kernel canary checked")
    shell.wait(r"vnicdma: told of a DMA (read|write) fault", 30, "the domain was told")
    shell.wait(r"monitor: domain vnicdma \(0x\w+\) on core 0 exited, status 0", 30, "vnicdma ended")
    out = shell.command(f"ping {victim}")
    assert f"pong from domain {victim}" in out, out
    assert "victim: canary intact" in shell.seen, shell.seen


def test_doorbell_wakes_a_sleeping_thread(shell):
    # Does the VF's MSI-X entry, routed by a Doorbell, reach the holder's
    # core and wake a thread sleeping on it, every time? Is a second
    # doorbell or a bad entry refused, and does deleting it mask the entry?
    shell.command("spawn doorbelltest core 0 50")
    shell.wait(r"doorbell: VF (\d) MSI-X entry 0 rings domain 0x\w+ on core 0 "
               r"\(APIC 0, vector 6\d\)", 30, "doorbell routed")
    shell.wait(r"a second one: DOORBELL_ERR_EXISTS; entry 9: DOORBELL_ERR_MSIX_ENTRY", 30, "refusals")
    shell.wait(r"doorbelltest: 50 of 50 rings woke the sleeping thread \(waiter status 0\)", 60,
               "every ring wakes the waiter")
    shell.wait(r"doorbelltest: doorbell deleted \(ERR_OK\); rings after that: 0", 30,
               "a deleted doorbell is silent")
    shell.wait(r"monitor: domain doorbelltest \(0x\w+\) on core 0 exited, status 0", 30, "it ends")


def test_doorbell_on_another_core(shell):
    # The doorbell of a domain on core 3: does core 0 route the VF's MSI-X
    # entry to core 3's APIC, and does every ring wake the thread there?
    out = shell.command("spawn doorbelltest core 3 30")
    shell.wait(r"doorbell: VF \d MSI-X entry 0 rings domain 0x3\w+ on core 3 \(APIC 3, vector 6\d\)",
               30, "routed to core 3")
    shell.wait(r"doorbelltest: 30 of 30 rings woke the sleeping thread \(waiter status 0\)", 60,
               "every ring wakes the waiter on core 3")
    shell.wait(r"doorbelltest: doorbell deleted \(ERR_OK\); rings after that: 0", 30, "silent after")
    shell.wait(r"monitor: domain doorbelltest \(0x\w+\) on core 3 exited, status 0", 30, "it ends")
