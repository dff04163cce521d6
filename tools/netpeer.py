#!/usr/bin/python3
"""tools/netpeer.py: the host's end of the guest's wire, raw Ethernet on tap0.

Runs inside the test network namespace made by tools/netns (it refuses to
run anywhere else), where tap0 is the igb's wire once QEMU runs
with `tools/run-qemu --netns NAME`:

    ip netns exec NAME /usr/bin/python3 tools/netpeer.py wait-link --timeout 60
    ip netns exec NAME /usr/bin/python3 tools/netpeer.py exchange \\
        --dst 02:00:00:00:01:00 --count 100 --seconds 10 [--vlan 5]
    ip netns exec NAME /usr/bin/python3 tools/netpeer.py send --dst MAC --count N
    ip netns exec NAME /usr/bin/python3 tools/netpeer.py collect --seconds 5
    ip netns exec NAME /usr/bin/python3 tools/netpeer.py echo-tap --seconds 10

(echo-tap stands in for QEMU and a guest echo program, to test this tool
without a guest: it opens tap0 as QEMU does and sends every frame back with
its MAC addresses swapped.)

Each prints one JSON object on stdout. The frames carry EtherType 0x88b5
(IEEE local experimental), optionally behind an 802.1Q tag, and a payload
that checks itself:

    "ARKP" | run id (u32) | sequence number (u32) | payload length (u16) | fill

where the fill is pseudo-random bytes derived from (run id, sequence
number). A guest program that echoes a frame back with its MAC addresses
swapped returns the payload unchanged; the collector recomputes it and says
whether every byte came back. Everything is bounded: at most MAX_COUNT
frames per run and MAX_SECONDS of waiting.

From Python (the system tests): `run(netns, "exchange", dst=..., count=...)`
runs the CLI inside the namespace and returns the parsed report.
"""
import argparse
import errno
import json
import os
import random
import select
import socket
import struct
import subprocess
import sys
import time
from pathlib import Path

ETH_P_ALL = 0x0003
ETH_P_8021Q = 0x8100
ETHERTYPE = 0x88B5                # IEEE 802 local experimental EtherType 1
MAGIC = b"ARKP"
HEADER = struct.Struct("!4sIIH")  # magic, run id, seq, payload length
MIN_SIZE = 46                     # smallest payload of an unpadded frame
MAX_SIZE = 1500
MAX_COUNT = 100000
MAX_SECONDS = 600.0
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable

SOL_PACKET = 263
PACKET_AUXDATA = 8
PACKET_OUTGOING = 4
TP_STATUS_VLAN_VALID = 1 << 4
AUXDATA = struct.Struct("=IIIHHHH")  # struct tpacket_auxdata
IFF_UP = 0x1

# The guest's addresses (drivers/net/igb): QEMU's default PF MAC, and VF N's.
PF_MAC = "52:54:00:12:34:56"
BROADCAST = "ff:ff:ff:ff:ff:ff"


def fail(msg):
    """A refusal or bad argument: the message, and exit status 2."""
    print(msg, file=sys.stderr)
    raise SystemExit(2)


def vf_mac(n):
    return f"02:00:00:00:01:{n:02x}"


def mac_bytes(text):
    b = bytes(int(x, 16) for x in text.split(":"))
    if len(b) != 6:
        raise ValueError(f"bad MAC address '{text}'")
    return b


def mac_text(b):
    return ":".join(f"{x:02x}" for x in b)


def payload(run_id, seq, size):
    """The payload of frame `seq` of run `run_id`: header, then fill."""
    fill = random.Random((run_id << 32) | seq).randbytes(size - HEADER.size)
    return HEADER.pack(MAGIC, run_id, seq, size) + fill


def make_frame(dst, src, run_id, seq, size, vlan=None):
    eth = mac_bytes(dst) + mac_bytes(src)
    if vlan is not None:
        eth += struct.pack("!HH", ETH_P_8021Q, vlan & 0xFFF)
    return eth + struct.pack("!H", ETHERTYPE) + payload(run_id, seq, size)


