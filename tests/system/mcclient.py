"""A small memcached client (text protocol, and the binary protocol's GET,
SET and error replies) and the scenarios tests/system/test_memcached.py runs
with it inside the test namespace:

    ip netns exec NS python3 tests/system/mcclient.py SCENARIO IP PORT

prints one JSON object: what each step answered. The test checks the
answers; this file only talks (every socket has a timeout, every loop a
bound).
"""
import json
import random
import threading
import socket
import struct
import sys
import time

TIMEOUT = 20


class Closed(Exception):
    pass


class Text:
    """One connection speaking memcached's text protocol."""

    def __init__(self, ip, port):
        self.s = socket.create_connection((ip, port), timeout=TIMEOUT)
        self.s.settimeout(TIMEOUT)
        self.buf = b""

    def close(self):
        self.s.close()

    def send(self, data):
        self.s.sendall(data)

    def line(self):
        while b"\r\n" not in self.buf:
            try:
                b = self.s.recv(65536)
            except ConnectionResetError:
                raise Closed()
            if not b:
                raise Closed()
            self.buf += b
        line, _, self.buf = self.buf.partition(b"\r\n")
        return line.decode("latin-1")

    def exact(self, n):
        while len(self.buf) < n:
            b = self.s.recv(65536)
            if not b:
                raise Closed()
            self.buf += b
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def cmd(self, line):
        self.send(line.encode() + b"\r\n")
        return self.line()

    def store(self, verb, key, value, flags=0, exptime=0, cas=None):
        value = value if isinstance(value, bytes) else value.encode()
        extra = f" {cas}" if cas is not None else ""
        self.send(f"{verb} {key} {flags} {exptime} {len(value)}{extra}\r\n".encode() + value + b"\r\n")
        return self.line()

    def get(self, *keys, verb="get"):
        """{key: (flags, value[, cas])} for the keys found."""
        self.send(f"{verb} {' '.join(keys)}\r\n".encode())
        found = {}
        while True:
            line = self.line()
            if line == "END":
                return found
            parts = line.split()
            if parts[0] != "VALUE":
                raise ValueError(f"get: unexpected {line!r}")
            data = self.exact(int(parts[3]) + 2)[:-2]
            found[parts[1]] = [int(parts[2]), data.decode("latin-1")] + \
                ([int(parts[4])] if len(parts) > 4 else [])

    def stats(self, arg=""):
        self.send(f"stats{' ' + arg if arg else ''}\r\n".encode())
        out = {}
        for _ in range(1000):
            line = self.line()
            if line == "END":
                return out
            _, name, value = line.split(" ", 2)
            out[name] = value
        raise ValueError("stats: no END")


# Binary protocol (memcached's protocol_binary.h): a 24-byte header.
BIN_REQ, BIN_RES = 0x80, 0x81
OP_GET, OP_SET, OP_NOOP, OP_VERSION = 0x00, 0x01, 0x0a, 0x0b
HEADER = struct.Struct(">BBHBBHIIQ")  # magic opcode keylen extlen type status/vb bodylen opaque cas


def bin_request(opcode, key=b"", extras=b"", value=b"", opaque=0, bodylen=None):
    body = len(extras) + len(key) + len(value) if bodylen is None else bodylen
    return HEADER.pack(BIN_REQ, opcode, len(key), len(extras), 0, 0, body, opaque, 0) + extras + key + value


def bin_response(conn):
    magic, opcode, keylen, extlen, _, status, bodylen, opaque, cas = HEADER.unpack(conn.exact(24))
    body = conn.exact(bodylen)
    return {"magic": magic, "opcode": opcode, "status": status, "opaque": opaque,
            "extras": body[:extlen].hex(), "key": body[extlen:extlen + keylen].decode("latin-1"),
            "value": body[extlen + keylen:].decode("latin-1")}


