"""Redis 7.0.15 (usr/apps/redis) as a native application on its own VNIC,
driven from the host namespace by Debian's own redis-cli and
redis-benchmark (package redis-tools), unchanged.

One boot and one redis-server for the module (spawned on core 1 at
10.11.0.2); each test talks to it over TCP through QEMU's igb on tap0 in
the test namespace. Every client run is bounded by a timeout and, for
redis-benchmark, by a request count. No timing is checked here (figures
belong in `make bench`).
"""
import re
import subprocess

import pytest

IP = "10.11.0.2"
PORT = 6379
PYTHON = "/usr/bin/python3"
BENCH_N = 100000             # the size: -n 100000 -c 50
BENCH_TIMEOUT_S = 900
BENCH_TESTS = ("get", "set", "incr", "lpush", "lrange_100")


def in_netns(netns, argv, timeout, input=None):
    return subprocess.run(["ip", "netns", "exec", netns, *argv], input=input,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def redis(net_console):
    """redis-server running in its domain: (console, namespace)."""
    sh = net_console
    sh.mark("spawn redis")
    out = sh.command(f"spawn redis core 1 ip={IP}/24 --port {PORT}")
    m = re.search(r"spawned redis as domain (0x\w+) on core 1", out)
    assert m, f"spawn redis: {out}"
    sh.wait(r"Ready to accept connections", 120, "redis-server ready")
    try:
        yield sh, net_console.netns
    finally:
        sh.command(f"kill {m.group(1)}")


def cli(netns, *args, timeout=30):
    """One redis-cli command from the host namespace; its reply text."""
    p = in_netns(netns, ["redis-cli", "-h", IP, "-p", str(PORT), *args], timeout)
    assert p.returncode == 0, f"redis-cli {' '.join(args)}: exit {p.returncode}: {p.stderr}"
    return p.stdout.rstrip("\n")


def commandstats(netns):
    """INFO commandstats as {command: {calls, failed_calls, rejected_calls}}."""
    stats = {}
    for m in re.finditer(r"^cmdstat_(\w+):calls=(\d+),.*rejected_calls=(\d+),failed_calls=(\d+)",
                         cli(netns, "INFO", "commandstats"), re.M):
        stats[m.group(1)] = {"calls": int(m.group(2)), "rejected": int(m.group(3)),
                             "failed": int(m.group(4))}
    return stats


def test_redis_round_trips(redis):
    sh, ns = redis
    sh.mark("round trips")
    assert cli(ns, "PING") == "PONG"
    assert cli(ns, "FLUSHALL") == "OK"
    assert cli(ns, "SET", "greeting", "hello arrakis") == "OK"
    assert cli(ns, "GET", "greeting") == "hello arrakis"
    assert cli(ns, "GET", "missing") == ""
    assert cli(ns, "SET", "n", "41") == "OK"
    assert cli(ns, "INCR", "n") == "42"
    assert cli(ns, "INCRBY", "n", "-50") == "-8"
    assert "ERR value is not an integer" in cli(ns, "INCR", "greeting")
    assert cli(ns, "DEL", "n", "missing") == "1"
    assert cli(ns, "EXISTS", "n") == "0"
    assert cli(ns, "EXPIRE", "greeting", "1000") == "1"
    assert 990 <= int(cli(ns, "TTL", "greeting")) <= 1000
    assert cli(ns, "PERSIST", "greeting") == "1"
    assert cli(ns, "TTL", "greeting") == "-1"
    assert cli(ns, "LPUSH", "l", "c", "b", "a") == "3"
    assert cli(ns, "RPUSH", "l", "d") == "4"
    assert cli(ns, "LRANGE", "l", "0", "-1").split("\n") == ["a", "b", "c", "d"]
    assert cli(ns, "LRANGE", "l", "1", "2").split("\n") == ["b", "c"]
    assert cli(ns, "HSET", "h", "f1", "v1", "f2", "v2") == "2"
    fields = cli(ns, "HGETALL", "h").split("\n")
    assert dict(zip(fields[::2], fields[1::2])) == {"f1": "v1", "f2": "v2"}
    assert cli(ns, "SADD", "s", "x", "y", "x", "z") == "3"
    assert sorted(cli(ns, "SMEMBERS", "s").split("\n")) == ["x", "y", "z"]
    assert cli(ns, "SISMEMBER", "s", "y") == "1"
    assert cli(ns, "ZADD", "z", "3", "three", "1", "one", "2", "two") == "3"
    assert cli(ns, "ZRANGE", "z", "0", "-1").split("\n") == ["one", "two", "three"]
    assert cli(ns, "ZRANGE", "z", "0", "-1", "WITHSCORES").split("\n") == \
        ["one", "1", "two", "2", "three", "3"]
    assert cli(ns, "TYPE", "z") == "zset"
    assert cli(ns, "DBSIZE") == "5"
    # A short expiry really expires (Redis's own clock in the domain).
    assert cli(ns, "SET", "brief", "x", "PX", "200") == "OK"
    p = in_netns(ns, ["sh", "-c", f"sleep 1; redis-cli -h {IP} EXISTS brief"], 30)
    assert p.stdout.strip() == "0", p.stdout + p.stderr
    # The wrapper's defaults are in force (usr/apps/redis/main.c).
    config = cli(ns, "CONFIG", "GET", "*").split("\n")
    config = dict(zip(config[::2], config[1::2]))
    assert (config["save"], config["daemonize"], config["protected-mode"], config["io-threads"],
            config["bind"], config["maxclients"]) == ("", "no", "no", "1", "0.0.0.0", "128"), config
    ram = int(re.search(r"^total_system_memory:(\d+)", cli(ns, "INFO", "memory"), re.M).group(1))
    assert int(config["maxmemory"]) == (ram * 3 // 8) >> 20 << 20, (config["maxmemory"], ram)
    # A Lua script runs in the server (deps/lua).
    assert cli(ns, "EVAL", "return redis.call('INCRBY', KEYS[1], ARGV[1])", "1", "ev", "5") == "5"


@pytest.mark.parametrize("pipeline", [1, 16])
def test_redis_benchmark(redis, pipeline):
    sh, ns = redis
    sh.mark(f"redis-benchmark -P {pipeline}")
    before = commandstats(ns)
    p = in_netns(ns, ["redis-benchmark", "-h", IP, "-p", str(PORT), "-n", str(BENCH_N),
                      "-c", "50", "-P", str(pipeline), "--csv",
                      "-t", ",".join(BENCH_TESTS)], BENCH_TIMEOUT_S)
    assert p.returncode == 0, f"redis-benchmark exit {p.returncode}: {p.stdout[-2000:]}{p.stderr}"
    # (redis-benchmark stops at the first error reply, saying "Error from server")
    assert "error" not in (p.stdout + p.stderr).lower(), p.stdout[-2000:] + p.stderr
    rows = {m.group(1) for m in re.finditer(r'^"([^"]+)","[0-9.]+"', p.stdout, re.M)}
    for name in ("GET", "SET", "INCR", "LPUSH", "LRANGE_100 (first 100 elements)"):
        assert name in rows, f"no {name} row in {p.stdout!r}"
    # The server's own count: every request arrived and none failed.
    after = commandstats(ns)
    for cmd, least in (("get", BENCH_N), ("set", BENCH_N), ("incr", BENCH_N),
                       ("lpush", BENCH_N), ("lrange", BENCH_N)):
        was = before.get(cmd, {"calls": 0, "failed": 0, "rejected": 0})
        calls = after[cmd]["calls"] - was["calls"]
        assert calls >= least, f"{cmd}: {calls} calls seen by the server, {least} sent"
        assert (after[cmd]["failed"], after[cmd]["rejected"]) == (was["failed"], was["rejected"]), \
            f"{cmd}: errors during the benchmark: before {was}, after {after[cmd]}"
    assert cli(ns, "PING") == "PONG"


# A hostile client, from the namespace: each case on its own connection, and
# after each, a second connection must still be served (PING, GET). Prints
# one line per case: NAME REPLY-OR-CLOSED SERVED.
GARBAGE = r"""
import random, socket, sys
ip, port = sys.argv[1], int(sys.argv[2])
def conn():
    s = socket.create_connection((ip, port), timeout=20)
    s.settimeout(20)
    return s
def reply(s):
    data = b""
    try:
        while not data.endswith(b"\r\n"):
            b = s.recv(4096)
            if not b:
                return "closed" if not data else data.decode("latin-1").strip()
            data += b
    except socket.timeout:
        return "timeout"
    except ConnectionResetError:
        return "closed"
    return data.decode("latin-1").strip()
def served():
    s = conn()
    s.sendall(b"*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$8\r\ngreeting\r\n")
    data = b""
    while data.count(b"\r\n") < 3:
        b = s.recv(4096)
        if not b:
            break
        data += b
    s.close()
    return data == b"+PONG\r\n$13\r\nhello arrakis\r\n"
rng = random.Random(14)
cases = [
    ("random", bytes(rng.randrange(256) for _ in range(8192)) + b"\r\n"),
    ("random_multibulk", b"*" + bytes(rng.randrange(256) for _ in range(64)) + b"\r\n"),
    ("huge_multibulk", b"*99999999999\r\n"),
    ("huge_bulk", b"*1\r\n$999999999999\r\n"),
    ("negative_bulk", b"*1\r\n$-7\r\n"),
    ("bulk_over_limit", b"*2\r\n$3\r\nSET\r\n$1048577\r\n"),
    ("inline_too_big", b"A" * (70 * 1024)),
]
for name, data in cases:
    s = conn()
    try:
        s.sendall(data)
    except (BrokenPipeError, ConnectionResetError):
        pass
    r = reply(s)
    s.close()
    print(name, repr(r[:60]), served(), flush=True)
# An unterminated bulk string: the server waits for the rest, and serves
# others meanwhile; then the sender goes away mid-argument.
s = conn()
s.sendall(b"*2\r\n$3\r\nGET\r\n$100\r\nonly part of it")
ok = served()
s.close()
print("unterminated_bulk", "'pending'", ok and served(), flush=True)
"""


def test_redis_garbage_clients(redis):
    sh, ns = redis
    sh.mark("garbage clients")
    assert cli(ns, "SET", "greeting", "hello arrakis") == "OK"
    p = in_netns(ns, [PYTHON, "-c", GARBAGE, IP, str(PORT)], 120)
    assert p.returncode == 0, p.stdout + p.stderr
    results = {}
    for line in p.stdout.splitlines():
        name, _, rep = line.partition(" ")
        rep, _, served = rep.rpartition(" ")
        results[name] = (rep, served)
    assert len(results) == 8, p.stdout + p.stderr
    for name, (rep, served) in results.items():
        assert served == "True", f"{name}: another client was not served: {p.stdout}"
        if name != "unterminated_bulk":
            assert rep.startswith("'-ERR") or rep == "'closed'", f"{name}: {rep}"
    assert "invalid multibulk length" in results["huge_multibulk"][0]
    assert "invalid bulk length" in results["huge_bulk"][0]
    assert "invalid bulk length" in results["bulk_over_limit"][0]
    assert "too big inline request" in results["inline_too_big"][0]
    assert cli(ns, "GET", "greeting") == "hello arrakis"


# More connections than Redis's maxclients (128) and than the domain has
# sockets at once, all held open: the ones past maxclients get Redis's
# error, the ones past the sockets are refused or time out (a run gave
# 128 served, 64 told "max number of clients reached", 8 not connected); once they are closed a new
# client is served. Prints: served refused_by_redis not_connected.
FLOOD = r"""
import socket, sys
ip, port = sys.argv[1], int(sys.argv[2])
held, not_connected = [], 0
for i in range(200):
    try:
        s = socket.create_connection((ip, port), timeout=3)
        held.append(s)
    except OSError:
        not_connected += 1
served = refused = 0
for s in held:
    try:
        s.settimeout(10)
        s.sendall(b"PING\r\n")
        r = s.recv(100)
        if r == b"+PONG\r\n":
            served += 1
        elif r.startswith(b"-ERR max number of clients reached") or not r:
            refused += 1
    except OSError:
        refused += 1
for s in held:
    s.close()
print(served, refused, not_connected)
"""


def test_redis_connection_flood(redis):
    sh, ns = redis
    sh.mark("connection flood")
    assert cli(ns, "SET", "greeting", "hello arrakis") == "OK"
    p = in_netns(ns, [PYTHON, "-c", FLOOD, IP, str(PORT)], 300)
    assert p.returncode == 0, p.stdout + p.stderr
    served, refused, not_connected = map(int, p.stdout.split())
    assert served + refused + not_connected == 200, p.stdout
    # maxclients 128: the server served at most that many at once, and said
    # no to the rest it accepted.
    assert 100 <= served <= 128 and refused + not_connected >= 72, p.stdout
    p = in_netns(ns, ["sh", "-c", f"sleep 2; redis-cli -h {IP} PING"], 60)
    assert p.stdout.strip() == "PONG", p.stdout + p.stderr
    assert cli(ns, "GET", "greeting") == "hello arrakis"


# Values of 256 KiB, one connection, until the server says OOM (the domain
# has 16 MiB; usr/apps/redis/main.c sets maxmemory 6mb). Prints how many
# were stored and the first error.
FILL = r"""
import socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=30)
value = b"v" * (256 * 1024)
stored, err = 0, ""
for i in range(64):
    s.sendall(b"*3\r\n$3\r\nSET\r\n$%d\r\nfill:%d\r\n$%d\r\n%s\r\n"
              % (len(b"fill:%d" % i), i, len(value), value))
    line = b""
    while not line.endswith(b"\r\n"):
        b = s.recv(1)
        if not b:
            print(stored, "closed")
            sys.exit(0)
        line += b
    if line != b"+OK\r\n":
        err = line.decode().strip()
        break
    stored += 1
print(stored, err)
"""


def test_redis_maxmemory_answers_oom(redis):
    sh, ns = redis
    sh.mark("maxmemory")
    p = in_netns(ns, [PYTHON, "-c", FILL, IP, str(PORT)], 120)
    assert p.returncode == 0, p.stdout + p.stderr
    stored, _, err = p.stdout.strip().partition(" ")
    assert 4 <= int(stored) < 64, p.stdout
    assert err.startswith("-OOM command not allowed when used memory > 'maxmemory'"), p.stdout
    # Reads still work, and deleting makes room again.
    assert cli(ns, "STRLEN", "fill:0") == str(256 * 1024)
    assert cli(ns, "PING") == "PONG"
    keys = [f"fill:{i}" for i in range(int(stored))]
    assert cli(ns, "DEL", *keys) == stored
    assert cli(ns, "SET", "after-oom", "1") == "OK"


def test_redis_fork_refused_with_reason(redis):
    sh, ns = redis
    sh.mark("fork refused")
    assert cli(ns, "BGSAVE") == "ERR Background saving failed: fork: Function not implemented"
    assert cli(ns, "BGREWRITEAOF").startswith(
        "ERR Can't execute an AOF background rewriting: Function not implemented")
    # The refusal changed nothing else: writes are still accepted (no save
    # points, so no MISCONF) and the server answers.
    assert cli(ns, "SET", "after-fork", "1") == "OK"
    assert cli(ns, "GET", "after-fork") == "1"
    assert "rdb_last_bgsave_status:err" in cli(ns, "INFO", "persistence")


# Twenty connections, each announcing a 1 MB value and sending 1 KB of it,
# all held open. Without a password Redis would allocate each whole value
# up front (ten of them end a 16 MiB domain: usr/apps/redis/README.md);
# with requirepass it refuses an unauthenticated client's big argument.
# Prints each connection's reply, then whether a new client is served.
BIG_ARGS = r"""
import socket, sys
ip, port = sys.argv[1], int(sys.argv[2])
held, replies = [], []
for i in range(20):
    s = socket.create_connection((ip, port), timeout=10)
    s.sendall(b"*3\r\n$3\r\nSET\r\n$2\r\nk%d\r\n$1048000\r\n" % (i % 10) + b"x" * 1000)
    held.append(s)
for s in held:
    try:
        replies.append(s.recv(200).decode("latin-1").strip() or "closed")
    except OSError as e:
        replies.append("error " + str(e))
    s.close()
s = socket.create_connection((ip, port), timeout=10)
s.sendall(b"PING\r\n")
print("\n".join(replies))
print("served", s.recv(100).decode("latin-1").strip())
"""


def test_redis_requirepass_bounds_unauthenticated_arguments(redis):
    sh, ns = redis
    sh.mark("requirepass")
    assert cli(ns, "CONFIG", "SET", "requirepass", "s3cret") == "OK"
    try:
        assert "NOAUTH" in cli(ns, "GET", "greeting")
        p = in_netns(ns, [PYTHON, "-c", BIG_ARGS, IP, str(PORT)], 120)
        assert p.returncode == 0, p.stdout + p.stderr
        lines = p.stdout.strip().split("\n")
        assert len(lines) == 21, p.stdout
        for rep in lines[:20]:
            assert rep.startswith("-ERR Protocol error: unauthenticated bulk length"), p.stdout
        assert lines[20] == "served -NOAUTH Authentication required.", p.stdout
    finally:
        assert cli(ns, "-a", "s3cret", "--no-auth-warning", "CONFIG", "SET", "requirepass", "") == "OK"
    assert cli(ns, "PING") == "PONG"


# Stage stamps (libos/reqstage.h): a second server on core 2 with its AOF
# on a VSA and `stages=N` prints, after every N requests whose stamps are in
# stage order, a table of where their time went (at most 4 tables). Checked
# here: the tables come, a durable SET's has every stage and a GET's only
# the network and command ones, every kept record's stamps were in stage
# order (the table says how many were not), and the stages' means add up
# to the total's. No time is checked.
STAGE_IP = "10.11.0.3"
STAGE_EVERY = 100
STAGE_SPAWN = (f"spawn redis core 2 ip={STAGE_IP}/24 fs=stages stages={STAGE_EVERY} --port {PORT} "
               "--appendonly yes --appendfsync always --dir /data")
NET_STAGES = ("lwIP delivered", "application read", "command done", "reply transmitted")
STORAGE_STAGES = ("AOF write issued", "VSIC request posted", "vsicd took it",
                  "NVMe completion (vsicd)", "client saw response")
TABLE_HEAD = re.compile(r"reqstage: table (\d+): (\d+) requests in stage order \((\d+) closed, "
                        r"(\d+) out of order, (\d+) without a received frame, (\d+) reads into an "
                        r"open record\)")


def stage_tables(text):
    """The reqstage tables in console text: [{"records", "closed", "out_of_order",
    "stages": {name: (n, median, p99, mean) or None}, "summed": mean}]."""
    tables = []
    for line in text.splitlines():
        m = TABLE_HEAD.search(line)
        if m:
            tables.append({"records": int(m.group(2)), "closed": int(m.group(3)),
                           "out_of_order": int(m.group(4)), "stages": {}})
            continue
        if not tables or not line.startswith("reqstage:   ") or "stage (from" in line:
            continue
        name, cols = line[12:40].strip(), line[40:].split()
        if name == "stages summed (per request)":
            tables[-1]["summed"] = float(cols[-1])
        elif cols[0] == "-":
            tables[-1]["stages"][name] = None
        elif cols[1] == "start":
            tables[-1]["stages"][name] = (int(cols[0]),)
        else:
            tables[-1]["stages"][name] = (int(cols[0]), *map(float, cols[1:4]))
    return tables


def stage_bench(ns, ip, *args):
    p = in_netns(ns, ["redis-benchmark", "-h", ip, "-p", str(PORT), "-d", "64", *args], 600)
    assert p.returncode == 0 and "error" not in (p.stdout + p.stderr).lower(), p.stdout[-1000:] + p.stderr
    return p


def test_redis_stage_stamps(redis):
    sh, ns = redis
    sh.mark("stage stamps")
    out = sh.command(STAGE_SPAWN)
    m = re.search(r"spawned redis as domain (0x\w+) on core 2", out)
    assert m, f"spawn: {out}"
    try:
        sh.wait(r"Ready to accept connections", 120, "stage server ready")
        # 2 CONFIG GETs of redis-benchmark's own, 200 SETs, 2 more, 250
        # GETs: tables 1 and 2 durable SETs (and the first CONFIG GETs),
        # table 4 GETs only.
        stage_bench(ns, STAGE_IP, "-c", "1", "-n", "200", "-t", "set")
        stage_bench(ns, STAGE_IP, "-c", "1", "-n", "250", "-t", "get")
        sh.wait(r"reqstage: 4 tables printed: stamps off", 120, "four tables")
        tables = stage_tables(sh.seen)
    finally:
        sh.command(f"kill {m.group(1)}")
    assert len(tables) == 4, sh.seen[-3000:]
    durable = gets = 0
    for t in tables:
        st = t["stages"]
        assert t["records"] == STAGE_EVERY and t["out_of_order"] * 10 <= t["closed"], t
        assert st["frame received (VF driver)"] == (STAGE_EVERY,), t
        for name in NET_STAGES:
            assert st[name] and st[name][0] == STAGE_EVERY, (name, t)
        # Weighted by how many records had each stage, the stages' means
        # make the total's (both printed to 0.01 us).
        total = st["total (frame to reply)"]
        assert abs(t["summed"] - total[3]) <= 0.02 + total[3] / 1000, t
        for v in st.values():
            assert v is None or len(v) == 1 or 0 <= v[1] <= v[2], t    # median <= p99
        if all(st[name] and st[name][0] == STAGE_EVERY for name in STORAGE_STAGES):
            durable += 1                # a table of durable SETs only
        elif all(st[name] is None for name in STORAGE_STAGES):
            gets += 1                   # of GETs only
    assert durable >= 1 and gets >= 1, tables


def test_redis_stage_stamps_under_50_clients(redis):
    """An in-memory server stamping every request (stages=200): 50 clients
    at once mix the records (the tables then mean nothing) but everything
    is answered, and the tables stop after four (the console is a UART:
    one every 200 requests without end stalled a server when nobody read
    the console)."""
    sh, ns = redis
    sh.mark("stage stamps, 50 clients")
    out = sh.command(f"spawn redis core 2 ip={STAGE_IP}/24 stages=200 --port {PORT}")
    m = re.search(r"spawned redis as domain (0x\w+) on core 2", out)
    assert m, f"spawn: {out}"
    try:
        sh.wait(r"Ready to accept connections", 120, "stage server ready")
        for pipeline in ("1", "16"):
            p = stage_bench(ns, STAGE_IP, "-c", "50", "-n", "20000", "-P", pipeline,
                            "-t", "get,set", "--csv")
            assert re.search(r'^"GET","[0-9.]+"', p.stdout, re.M), p.stdout
        p = in_netns(ns, ["redis-cli", "-h", STAGE_IP, "-p", str(PORT), "PING"], 30)
        assert p.stdout.strip() == "PONG", p.stdout + p.stderr
        sh.wait(r"reqstage: 4 tables printed: stamps off", 60, "tables stop after four")
    finally:
        sh.command(f"kill {m.group(1)}")