def parse_frame(data, aux_vlan=None):
    """Split a received frame; None if it is too short to be Ethernet.
    The kernel takes an 802.1Q tag off into metadata (aux_vlan); a tag
    still in the data (a second one) is taken off here."""
    if len(data) < 14:
        return None
    f = {"dst": mac_text(data[0:6]), "src": mac_text(data[6:12]), "vlan": aux_vlan}
    etype, rest = struct.unpack("!H", data[12:14])[0], data[14:]
    while etype == ETH_P_8021Q and len(rest) >= 4:
        tci, etype = struct.unpack("!HH", rest[:4])
        f["vlan"] = tci & 0xFFF if f["vlan"] is None else f["vlan"]
        rest = rest[4:]
    f["ethertype"], f["payload"] = etype, rest
    return f


def check_payload(data):
    """(run id, seq, identical) for one of our payloads, else None.
    Bytes past the stated length (Ethernet padding) are ignored."""
    if len(data) < HEADER.size:
        return None
    magic, run_id, seq, size = HEADER.unpack(data[:HEADER.size])
    if magic != MAGIC:
        return None
    if not MIN_SIZE <= size <= MAX_SIZE or len(data) < size:
        return run_id, seq, False
    return run_id, seq, data[:size] == payload(run_id, seq, size)


def netns_name():
    """The name of the network namespace this process is in, if it is one
    made with 'ip netns add' (a file under /run/netns), else None."""
    try:
        me = os.stat("/proc/self/ns/net")
        for f in os.scandir("/run/netns"):
            st = os.stat(f.path)
            if (st.st_dev, st.st_ino) == (me.st_dev, me.st_ino):
                return f.name
    except OSError:
        pass
    return None


def need_netns():
    """Refuse to touch an interface outside a named network namespace:
    frames go only onto the tap of a namespace tools/netns made."""
    name = netns_name()
    if name is None:
        fail("netpeer: not inside a named network namespace: run it as "
                         "'ip netns exec NAME /usr/bin/python3 tools/netpeer.py ...' "
                         "(tools/netns up NAME makes one)")
    return name


def sysfs(ifname, name):
    return (Path("/sys/class/net") / ifname / name).read_text().strip()


def link_state(ifname):
    """(up, carrier) of ifname; carrier is False while the tap is closed."""
    try:
        up = bool(int(sysfs(ifname, "flags"), 16) & IFF_UP)
    except OSError:
        return False, False
    try:
        carrier = sysfs(ifname, "carrier") == "1"
    except OSError:                 # EINVAL while the interface is down
        carrier = False
    return up, carrier


def tap_stats(ifname):
    keys = ("rx_packets", "rx_dropped", "tx_packets", "tx_dropped")
    out = {}
    for k in keys:
        try:
            out[k] = int(sysfs(ifname, f"statistics/{k}"))
        except OSError:
            out[k] = None
    return out


def wait_link(ifname, timeout):
    """Wait (at most timeout seconds) until ifname is up with carrier:
    for a tap, until QEMU has opened it."""
    need_netns()
    start = time.monotonic()
    while True:
        up, carrier = link_state(ifname)
        waited = time.monotonic() - start
        if (up and carrier) or waited >= timeout:
            return {"ifname": ifname, "up": up, "carrier": carrier,
                    "seconds": round(waited, 3)}
        time.sleep(0.1)


class Peer:
    """An AF_PACKET socket on one interface: sends our frames, receives
    every frame the interface receives (not the ones it sends)."""

    def __init__(self, ifname="tap0"):
        self.netns = need_netns()
        self.ifname = ifname
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        self.sock.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        try:
            self.sock.bind((ifname, ETH_P_ALL))
        except OSError as e:
            self.sock.close()
            fail(f"netpeer: {ifname} in namespace {self.netns}: {e.strerror}")
        self.mac = mac_text(self.sock.getsockname()[4][:6])
        self.sock.setblocking(False)

    def close(self):
        self.sock.close()

    def send(self, frame):
        """Send one frame; None, or the errno name if the kernel refused it."""
        try:
            self.sock.send(frame)
            return None
        except OSError as e:
            return errno.errorcode.get(e.errno, str(e.errno))

    def recv(self, timeout):
        """One received frame (parsed), or None after timeout seconds."""
        end = time.monotonic() + max(0.0, timeout)
        while True:
            try:
                data, anc, _, addr = self.sock.recvmsg(65536, socket.CMSG_SPACE(AUXDATA.size))
            except BlockingIOError:
                left = end - time.monotonic()
                if left <= 0:
                    return None
                select.select([self.sock], [], [], left)
                continue
            if addr[2] == PACKET_OUTGOING:
                continue
            vlan = None
            for level, kind, cdata in anc:
                if level == SOL_PACKET and kind == PACKET_AUXDATA and len(cdata) >= AUXDATA.size:
                    status, _, _, _, _, tci, _ = AUXDATA.unpack(cdata[:AUXDATA.size])
                    if status & TP_STATUS_VLAN_VALID:
                        vlan = tci & 0xFFF
            f = parse_frame(data, vlan)
            if f is not None:
                f["len"] = len(data)
                return f