def basic(ip, port):
    c = Text(ip, port)
    r = {}
    r["version"] = c.cmd("version")
    r["flush"] = c.cmd("flush_all")
    r["set"] = c.store("set", "greeting", "hello arrakis", flags=42)
    r["get"] = c.get("greeting")
    r["get_missing"] = c.get("missing")
    r["add_existing"] = c.store("add", "greeting", "x")
    r["add_new"] = c.store("add", "fresh", "new value")
    r["replace_missing"] = c.store("replace", "nothere", "x")
    r["replace"] = c.store("replace", "fresh", "replaced")
    r["append"] = c.store("append", "fresh", "-tail")
    r["prepend"] = c.store("prepend", "fresh", "head-")
    r["after_append_prepend"] = c.get("fresh")
    r["append_missing"] = c.store("append", "nothere", "x")
    r["set_n"] = c.store("set", "n", "41")
    r["incr"] = c.cmd("incr n 1")
    r["decr"] = c.cmd("decr n 5")
    r["decr_below_zero"] = c.cmd("decr n 1000")             # stops at 0
    r["incr_max"] = c.cmd("incr n 18446744073709551615")    # 2^64 - 1
    r["incr_wraps"] = c.cmd("incr n 2")                     # wraps at 2^64
    r["incr_missing"] = c.cmd("incr nothere 1")
    r["incr_text"] = c.cmd("incr greeting 1")
    r["gets"] = c.get("greeting", verb="gets")
    cas = r["gets"]["greeting"][2]
    r["cas_ok"] = c.store("cas", "greeting", "cas-one", cas=cas)
    r["cas_stale"] = c.store("cas", "greeting", "cas-two", cas=cas)
    r["multi_get"] = c.get("greeting", "fresh", "missing", "n")
    r["delete"] = c.cmd("delete fresh")
    r["delete_again"] = c.cmd("delete fresh")
    r["touch"] = c.cmd("touch greeting 1")
    r["touch_missing"] = c.cmd("touch nothere 10")
    r["set_short"] = c.store("set", "brief", "soon gone", exptime=1)
    r["before_expiry"] = c.get("greeting", "brief")
    time.sleep(3)               # memcached's clock ticks once a second
    r["after_expiry"] = c.get("greeting", "brief")
    r["set_keep"] = c.store("set", "keep", "v")
    r["flush_all"] = c.cmd("flush_all")
    r["after_flush"] = c.get("keep")
    # Many keys in one multi-get, values of 64 bytes to 100 KB.
    sizes = {f"k{i}": 64 << (i % 11) for i in range(40)}
    stored = [c.store("set", k, bytes([65 + i % 26]) * n) for i, (k, n) in enumerate(sizes.items())]
    got = c.get(*sizes)
    r["many_stored"] = stored.count("STORED")
    r["many_replies"] = sorted(set(stored))
    r["many_right"] = sum(1 for i, (k, n) in enumerate(sizes.items())
                          if got.get(k, [0, ""])[1] == chr(65 + i % 26) * n)
    # noreply: no STORED line, so the next line read is the get's.
    c.send(b"set quiet 0 0 1 noreply\r\nq\r\n")
    r["noreply_then_get"] = c.get("quiet")
    c.close()
    return r


def binary(ip, port):
    c = Text(ip, port)
    r = {}
    c.send(bin_request(OP_SET, b"bin-key", struct.pack(">II", 7, 0), b"binary value", opaque=1))
    r["set"] = bin_response(c)
    c.send(bin_request(OP_GET, b"bin-key", opaque=2))
    r["get"] = bin_response(c)
    c.send(bin_request(OP_GET, b"bin-missing", opaque=3))
    r["get_missing"] = bin_response(c)
    c.send(bin_request(OP_VERSION, opaque=4))
    r["version"] = bin_response(c)
    # No such opcode. (Without a key: for one with a key or body memcached
    # 1.6.18 swallows the whole body length after having read the key, so
    # it waits for bytes that never come: upstream's, not ours.)
    c.send(bin_request(0xfe, opaque=5))
    r["unknown_opcode"] = bin_response(c)
    c.close()
    # What the binary SET stored, seen through the text protocol.
    t = Text(ip, port)
    r["text_view"] = t.get("bin-key")
    t.close()
    return r


def served(ip, port):
    """A fresh connection is answered (set and get of its own key)."""
    try:
        c = Text(ip, port)
        key = f"alive{random.randrange(1 << 30)}"
        ok = c.store("set", key, "yes") == "STORED" and c.get(key) == {key: [0, "yes"]}
        c.close()
        return ok
    except (OSError, Closed, ValueError):
        return False


def reply_or_closed(c, lines=1):
    out = []
    try:
        for _ in range(lines):
            out.append(c.line())
    except Closed:
        out.append("closed")
    except socket.timeout:
        out.append("timeout")
    return " | ".join(out)


