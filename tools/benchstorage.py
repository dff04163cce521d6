"""tools/benchstorage.py: make bench's storage table (part 3 of tools/bench).

The same workloads on the same emulated NVMe, in one run:
  - durable 1 KiB append: each append is durable before the next starts
    (median, p99 latency). Linux: write() + fdatasync() on ext4 in the
    comparison guest. This OS: lib/tenacious appends and a POSIX file on
    the VSA file system with fdatasync, through a VSIC.
  - 4 KiB random reads and writes, one at a time (IOPS, median, p99).
    Linux: O_DIRECT on the raw device. This OS: through a VSIC.
The Linux guest (tools/linux-guest) gets its own disk image: an ext4 made
here on the first half (the appends go to a file on it) and a raw second
half (the random I/O), so neither run touches the other's blocks. Its
figures come from tools/linux-guest/blkbench.c, which prints one JSON
object per run; this OS's in-guest program prints the same fields.
Under TCG both are emulated time: compare within one run only.
"""
import json
import re
import subprocess
from pathlib import Path

import guest  # tools/linux-guest/guest.py (tools/bench puts it on sys.path)

TOP = Path(__file__).resolve().parents[1]
IMAGE_MIB = 512
EXT4_MIB = 256                       # the ext4 at the start; raw I/O after it
RAW_OFFSET = EXT4_MIB << 20
RAW_SPAN = (IMAGE_MIB - EXT4_MIB) << 20

WORKLOADS = {"append": {"count": 1000, "size": 1024}, "rand": {"count": 2000}}
QUICK = {"append": {"count": 200}, "rand": {"count": 400}}
JSON_LINE = re.compile(r"^\{.*\}\s*$", re.M)


def params(quick):
    return {w: dict(o, **(QUICK[w] if quick else {})) for w, o in WORKLOADS.items()}


def make_linux_image(path):
    """A fresh image: ext4 on its first EXT4_MIB, zeros after (mkfs.ext4
    from e2fsprogs writes only into the file; nothing is mounted here)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    subprocess.run(["truncate", "-s", f"{IMAGE_MIB}M", str(path)], check=True)
    subprocess.run(["mkfs.ext4", "-q", "-F", "-b", "4096", "-L", "bench", str(path),
                    str(EXT4_MIB * 256)], check=True, stdin=subprocess.DEVNULL)


def parse_runs(text):
    """The JSON objects blkbench (or this OS's program) printed, by op."""
    return {r["op"]: r for r in map(json.loads, JSON_LINE.findall(text))}


def run_linux(netns, out_dir, p):
    """Boot the Linux guest on its own ext4 image and run blkbench there;
    returns {op: report} or {"error": why}."""
    image = out_dir / "linux-nvme.img"
    make_linux_image(image)
    try:
        g = guest.LinuxGuest(out_dir / "storage-linux.log", netns, disk=image,
                             extra_append="guest_mount=/dev/nvme0n1")
    except AssertionError as e:
        return {"error": str(e)}
    try:
        a, r = p["append"], p["rand"]
        text = g.run(f"blkbench append /mnt/log {a['count']} {a['size']}", timeout=900)
        for rw in ("read", "write"):
            text += g.run(f"blkbench rand /dev/nvme0n1 {rw} {RAW_OFFSET} {RAW_SPAN} {r['count']}",
                          timeout=900)
        return parse_runs(text)
    except AssertionError as e:
        return {"error": str(e)}
    finally:
        g.close()


ROWS = [  # (row label, op, field, unit); "append" is named per column (APPEND_OP)
    ("durable 1 KiB append, median", "append", "p50_us", "us"),
    ("durable 1 KiB append, p99", "append", "p99_us", "us"),
    ("4 KiB random read, IOPS", "randread4k", "iops", "/s"),
    ("4 KiB random read, median", "randread4k", "p50_us", "us"),
    ("4 KiB random write, IOPS", "randwrite4k", "iops", "/s"),
    ("4 KiB random write, median", "randwrite4k", "p50_us", "us"),
]
# Which op each column's program names its append run.
APPEND_OP = {"linux": "append+fdatasync", "tenacious": "tenacious_append",
             "posix": "posix_append+fdatasync"}


def table(columns):
    """columns: {name: {op: report} or {"error": why}} -> printed table with
    each column's ratio to Linux's."""
    names = list(columns)
    head = f"{'storage (same emulated NVMe)':34s}" + "".join(f"{n:>14s}" for n in names)
    lines = ["Storage: this OS against the Linux guest (TCG: emulated time)", head]
    for label, op, field, unit in ROWS:
        row = f"{label + ' (' + unit + ')':34s}"
        for n in names:
            rep = columns[n].get(APPEND_OP.get(n, op) if op == "append" else op)
            row += f"{rep[field]:14.1f}" if rep else f"{'-':>14s}"
        lines.append(row)
    linux = columns.get("linux", {})
    for n in names:
        if n == "linux":
            continue
        for label, op, field, _ in ROWS:
            mine = columns[n].get(APPEND_OP.get(n, op) if op == "append" else op)
            ref = linux.get(APPEND_OP["linux"] if op == "append" else op)
            if mine and ref and ref[field]:
                lines.append(f"  {n} / linux, {label}: {mine[field] / ref[field]:.2f}x")
    for n in names:
        if "error" in columns[n]:
            lines.append(f"  {n}: no figures: {columns[n]['error']}")
    return "\n".join(lines) + "\n"