class Report:
    """What came back: our frames by source MAC, and everything else."""

    def __init__(self, run_id=None):
        self.run_id = run_id            # None: accept any run's frames
        self.sources = {}
        self.seen = set()
        self.received = self.duplicates = self.foreign = 0
        self.other = {}

    def add(self, f):
        got = check_payload(f["payload"]) if f["ethertype"] == ETHERTYPE else None
        if got is None:
            key = f"0x{f['ethertype']:04x}"
            self.other[key] = self.other.get(key, 0) + 1
            return
        run_id, seq, identical = got
        if self.run_id is not None and run_id != self.run_id:
            self.foreign += 1
            return
        self.received += 1
        s = self.sources.setdefault(f["src"], {"count": 0, "identical": 0, "seqs": [],
                                               "corrupt_seqs": [], "vlans": [], "to": []})
        s["count"] += 1
        s["identical"] += identical
        s["seqs"].append(seq)
        if not identical:
            s["corrupt_seqs"].append(seq)
        for k, v in (("vlans", f["vlan"]), ("to", f["dst"])):
            if v not in s[k]:
                s[k].append(v)
        if (f["src"], run_id, seq) in self.seen:
            self.duplicates += 1
        self.seen.add((f["src"], run_id, seq))

    def done(self, seqs):
        """Has every one of seqs come back from some source?"""
        back = {q for (_, _, q) in self.seen}
        return all(q in back for q in seqs)

    def result(self, sent_seqs=None):
        for s in self.sources.values():
            s["seqs"].sort()
        out = {"received": self.received, "sources": self.sources,
               "duplicates": self.duplicates, "foreign": self.foreign,
               "other": {"count": sum(self.other.values()), "ethertypes": self.other}}
        if sent_seqs is not None:
            back = {q for (_, _, q) in self.seen}
            out["missing"] = [q for q in sent_seqs if q not in back]
            out["all_back_identical"] = (not out["missing"] and
                                         all(s["identical"] == s["count"]
                                             for s in self.sources.values()))
        return out


def bounded(count, seconds, size):
    if not 0 <= count <= MAX_COUNT:
        fail(f"netpeer: --count {count}: must be 0..{MAX_COUNT}")
    if not 0 <= seconds <= MAX_SECONDS:
        fail(f"netpeer: --seconds {seconds}: must be 0..{MAX_SECONDS:g}")
    if not MIN_SIZE <= size <= MAX_SIZE:
        fail(f"netpeer: --size {size}: must be {MIN_SIZE}..{MAX_SIZE}")


