"""The mount table of the library OS (lib/newlib/mount.c), pread/pwrite and
the fs=NAME spawn-argument hook (issue #12, files on a VSA):
usr/tests/mount_suite mounts a small file system of its own memory on /mnt
and checks that paths under it reach it while the rest stays in memfs, and
that fs=NAME is found in the environment or taken out of argv and a VSA
that cannot be opened is refused. vsafs itself is tested on the host (tests/unit/vsafs); in the
guest it needs the VSIC."""
from conftest import run_ktap_suite


def test_mount_suite_passes(shell):
    ran = run_ktap_suite(shell, "mount_suite", 1, 120, "fs=nosuch keep fs=second")
    for name in ("mount_refusals", "mount_routes_paths", "pread_pwrite", "spawn_arg_hook"):
        assert name in ran, f"{name} did not run"
    # Each refusal is said on the console, once.
    for name in ("nosuch", "second"):
        assert shell.seen.count(f"vsafs: fs={name}: no file system on /data") == 1, shell.seen
