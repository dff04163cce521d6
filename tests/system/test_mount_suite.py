"""The mount table of the library OS (lib/newlib/mount.c) and pread/pwrite
(issue #12, files on a VSA): usr/tests/mount_suite mounts a small file
system of its own memory on /mnt and checks that paths under it reach it
while the rest stays in memfs. vsafs itself is tested on the host
(tests/unit/vsafs); in the guest it needs the VSIC."""
from conftest import run_ktap_suite


def test_mount_suite_passes(shell):
    ran = run_ktap_suite(shell, "mount_suite", 1, 120)
    for name in ("mount_refusals", "mount_routes_paths", "pread_pwrite"):
        assert name in ran, f"{name} did not run"