def exchange(ifname, dst, count, seconds, size=64, vlan=None, interval=0.0,
             linger=0.2, collect=True):
    """Send count frames to dst, then (if collect) gather what comes back
    until every frame has returned (plus linger seconds for duplicates) or
    seconds have passed since the first was sent. Returns the report."""
    bounded(count, seconds, size)
    try:
        mac_bytes(dst)
    except ValueError:
        fail(f"netpeer: --dst {dst}: not a MAC address (like 02:00:00:00:01:00)")
    if vlan is not None and not 0 <= vlan <= 4095:
        fail(f"netpeer: --vlan {vlan}: must be 0..4095")
    peer = Peer(ifname)
    run_id = random.getrandbits(32)
    rep = Report(run_id)
    before = tap_stats(ifname)
    errors, sent = {}, []
    start = time.monotonic()
    deadline = start + seconds
    try:
        for seq in range(count):
            if time.monotonic() >= deadline:
                break
            err = peer.send(make_frame(dst, peer.mac, run_id, seq, size, vlan))
            if err:
                errors[err] = errors.get(err, 0) + 1
            else:
                sent.append(seq)
            # Take what has come back meanwhile, pacing the sends.
            pace_end = time.monotonic() + interval
            while collect:
                f = peer.recv(max(0.0, pace_end - time.monotonic()))
                if f is None:
                    break
                rep.add(f)
            if not collect and interval:
                time.sleep(interval)
        all_back = None
        while collect and time.monotonic() < deadline:
            if all_back is None and rep.done(sent):
                all_back = time.monotonic()
            end = deadline if all_back is None else min(deadline, all_back + linger)
            f = peer.recv(end - time.monotonic())
            if f is None:
                if all_back is not None or time.monotonic() >= deadline:
                    break
                continue
            rep.add(f)
    finally:
        peer.close()
    after = tap_stats(ifname)
    out = {"netns": peer.netns, "ifname": ifname, "src": peer.mac, "dst": dst, "vlan": vlan, "run_id": run_id,
           "size": size, "sent": len(sent), "send_errors": errors,
           "seconds": round(time.monotonic() - start, 3),
           "tap": {k: (after[k] - before[k]) if None not in (after[k], before[k]) else None
                   for k in after}}
    if collect:
        out.update(rep.result(sent))
    return out


def collect(ifname, seconds, max_frames=MAX_COUNT, run_id=None):
    """Gather frames for seconds (or until max_frames of ours came)."""
    bounded(max_frames, seconds, MIN_SIZE)
    peer = Peer(ifname)
    rep = Report(run_id)
    start = time.monotonic()
    try:
        while rep.received < max_frames:
            f = peer.recv(start + seconds - time.monotonic())
            if f is None:
                break
            rep.add(f)
    finally:
        peer.close()
    out = {"netns": peer.netns, "ifname": ifname, "run_id": run_id, "seconds": round(time.monotonic() - start, 3)}
    out.update(rep.result())
    return out


TUNSETIFF = 0x400454CA
IFF_TAP = 0x0002
IFF_NO_PI = 0x1000


def echo_tap(ifname, seconds, max_frames=MAX_COUNT, corrupt=0):
    """Be the other end of tap ifname: echo each frame written to it back
    with its MAC addresses swapped (and, if corrupt=N, the last byte of
    every Nth one flipped), for at most seconds or max_frames frames."""
    bounded(max_frames, seconds, MIN_SIZE)
    need_netns()
    import fcntl
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    echoed = flipped = 0
    start = time.monotonic()
    try:
        fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH22x", ifname.encode(), IFF_TAP | IFF_NO_PI))
        while echoed < max_frames:
            left = start + seconds - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                break
            try:
                data = bytearray(os.read(fd, 65536))
            except BlockingIOError:
                continue
            if len(data) < 14:
                continue
            data[0:6], data[6:12] = data[6:12], data[0:6]
            echoed += 1
            if corrupt and echoed % corrupt == 0:
                data[-1] ^= 0xFF
                flipped += 1
            os.write(fd, bytes(data))
    finally:
        os.close(fd)
    return {"ifname": ifname, "echoed": echoed, "corrupted": flipped,
            "seconds": round(time.monotonic() - start, 3)}


def start(netns, command, **opts):
    """Like run(), but in the background: returns the Popen; finish() it."""
    argv = ["ip", "netns", "exec", netns, PYTHON, str(Path(__file__).resolve()), command]
    argv += cli_options(opts)
    return subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def finish(proc, timeout):
    """The JSON report of a start()ed netpeer; killed (by its pid) if it
    outlives timeout."""
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise RuntimeError(f"netpeer still running after {timeout}s: killed")
    if proc.returncode not in (0, 1) or not out.strip():
        raise RuntimeError(f"{' '.join(proc.args)}: exit {proc.returncode}: {err.strip()}")
    rep = json.loads(out)
    rep["exit"] = proc.returncode
    return rep