def garbage(ip, port):
    """Hostile inputs, each on its own connection, while a long-lived
    connection (opened first) is asked again after each one."""
    rng = random.Random(15)
    keeper = Text(ip, port)
    assert keeper.store("set", "kept", "still here") == "STORED"
    r = {}

    def case(name, data, lines=1):
        c = Text(ip, port)
        try:
            c.send(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
        rep = reply_or_closed(c, lines)
        c.close()
        try:
            kept = keeper.get("kept") == {"kept": [0, "still here"]}
        except (OSError, Closed, ValueError):
            kept = False
        r[name] = {"reply": rep, "kept": kept, "served": served(ip, port)}

    junk = bytes(rng.randrange(256) for _ in range(8192))
    junk = bytes([0x41]) + junk.replace(b"\x80", b"\x7f")  # text side: no binary magic first
    case("random_bytes", junk + b"\r\n")
    case("bad_command", b"frobnicate the widgets\r\n")
    case("bad_format", b"set k notanumber 0 5\r\nhello\r\n")
    case("negative_length", b"set k 0 0 -1\r\n")
    case("key_too_long", b"set " + b"k" * 300 + b" 0 0 1\r\nx\r\n")
    case("incr_bad_delta", b"incr kept nonsense\r\n")
    # A value over the item size limit (1 MB by default): memcached says
    # so and swallows the data, then answers the next command.
    big = 2 * 1024 * 1024
    case("oversized_value", b"set huge 0 0 %d\r\n" % big + b"v" * big + b"\r\nget kept\r\n", lines=4)
    # A value whose data does not end with \r\n where the length says.
    case("bad_data_chunk", b"set k 0 0 3\r\nabcdef\r\n")
    # A line without an end: past 2 KiB memcached closes the connection
    # (unless it is a get: multi-gets have no length limit).
    case("endless_line", b"frob " + b"A" * (70 * 1024))
    # A 70 KB multi-get of 350 missing keys of 200 bytes (the key limit is 250).
    case("long_multiget", b"get " + b" ".join(b"%0200d" % i for i in range(350)) + b"\r\n")
    # Binary protocol: a body length of 4 GiB - 1, and a short header.
    case("binary_huge_body", bin_request(OP_SET, b"k", struct.pack(">II", 0, 0), b"", bodylen=0xffffffff))
    case("binary_random", bytes([0x80]) + bytes(rng.randrange(256) for _ in range(4096)))
    r["kept_at_end"] = keeper.get("kept") == {"kept": [0, "still here"]}
    keeper.close()
    return r


def stats(ip, port):
    c = Text(ip, port)
    before = c.stats()
    for i in range(10):
        c.store("set", f"s{i}", "x" * 64)
    c.get(*(f"s{i}" for i in range(10)))
    c.get("nothing-here")
    after = c.stats()
    settings = c.stats("settings")
    c.close()
    return {"before": before, "after": after, "settings": settings}


def ready(ip, port):
    """Wait (at most 120 s) until the server answers `version`."""
    deadline = time.monotonic() + 120
    while True:
        try:
            c = Text(ip, port)
            version = c.cmd("version")
            c.close()
            return {"version": version}
        except (OSError, Closed):
            if time.monotonic() > deadline:
                return {"version": None}
            time.sleep(1)


def spread(ips, port, conns=3, rounds=20):
    """Clients on every address of a cores=N memcached at once (`ips`: the
    addresses, comma-separated): `conns` connections per address, each
    storing and reading back its own keys `rounds` times, and reading one
    key stored through each other address (one cache behind all of them).
    The workers' counters (patches/0002) before and after, through one
    connection to the first address held all along."""
    ips = ips.split(",")
    watch = Text(ips[0], port)
    before = watch.stats()
    for k, ip in enumerate(ips):      # one key per address, for the cross reads
        c = Text(ip, port)
        c.store("set", f"home{k}", f"stored via {ip}")
        c.close()
    per = {ip: {"sets": 1, "gets": 0, "conns": 1, "wrong": []} for ip in ips}
    lock = threading.Lock()

    def client(ip, j):
        wrong = []
        sets = gets = 0
        try:
            c = Text(ip, port)
            for r in range(rounds):
                key, value = f"{ip}-{j}-{r}", f"v{r}-" + "x" * 58
                if c.store("set", key, value) != "STORED":
                    wrong.append(f"set {key}")
                sets += 1
                got = c.get(key)
                gets += 1
                if got != {key: [0, value]}:
                    wrong.append(f"get {key}: {got}")
            for k, other in enumerate(ips):
                got = c.get(f"home{k}")
                gets += 1
                if got != {f"home{k}": [0, f"stored via {other}"]}:
                    wrong.append(f"get home{k} via {ip}: {got}")
            c.close()
        except (OSError, Closed, ValueError) as e:
            wrong.append(f"{ip} client {j}: {e!r}")
        with lock:
            per[ip]["sets"] += sets
            per[ip]["gets"] += gets
            per[ip]["conns"] += 1
            per[ip]["wrong"] += wrong

    threads = [threading.Thread(target=client, args=(ip, j)) for ip in ips for j in range(conns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIMEOUT * 10)
    after = watch.stats()
    watch.close()
    return {"per_address": per, "before": before, "after": after,
            "unfinished": sum(t.is_alive() for t in threads)}


SCENARIOS = {"ready": ready, "basic": basic, "binary": binary, "garbage": garbage, "stats": stats,
             "spread": spread}

if __name__ == "__main__":
    name, ip, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    print(json.dumps(SCENARIOS[name](ip, port)))