def cli_options(opts):
    """CLI words for keyword options: '_' becomes '-', True a bare flag,
    None or False left out."""
    argv = []
    for k, v in opts.items():
        if v is None or v is False:
            continue
        argv.append("--" + k.replace("_", "-"))
        if v is not True:
            argv.append(str(v))
    return argv


def run(netns, command, timeout=None, **opts):
    """Run `netpeer.py command --opt value...` inside netns (from the host's
    root namespace, as the tests do) and return its JSON report. Options
    are the CLI's with '_' for '-'; True is a bare flag, None is left out."""
    argv = ["ip", "netns", "exec", netns, PYTHON, str(Path(__file__).resolve()), command]
    argv += cli_options(opts)
    limit = timeout or (float(opts.get("seconds") or opts.get("timeout") or 0) + 30)
    p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                       timeout=limit)
    if p.returncode not in (0, 1) or not p.stdout.strip():
        raise RuntimeError(f"{' '.join(argv)}: exit {p.returncode}: {p.stderr.strip()}")
    rep = json.loads(p.stdout)
    rep["exit"] = p.returncode
    return rep


def main(argv=None):
    ap = argparse.ArgumentParser(prog="netpeer.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("--ifname", default="tap0", help="interface (default tap0)")
    sub = ap.add_subparsers(dest="cmd", required=True)

    w = sub.add_parser("wait-link", help="wait until the interface is up with carrier")
    w.add_argument("--timeout", type=float, default=30.0)

    for name, helptext in (("exchange", "send frames and collect what comes back"),
                           ("send", "send frames only")):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("--dst", required=True, help="destination MAC")
        p.add_argument("--count", type=int, default=10, help=f"frames (max {MAX_COUNT})")
        p.add_argument("--vlan", type=int, help="802.1Q VLAN id to tag the frames with")
        p.add_argument("--size", type=int, default=64,
                       help=f"payload bytes, {MIN_SIZE}..{MAX_SIZE} (default 64)")
        p.add_argument("--interval", type=float, default=0.0, help="seconds between frames")
        p.add_argument("--seconds", type=float, default=10.0,
                       help=f"time limit from the first frame (max {MAX_SECONDS:g})")
        if name == "exchange":
            p.add_argument("--linger", type=float, default=0.2,
                           help="seconds to keep listening once every frame is back")
            p.add_argument("--require-all", action="store_true",
                           help="exit 1 unless every frame came back byte-identical")

    c = sub.add_parser("collect", help="report the frames received for a while")
    c.add_argument("--seconds", type=float, default=5.0, help=f"max {MAX_SECONDS:g}")
    c.add_argument("--max", type=int, default=MAX_COUNT, help="stop after this many of ours")
    c.add_argument("--run-id", type=int, help="count only this run's frames")

    e = sub.add_parser("echo-tap", help="stand in for QEMU and a guest echo program")
    e.add_argument("--seconds", type=float, default=10.0, help=f"max {MAX_SECONDS:g}")
    e.add_argument("--max", type=int, default=MAX_COUNT, help="stop after this many frames")
    e.add_argument("--corrupt", type=int, default=0,
                   help="flip the last byte of every Nth frame echoed")

    a = ap.parse_args(argv)
    rc = 0
    if a.cmd == "wait-link":
        if not 0 <= a.timeout <= MAX_SECONDS:
            fail(f"netpeer: --timeout must be 0..{MAX_SECONDS:g}")
        out = wait_link(a.ifname, a.timeout)
        rc = 0 if out["up"] and out["carrier"] else 1
    elif a.cmd in ("exchange", "send"):
        out = exchange(a.ifname, a.dst, a.count, a.seconds, a.size, a.vlan, a.interval,
                       getattr(a, "linger", 0.0), collect=a.cmd == "exchange")
        if getattr(a, "require_all", False) and not out["all_back_identical"]:
            rc = 1
    elif a.cmd == "echo-tap":
        out = echo_tap(a.ifname, a.seconds, a.max, a.corrupt)
    else:
        out = collect(a.ifname, a.seconds, a.max, a.run_id)
    json.dump(out, sys.stdout, sort_keys=True)
    sys.stdout.write("\n")
    return rc


if __name__ == "__main__":
    sys.exit(main())
