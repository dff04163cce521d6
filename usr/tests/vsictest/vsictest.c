/*
 * vsictest.c: a client of the VSIC service, for tests/system/test_storage.py.
 *
 *   vsictest write NAME MIB vsicd=ID    create (or acquire) VSA NAME of MIB
 *                                       MiB, write it with the pattern,
 *                                       flush, read it back and compare
 *   vsictest vsicd=ID verify NAME MIB   acquire NAME read-only, compare
 *   vsictest vsicd=ID hostile NAME      requests the service must refuse
 *   vsictest vsicd=ID acquire NAME      acquire NAME (authority check)
 *   vsictest vsicd=ID rate NAME SECONDS 4 KiB reads, 8 in flight, counted
 *   vsictest vsicd=ID forge NAME VSIC   what a hostile client tries with numbers
 *                                       it was never given: another VSIC's id in
 *                                       its hello, a second Frame, a grant sent
 *                                       to its monitor, a VSA slot number it was
 *                                       not given, kicks through deleted
 *                                       and revoked copies of its VSIC, the
 *                                       service's commands through its VSIC,
 *                                       garbage ring indices
 *   vsictest vsicd=ID capvsa NAME       what its VSA capability (vsa=NAME, rw)
 *                                       does not let it do: show the VSIC what
 *                                       is not one, mint write back into a
 *                                       read-only mint, write after deleting
 *                                       the original (the mint shown), use
 *                                       anything after deleting the mint too
 *   vsictest vsicd=ID bell NAME N       N writes, each flushed, one at a time:
 *                                       how often this domain's doorbell rang
 *                                       and woke vsic_wait (completions ring it)
 *   vsictest vsicd=ID fua NAME N        N FUA writes of 4 KiB filling VSA NAME
 *                                       (created: N * 8 blocks), each waited
 *                                       for and never flushed, then read back
 *   vsictest vsicd=ID kickstorm NAME S  kicks the service without pause for S
 *                                       seconds, never sleeping: how many kicks
 *                                       sent an interrupt (the kernel coalesces)
 *   vsictest vsicd=ID revoke NAME MODE N  (vsa=NAME, rw) requests after its
 *                                       capability went, N rounds: MODE delete
 *                                       (the shown copy deleted), parent (a
 *                                       parent of it revoked), end (the domain
 *                                       ends with requests queued behind its
 *                                       rate), nothing (spawned without any:
 *                                       handles and the name after another's end)
 *
 * The pattern: the 8-byte word at byte X of VSA NAME holds X XOR the name
 * read as a little-endian number (tools/vsa-read --check does the same on
 * the host). Every result is one line the test looks for.
 */
#include <arrakis/vsic.h>
#include <libos/debug.h>
#include <libos/doorbell.h>
#include <libos/libos.h>
#include <libos/lmp.h>
#include <libos/ram.h>
#include <libos/syscall.h>
#include <libos/tsc.h>
#include <kpi/cspace.h>
#include <kpi/dispatcher.h>
#include <kpi/monitor.h>
#include <kpi/syscall.h>
#include <string.h>

#define BUF_BYTES   (4u << 20)
#define IO_BYTES    VSIC_MAX_IO_BYTES
#define HOSTILE_FILL 0xdeadbeefdeadbeefull

static struct vsic vsic;
static uint64_t seed;

static uint64_t hex(const char *p)
{
    uint64_t v = 0;
    if (p[0] == '0' && p[1] == 'x')
        p += 2;
    for (; *p; p++)
        v = v * 16 + (uint64_t)(*p <= '9' ? *p - '0' : (*p | 0x20) - 'a' + 10);
    return v;
}

static uint64_t dec(const char *p)
{
    uint64_t v = 0;
    for (; *p >= '0' && *p <= '9'; p++)
        v = v * 10 + (uint64_t)(*p - '0');
    return v;
}

static unsigned done_count;
static errval_t done_err;

static void done(void *cookie, errval_t st)
{
    (void)cookie;
    done_count++;
    if (err_is_fail(st) && err_is_ok(done_err))
        done_err = st;
}

/* Move `bytes` of the VSA at byte `at` to/from the buffer, IO_BYTES a request. */
static errval_t move(unsigned op, unsigned h, uint64_t at, uint64_t bytes)
{
    unsigned n = 0;
    done_count = 0;
    done_err = ERR_OK;
    for (uint64_t off = 0; off < bytes; off += IO_BYTES, n++) {
        uint64_t len = bytes - off < IO_BYTES ? bytes - off : IO_BYTES;
        errval_t err = vsic_submit(&vsic, op, 0, h, (at + off) / 512, (uint32_t)(len / 512), off, done,
                                   NULL);
        if (err_is_fail(err))
            return err;
    }
    uint64_t deadline = rdtsc_now() + libos_tsc_hz() * 60;
    while (done_count < n)
        if (err_is_fail(vsic_wait(&vsic, deadline)))
            return VSIC_ERR_TIMEOUT;
    return done_err;
}

static void fill(uint64_t at, uint64_t bytes)
{
    uint64_t *w = (uint64_t *)vsic.buf;
    for (uint64_t i = 0; i < bytes / 8; i++)
        w[i] = (at + i * 8) ^ seed;
}

static uint64_t differ(uint64_t at, uint64_t bytes)
{
    const uint64_t *w = (const uint64_t *)vsic.buf;
    uint64_t bad = 0;
    for (uint64_t i = 0; i < bytes / 8; i++)
        bad += w[i] != ((at + i * 8) ^ seed);
    return bad;
}

static int write_verify(const char *name, uint64_t mib, bool write)
{
    unsigned h;
    uint64_t blocks = mib << 11;
    errval_t err = write ? vsic_vsa_create(&vsic, name, blocks, &h) : VSA_ERR_EXISTS;
    if (err_no(err) == VSA_ERR_EXISTS)
        err = vsic_vsa_acquire(&vsic, name, write ? VSIC_RIGHT_READ | VSIC_RIGHT_WRITE : VSIC_RIGHT_READ,
                               &h, &blocks);
    if (err_is_fail(err)) {
        debug_printf("vsictest: VSA %s: %s\n", name, err_name(err_no(err)));
        return 1;
    }
    uint64_t total = blocks * 512, bad = 0;
    for (uint64_t at = 0; write && at < total && err_is_ok(err); at += BUF_BYTES) {
        uint64_t n = total - at < BUF_BYTES ? total - at : BUF_BYTES;
        fill(at, n);
        err = move(VSIC_OP_WRITE, h, at, n);
    }
    if (write && err_is_ok(err))
        err = vsic_io(&vsic, VSIC_OP_FLUSH, 0, h, 0, 0, 0);
    for (uint64_t at = 0; at < total && err_is_ok(err); at += BUF_BYTES) {
        uint64_t n = total - at < BUF_BYTES ? total - at : BUF_BYTES;
        memset(vsic.buf, 0, n);
        err = move(VSIC_OP_READ, h, at, n);
        if (err_is_ok(err))
            bad += differ(at, n);
    }
    debug_printf("vsictest: %s %lu MiB of VSA %s, read back: %s, %lu words differ\n",
                 write ? "wrote" : "kept", total >> 20, name, err_name(err_no(err)), bad);
    return err_is_ok(err) && !bad ? 0 : 1;
}

/* What a hostile client tries; each must be refused by name. */
static int hostile(const char *name)
{
    unsigned h, ro;
    uint64_t blocks;
    errval_t err = vsic_vsa_acquire(&vsic, name, VSIC_RIGHT_READ | VSIC_RIGHT_WRITE, &h, &blocks);
    if (err_is_ok(err))
        err = vsic_vsa_acquire(&vsic, name, VSIC_RIGHT_READ, &ro, &blocks);
    if (err_is_fail(err)) {
        debug_printf("vsictest: VSA %s: %s\n", name, err_name(err_no(err)));
        return 1;
    }
    uint64_t *w = (uint64_t *)vsic.buf;
    for (uint64_t i = 0; i < BUF_BYTES / 8; i++)
        w[i] = HOSTILE_FILL;            /* would show on the disk if any write got through */
    static const struct { const char *what; unsigned op; int h; uint64_t block; uint32_t count;
                          uint64_t off; enum err_code want; uint32_t flags; } tries[] = {
        { "write past the VSA's end", VSIC_OP_WRITE, 0, ~0ull, 8, 0, VSA_ERR_BOUNDS, 0 },
        { "write across the VSA's end", VSIC_OP_WRITE, 0, 1, 8, 0, VSA_ERR_BOUNDS, 0 },
        { "read past the VSA's end", VSIC_OP_READ, 0, ~0ull, 8, 0, VSA_ERR_BOUNDS, 0 },
        { "write from unregistered memory", VSIC_OP_WRITE, 0, 0, 8, BUF_BYTES, VSIC_ERR_BUF, 0 },
        { "write from memory past the end of registered memory", VSIC_OP_WRITE, 0, 0, 8,
          BUF_BYTES - 2048, VSIC_ERR_BUF, 0 },
        { "write from a wrapping offset", VSIC_OP_WRITE, 0, 0, 8, ~0ull - 1023, VSIC_ERR_BUF, 0 },
        { "read into a misaligned offset", VSIC_OP_READ, 0, 0, 1, 2, VSIC_ERR_BUF, 0 },
        { "write through a read-only handle", VSIC_OP_WRITE, 1, 0, 8, 0, VSA_ERR_RIGHTS, 0 },
        { "write through a handle never given", VSIC_OP_WRITE, 3, 0, 8, 0, VSA_ERR_BAD_HANDLE, 0 },
        { "write through handle 65535", VSIC_OP_WRITE, 0xffff, 0, 8, 0, VSA_ERR_BAD_HANDLE, 0 },
        { "write of 0 blocks", VSIC_OP_WRITE, 0, 0, 0, 0, VSIC_ERR_TOO_LONG, 0 },
        { "write of 4 GiB", VSIC_OP_WRITE, 0, 0, 0xffffffffu, 0, VSIC_ERR_TOO_LONG, 0 },
        { "request 99", 99, 0, 0, 8, 0, VSIC_ERR_BAD_OP, 0 },
        { "FUA on a read", VSIC_OP_READ, 0, 0, 8, 0, VSIC_ERR_BAD_FLAGS, VSIC_REQ_FUA },
        { "FUA on a flush", VSIC_OP_FLUSH, 0, 0, 0, 0, VSIC_ERR_BAD_FLAGS, VSIC_REQ_FUA },
        { "write with an unknown flag", VSIC_OP_WRITE, 0, 0, 8, 0, VSIC_ERR_BAD_FLAGS, 1u << 31 },
        { "FUA write past the VSA's end", VSIC_OP_WRITE, 0, ~0ull, 8, 0, VSA_ERR_BOUNDS, VSIC_REQ_FUA },
        { "FUA write through a read-only handle", VSIC_OP_WRITE, 1, 0, 8, 0, VSA_ERR_RIGHTS,
          VSIC_REQ_FUA },
    };
    unsigned ok = 0, n = sizeof(tries) / sizeof(tries[0]);
    for (unsigned i = 0; i < n; i++) {
        int hh = tries[i].h == 0 ? (int)h : tries[i].h == 1 ? (int)ro : tries[i].h;
        uint64_t block = tries[i].block == ~0ull ? blocks : tries[i].block == 1 ? blocks - 4 : tries[i].block;
        err = vsic_io(&vsic, tries[i].op, tries[i].flags, (unsigned)hh, block, tries[i].count,
                      tries[i].off);
        bool good = err_no(err) == tries[i].want;
        ok += good;
        debug_printf("vsictest: %s: %s (%s)\n", tries[i].what, err_name(err_no(err)),
                     good ? "refused as it must be" : "WRONG");
    }
    debug_printf("vsictest: hostile: %u of %u refused by name\n", ok, n);
    return ok == n ? 0 : 1;
}

static int rate(const char *name, uint64_t seconds)
{
    unsigned h;
    uint64_t blocks;
    errval_t err = vsic_vsa_acquire(&vsic, name, VSIC_RIGHT_READ, &h, &blocks);
    if (err_no(err) == VSA_ERR_NOT_FOUND) {         /* a VSA of its own: 1 MiB */
        blocks = 2048;
        err = vsic_vsa_create(&vsic, name, blocks, &h);
    }
    if (err_is_fail(err)) {
        debug_printf("vsictest: VSA %s: %s\n", name, err_name(err_no(err)));
        return 1;
    }
    uint64_t end = rdtsc_now() + libos_tsc_hz() * seconds;
    unsigned submitted = 0;
    done_count = 0;
    done_err = ERR_OK;
    while (rdtsc_now() < end) {
        while (submitted - done_count < 8) {
            uint64_t b = (submitted * 8ull) % (blocks - 8);
            if (err_is_fail(vsic_submit(&vsic, VSIC_OP_READ, 0, h, b, 8, (submitted % 8) * 4096, done, NULL)))
                break;
            submitted++;
        }
        vsic_wait(&vsic, end);
    }
    while (done_count < submitted)
        vsic_wait(&vsic, 0);
    debug_printf("vsictest: rate: %u reads of 4 KiB in %lu s (%s)\n", done_count, seconds,
                 err_name(err_no(done_err)));
    return 0;
}

/* Completions ring the client's doorbell: N write+flush pairs, each waited
 * for (a flush takes the host's fdatasync: vsic_wait sleeps). */
static int bell(const char *name, uint64_t n)
{
    unsigned h;
    uint64_t blocks = 2048;
    errval_t err = vsic_vsa_create(&vsic, name, blocks, &h);
    if (err_no(err) == VSA_ERR_EXISTS)
        err = vsic_vsa_acquire(&vsic, name, VSIC_RIGHT_READ | VSIC_RIGHT_WRITE, &h, &blocks);
    uint32_t before = libos_doorbell_count();
    for (uint64_t i = 0; i < n && err_is_ok(err); i++) {
        err = vsic_io(&vsic, VSIC_OP_WRITE, 0, h, (i * 8) % blocks, 8, 0);
        if (err_is_ok(err))
            err = vsic_io(&vsic, VSIC_OP_FLUSH, 0, h, 0, 0, 0);
    }
    uint32_t rang = libos_doorbell_count() - before;
    debug_printf("vsictest: bell: %lu writes and flushes (%s): doorbell rang %u times, %lu sleeps, "
                 "%lu woken by it, %lu kicks (%lu sent)\n", n, err_name(err_no(err)), rang,
                 vsic.sleeps, vsic.woken, vsic.kicks, vsic.kicks_sent);
    return err_is_ok(err) && rang && vsic.woken ? 0 : 1;
}

/* Durable writes without a flush request: N FUA writes, one at a time
 * (vsicd answers each after the Flush it adds on QEMU: its counters). */
static int fua(const char *name, uint64_t n)
{
    unsigned h;
    uint64_t blocks = n * 8, bad = 0;
    errval_t err = vsic_vsa_create(&vsic, name, blocks, &h);
    for (uint64_t i = 0; i < n && err_is_ok(err); i++) {
        fill(i * 4096, 4096);
        err = vsic_io(&vsic, VSIC_OP_WRITE, VSIC_REQ_FUA, h, i * 8, 8, 0);
    }
    for (uint64_t i = 0; i < n && err_is_ok(err); i++) {
        memset(vsic.buf, 0, 4096);
        err = vsic_io(&vsic, VSIC_OP_READ, 0, h, i * 8, 8, 0);
        bad += differ(i * 4096, 4096);
    }
    debug_printf("vsictest: fua: %lu FUA writes of 4 KiB (%s), read back: %lu words differ\n", n,
                 err_name(err_no(err)), bad);
    return err_is_ok(err) && !bad ? 0 : 1;
}

/* A client that never sleeps and kicks constantly: the kernel must send
 * the service at most one interrupt per sleep of the service's. */
static int kickstorm(uint64_t seconds)
{
    uint64_t end = rdtsc_now() + libos_tsc_hz() * seconds;
    errval_t err = ERR_OK;
    while (rdtsc_now() < end && err_is_ok(err))
        for (unsigned i = 0; i < 64 && err_is_ok(err); i++)
            err = vsic_kick(&vsic);
    debug_printf("vsictest: kickstorm: %lu kicks in %lu s, %lu sent an interrupt (%s)\n",
                 vsic.kicks, seconds, vsic.kicks_sent, err_name(err_no(err)));
    return err_is_ok(err) ? 0 : 1;
}

/* Wait up to `ms` for a message (type, w1 under mask); true if it came. */
static bool message(uint64_t type, uint64_t w1, uint64_t mask, uint64_t ms, struct lmp_msg *m)
{
    uint64_t end = rdtsc_now() + libos_tsc_hz() / 1000 * ms;
    while (rdtsc_now() < end) {
        if (err_is_ok(lmp_poll(m)) && m->words[0] == type && (m->words[1] & mask) == w1)
            return true;
        sys_yield(SYS_YIELD_BLOCK);
    }
    return false;
}

static int forge(uint32_t service, uint32_t victim)
{
    capaddr_t frame;
    struct lmp_msg m;
    unsigned ok = 0, n = 0;
    /* 1. a hello naming VSICs that are not ours: no rings may come */
    errval_t err = ram_map_new(USER_MAP_BASE + (5ull << 40), 4096, &frame);
    const uint32_t ids[] = { victim, 0, 999 };
    for (unsigned i = 0; err_is_ok(err) && i < 3; i++, n++) {
        err = sys_invoke(CAP_TASK(TASKCN_SLOT_MONITOREP), ENDPOINT_CMD_SEND_CAP, MONITOR_MSG_SEND_CAP,
                         service, VSIC_HELLO_TAG | (uint64_t)ids[i] << 16, frame).err;
        bool rings = message(MONITOR_MSG_CAP, VSIC_RING_TAG, 0xffff, 3000, &m);
        ok += !rings;
        debug_printf("vsictest: forge: hello naming VSIC %u: %s\n", ids[i],
                     rings ? "rings came: WRONG" : "no rings (refused)");
        if (rings)
            sys_invoke(CAP_TASK(TASKCN_SLOT_ROOTCN), CNODE_CMD_DELETE, CAP_TASK(TASKCN_SLOT_RECV), 0, 0, 0);
    }
    /* 2. a second Frame registered with our VSIC: one a VSIC */
    capaddr_t second;
    if (err_is_ok(err))
        err = ram_map_new(USER_MAP_BASE + (5ull << 40) + (1ull << 20), 65536, &second);
    errval_t reg = sys_invoke(vsic.cap, VSIC_CMD_REGISTER_DMA, second, 0, 0, 0).err;
    ok += err_no(reg) == DMA_ERR_TOO_MANY;
    n++;
    debug_printf("vsictest: forge: a second Frame for our VSIC: %s\n", err_name(err_no(reg)));
    /* 3. a grant of VSA "big" to ourselves, sent to our monitor */
    uint64_t name = 0;
    memcpy(&name, "big", 3);
    lmp_send(CAP_TASK(TASKCN_SLOT_MONITOREP), MONITOR_MSG_VSA_GRANT, libos_domain_id() | 3ull << 32,
             name, 0);
    bool answered = message(MONITOR_MSG_RESULT, MONITOR_MSG_VSA_GRANT, ~0ull, 3000, &m);
    errval_t why = answered ? (errval_t)m.words[2] : ERR_OK;
    ok += err_is_fail(why);
    n++;
    debug_printf("vsictest: forge: a grant sent to our monitor: %s\n", err_name(err_no(why)));
    unsigned h;
    uint64_t blocks;
    errval_t acq = vsic_vsa_acquire(&vsic, "big", VSIC_RIGHT_READ, &h, &blocks);
    ok += err_no(acq) == VSA_ERR_NO_AUTHORITY;
    n++;
    debug_printf("vsictest: forge: acquire big after it: %s\n", err_name(err_no(acq)));
    /* 3b. the slot number where another domain (the victim, on another
     * core) holds its second VSA capability: in our cspace it is empty */
    errval_t slot = sys_invoke(vsic.cap, VSIC_CMD_PRESENT_VSA, CAP_TASK(TASKCN_SLOT_VSA0 + 1), 0, 0, 0).err;
    ok += err_no(slot) == CAP_ERR_SLOT_EMPTY;
    n++;
    debug_printf("vsictest: forge: present the victim's VSA slot number: %s\n", err_name(err_no(slot)));
    acq = vsic_vsa_acquire(&vsic, "vw", VSIC_RIGHT_READ, &h, &blocks);
    ok += err_no(acq) == VSA_ERR_NO_AUTHORITY;
    n++;
    debug_printf("vsictest: forge: acquire the victim's vw after it: %s\n", err_name(err_no(acq)));
    /* 4. CNode.move beyond what it is for (an unmapped capability lent by
     * another core): a local Frame, the mapped rings, an empty slot, a
     * slot number past the cspace, onto an occupied slot */
    const capaddr_t ROOT = CAP_TASK(TASKCN_SLOT_ROOTCN), SPARE = CAP_TASK(TASKCN_SLOT_FIRST_FREE + 12);
    const struct { const char *what; uint64_t src, dest; errval_t want; } mv[] = {
        { "a local Frame", frame, SPARE, CAP_ERR_MOVE_LOCAL },
        { "the mapped rings", VSIC_RING_SLOT, SPARE, CAP_ERR_MOVE_MAPPED },
        { "an empty slot", SPARE, CAP_TASK(TASKCN_SLOT_FIRST_FREE + 13), CAP_ERR_SLOT_EMPTY },
        { "a slot past the cspace", 1ull << 40, SPARE, SYS_ERR_ARG_RANGE },
        { "the rings onto the VSIC's slot", VSIC_RING_SLOT, vsic.cap, CAP_ERR_MOVE_MAPPED },
    };
    for (unsigned i = 0; i < sizeof(mv) / sizeof(mv[0]); i++, n++) {
        errval_t got = sys_invoke(ROOT, CNODE_CMD_MOVE, mv[i].src, mv[i].dest, 0, 0).err;
        ok += err_no(got) == mv[i].want;
        debug_printf("vsictest: forge: CNode.move of %s: %s\n", mv[i].what, err_name(err_no(got)));
    }
    /* 5. kicks through a deleted and a revoked copy of our VSIC, the
     * service's commands through the VSIC (it holds no NVMe capability) */
    const capaddr_t COPY = CAP_TASK(TASKCN_SLOT_FIRST_FREE + 14);
    errval_t e = sys_invoke(ROOT, CNODE_CMD_COPY, vsic.cap, COPY, 0, 0).err;
    if (err_is_ok(e))
        e = sys_invoke(ROOT, CNODE_CMD_DELETE, COPY, 0, 0, 0).err;
    errval_t deleted = err_is_ok(e) ? sys_invoke(COPY, VSIC_CMD_KICK, 0, 0, 0, 0).err : e;
    e = sys_invoke(ROOT, CNODE_CMD_COPY, vsic.cap, COPY, 0, 0).err;
    if (err_is_ok(e))
        e = sys_invoke(ROOT, CNODE_CMD_REVOKE, vsic.cap, 0, 0, 0).err;
    errval_t revoked = err_is_ok(e) ? sys_invoke(COPY, VSIC_CMD_KICK, 0, 0, 0, 0).err : e;
    errval_t own = sys_invoke(vsic.cap, VSIC_CMD_KICK, 0, 0, 0, 0).err;
    errval_t ring = sys_invoke(vsic.cap, NVME_CMD_VSIC_RING, victim, 0, 0, 0).err;
    errval_t bellc = sys_invoke(vsic.cap, NVME_CMD_DOORBELL_CREATE, 1, COPY, 0, 0).err;
    /* a name one character too long: never cut to another VSA's name */
    unsigned lh;
    errval_t longname = vsic_vsa_create(&vsic, "ninechars", 8, &lh);
    const struct { const char *what; errval_t got; enum err_code want; } k[] = {
        { "a kick through a deleted copy of our VSIC", deleted, CAP_ERR_SLOT_EMPTY },
        { "a kick through a revoked copy of our VSIC", revoked, CAP_ERR_SLOT_EMPTY },
        { "NVMe.vsic_ring of the victim's VSIC through ours", ring, SYS_ERR_ILLEGAL_INVOCATION },
        { "NVMe.doorbell_create through our VSIC", bellc, SYS_ERR_ILLEGAL_INVOCATION },
        { "VSA.create of a 9-character name", longname, VSA_ERR_BAD_NAME },
    };
    for (unsigned i = 0; i < sizeof(k) / sizeof(k[0]); i++, n++) {
        ok += err_no(k[i].got) == k[i].want;
        debug_printf("vsictest: forge: %s: %s\n", k[i].what, err_name(err_no(k[i].got)));
    }
    debug_printf("vsictest: forge: a kick through our own VSIC after it: %s\n", err_name(err_no(own)));
    /* 6. garbage ring indices: the service stops serving us, nobody else */
    vsic.ring->req_head = vsic.head + 5000;
    debug_printf("vsictest: forge: %u of %u refused\n", ok, n);
    return ok == n ? 0 : 1;
}

/* Present `slot` to our VSIC; the kernel's answer. */
static errval_t present(uint64_t slot)
{
    return sys_invoke(vsic.cap, VSIC_CMD_PRESENT_VSA, slot, 0, 0, 0).err;
}

static unsigned cap_ok, cap_n;

static void expect(const char *what, errval_t got, enum err_code want)
{
    cap_ok += err_no(got) == want;
    cap_n++;
    debug_printf("vsictest: capvsa: %s: %s%s\n", what, err_name(err_no(got)),
                 err_no(got) == want ? "" : " (WRONG)");
}

/* The VSA capability the spawn gave us (vsa=NAME, read-write) and what it
 * must not let us do. The writes that must be refused carry HOSTILE_FILL,
 * which the test looks for on the disk. */
static int capvsa(const char *name)
{
    const capaddr_t ROOT = CAP_TASK(TASKCN_SLOT_ROOTCN), ORIG = CAP_TASK(TASKCN_SLOT_VSA0);
    const capaddr_t RO = CAP_TASK(TASKCN_SLOT_FIRST_FREE + 20), UP = CAP_TASK(TASKCN_SLOT_FIRST_FREE + 21);
    struct cap_identity id;
    errval_t err = sys_invoke(ROOT, CNODE_CMD_IDENTIFY, ORIG, (uint64_t)(uintptr_t)&id, 0, 0).err;
    char got[9] = { 0 };
    memcpy(got, &id.base, 8);
    debug_printf("vsictest: capvsa: slot %u holds %s %s rights %#x (%s)\n", TASKCN_SLOT_VSA0,
                 cap_type_name(id.type), got, id.rights, err_name(err_no(err)));
    /* 1. showing the VSIC what is not a VSA capability of ours */
    expect("present our VSIC capability", present(vsic.cap), VSA_ERR_CAP_TYPE);
    expect("present our RAM", present(CAP_TASK(TASKCN_SLOT_RAM)), VSA_ERR_CAP_TYPE);
    expect("present a VSA slot the spawn left empty", present(CAP_TASK(TASKCN_SLOT_VSA0 + 3)),
           CAP_ERR_SLOT_EMPTY);
    expect("present a slot past the cspace", present(1ull << 40), SYS_ERR_ARG_RANGE);
    expect("retype our RAM into a VSA capability",
           sys_invoke(ROOT, CNODE_CMD_RETYPE, CAP_TASK(TASKCN_SLOT_RAM), CAP_VSA | 12u << 8, 1,
                      CAP_TASK(TASKCN_SLOT_FIRST_FREE + 22)).err,
           CAP_ERR_RETYPE_INVALID_TYPE);
    /* 2. a read-only mint, and write minted back into it */
    expect("mint it read-only", sys_invoke(ROOT, CNODE_CMD_MINT, ORIG, RO, CAP_RIGHT_READ, 0).err, ERR_OK);
    expect("mint read-write from the read-only mint",
           sys_invoke(ROOT, CNODE_CMD_MINT, RO, UP, CAP_RIGHT_READ | CAP_RIGHT_WRITE, 0).err,
           CAP_ERR_RIGHTS);
    /* 3. with the original: acquire read-write and write (the pattern) */
    unsigned h = 0, hr = 0;
    uint64_t blocks;
    expect("acquire read-write with the original",
           vsic_vsa_acquire(&vsic, name, VSIC_RIGHT_READ | VSIC_RIGHT_WRITE, &h, &blocks), ERR_OK);
    fill(0, 4096);
    expect("write 4 KiB with it", vsic_io(&vsic, VSIC_OP_WRITE, 0, h, 0, 8, 0), ERR_OK);
    expect("flush", vsic_io(&vsic, VSIC_OP_FLUSH, 0, h, 0, 0, 0), ERR_OK);
    /* 4. the read-only mint shown too, then the original deleted: the
     * VSIC keeps what the mint carries (authority is by the slot shown) */
    for (uint64_t i = 0; i < 4096 / 8; i++)
        ((uint64_t *)vsic.buf)[i] = HOSTILE_FILL;
    expect("present the read-only mint", present(RO), ERR_OK);
    expect("delete the original", sys_invoke(ROOT, CNODE_CMD_DELETE, ORIG, 0, 0, 0).err, ERR_OK);
    expect("acquire read-write with only the read-only mint",
           vsic_vsa_acquire(&vsic, name, VSIC_RIGHT_READ | VSIC_RIGHT_WRITE, &hr, &blocks),
           VSA_ERR_NO_AUTHORITY);
    expect("acquire read-only with it", vsic_vsa_acquire(&vsic, name, VSIC_RIGHT_READ, &hr, &blocks),
           ERR_OK);
    expect("write through the first handle", vsic_io(&vsic, VSIC_OP_WRITE, 0, h, 0, 8, 0), VSA_ERR_RIGHTS);
    expect("read through it", vsic_io(&vsic, VSIC_OP_READ, 0, h, 0, 8, 4096), ERR_OK);
    /* 5. the mint deleted too: nothing left */
    expect("delete the read-only mint", sys_invoke(ROOT, CNODE_CMD_DELETE, RO, 0, 0, 0).err, ERR_OK);
    expect("acquire read-only with nothing",
           vsic_vsa_acquire(&vsic, name, VSIC_RIGHT_READ, &hr, &blocks), VSA_ERR_NO_AUTHORITY);
    expect("read through the read-only handle", vsic_io(&vsic, VSIC_OP_READ, 0, hr, 0, 8, 4096),
           VSA_ERR_REVOKED);
    expect("write through the first handle", vsic_io(&vsic, VSIC_OP_WRITE, 0, h, 0, 8, 0), VSA_ERR_REVOKED);
    expect("present the deleted original", present(ORIG), CAP_ERR_SLOT_EMPTY);
    debug_printf("vsictest: capvsa: %u of %u as they must be\n", cap_ok, cap_n);
    return cap_ok == cap_n ? 0 : 1;
}

/*
 * Revocation is over when the delete returns. Each round: a fresh copy of
 * our capability is shown and a handle acquired under it; 256 reads we do
 * not answer fill the response ring, so the service takes nothing more of
 * ours (it takes a request only when its answer fits); 32 writes (of
 * HOSTILE_FILL) and 32 reads are queued behind them. Then the capability
 * goes (deleted, or a parent of it revoked), sometimes with 40 marked
 * copies of it going at once just before (each was a cross-core message
 * before the table: a full queue lost them); the moment that returns, 32
 * writes and 32 reads more are written and the 256 answers read. Every one
 * of the 128 is taken after the delete returned: each must be refused
 * (VSA_ERR_REVOKED), none served.
 */
#define RV_FILL     VSIC_SLOTS
#define RV_EACH     32
#define RV_FLOOD    40
#define RV_COOKIE   0x7e0000u
#define RV_DATA     (1u << 20)          /* HOSTILE_FILL lives here in the buffer */

static const capaddr_t RV_ROOT = CAP_TASK(TASKCN_SLOT_ROOTCN);
static const capaddr_t RV_KEEP = CAP_TASK(TASKCN_SLOT_FIRST_FREE + 19);
static const capaddr_t RV_PARENT = CAP_TASK(TASKCN_SLOT_FIRST_FREE + 20);
static const capaddr_t RV_SHOWN = CAP_TASK(TASKCN_SLOT_FIRST_FREE + 21);
#define RV_COPY(i) CAP_TASK(TASKCN_SLOT_FIRST_FREE + 30 + (i))

/* A request written straight into the ring (the library counts at most
 * VSIC_SLOTS in flight; a client may write what it likes). */
static void raw(unsigned op, unsigned h, uint64_t block, uint32_t count, uint64_t off, uint64_t cookie)
{
    vsic.ring->req[vsic.head % VSIC_SLOTS] = (struct vsic_req){
        .op = (uint16_t)op, .vsa = (uint16_t)h, .count = count, .cookie = cookie,
        .block = block, .buf_off = off };
    vsic.head++;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    vsic.ring->req_head = vsic.head;
}

static void raw_batch(unsigned h, uint64_t blocks, unsigned round, unsigned first)
{
    for (unsigned i = 0; i < RV_EACH; i++) {
        uint64_t b = ((uint64_t)(first + i) * 8 + round * 64) % (blocks - 8);
        raw(VSIC_OP_WRITE, h, b, 8, RV_DATA, RV_COOKIE | (first + 2 * i));
        raw(VSIC_OP_READ, h, b, 8, RV_DATA + 4096 * (1 + i % 8), RV_COOKIE | (first + 2 * i + 1));
    }
    vsic_kick(&vsic);
}

/* Responses posted and not read by us. */
static uint32_t unread(void) { return vsic.ring->resp_head - vsic.resp_tail; }

static bool await_unread(uint32_t n, unsigned seconds)
{
    uint64_t end = rdtsc_now() + libos_tsc_hz() * seconds;
    while (unread() < n && rdtsc_now() < end) {
        vsic_kick(&vsic);
        sys_yield(0);
    }
    return unread() >= n;
}

/* Read `n` responses: fillers are counted apart; of ours, how many were
 * refused as revoked, served, refused otherwise. */
static void reap(uint32_t n, unsigned *revoked, unsigned *served, unsigned *other)
{
    for (uint32_t k = 0; k < n; k++) {
        struct vsic_resp r = vsic.ring->resp[vsic.resp_tail % VSIC_SLOTS];
        vsic.resp_tail++;
        if ((r.cookie & ~0xffffull) != RV_COOKIE)
            continue;                   /* a filler */
        if (err_no((errval_t)r.status) == VSA_ERR_REVOKED)
            ++*revoked;
        else if (err_is_ok((errval_t)r.status))
            ++*served;
        else
            ++*other;
    }
    __atomic_thread_fence(__ATOMIC_RELEASE);
    vsic.ring->resp_tail = vsic.resp_tail;
    vsic_kick(&vsic);
}

/* 40 copies of the shown capability (each marked as shown: its going was a
 * message once); they go with the next revoke of it or of a parent. */
static errval_t flood_copies(void)
{
    errval_t err = ERR_OK;
    for (unsigned i = 0; i < RV_FLOOD && err_is_ok(err); i++)
        err = sys_invoke(RV_ROOT, CNODE_CMD_COPY, RV_SHOWN, RV_COPY(i), 0, 0).err;
    return err;
}

static errval_t rv_show(bool parent, unsigned *h, uint64_t *blocks, const char *name)
{
    errval_t err = parent ? sys_invoke(RV_ROOT, CNODE_CMD_COPY, RV_KEEP, RV_PARENT, 0, 0).err : ERR_OK;
    if (err_is_ok(err))
        err = sys_invoke(RV_ROOT, CNODE_CMD_COPY, parent ? RV_PARENT : RV_KEEP, RV_SHOWN, 0, 0).err;
    if (err_is_ok(err))
        err = present(RV_SHOWN);
    if (err_is_ok(err))
        err = vsic_vsa_acquire(&vsic, name, VSIC_RIGHT_READ | VSIC_RIGHT_WRITE, h, blocks);
    return err;
}

static int rv_nothing(const char *name)
{
    unsigned ok = 0, n = 0, h;
    uint64_t blocks;
    for (unsigned hh = 0; hh < 4; hh++, n++) {
        errval_t e = vsic_io(&vsic, VSIC_OP_WRITE, 0, hh, 0, 8, RV_DATA);
        ok += err_no(e) == VSA_ERR_BAD_HANDLE;
        debug_printf("vsictest: revoke: nothing: write through handle %u: %s\n", hh, err_name(err_no(e)));
    }
    errval_t e = vsic_vsa_acquire(&vsic, name, VSIC_RIGHT_READ, &h, &blocks);
    ok += err_no(e) == VSA_ERR_NO_AUTHORITY;
    n++;
    debug_printf("vsictest: revoke: nothing: acquire %s: %s\n", name, err_name(err_no(e)));
    debug_printf("vsictest: revoke: nothing: %u of %u refused\n", ok, n);
    return ok == n ? 0 : 1;
}

/* The end: one read served, 64 requests queued behind our rate (1 I/O a
 * second, spawned with rate=1:0), 40 marked copies revoked, and we end at
 * once (SYS_EXIT): the end's own messages found the queue full once. */
static int rv_end(const char *name)
{
    unsigned h;
    uint64_t blocks;
    uint64_t until = rdtsc_now() + libos_tsc_hz() * 2;  /* the shell's rate reaches the service */
    while (rdtsc_now() < until)
        sys_yield(0);
    errval_t err = rv_show(false, &h, &blocks, name);
    if (err_is_ok(err))
        err = vsic_io(&vsic, VSIC_OP_READ, 0, h, 0, 8, 0);
    if (err_is_ok(err))
        err = flood_copies();
    if (err_is_fail(err)) {
        debug_printf("vsictest: revoke: end: %s\n", err_name(err_no(err)));
        return 1;
    }
    raw_batch(h, blocks, 0, 0);
    debug_printf("vsictest: revoke: end: 1 I/O served, %u queued behind the rate; ending\n", 2 * RV_EACH);
    /* The copies go (each a cross-core message once: the queue fills),
     * and at once the end: no libc exit path between the two. */
    sys_invoke(RV_ROOT, CNODE_CMD_REVOKE, RV_SHOWN, 0, 0, 0);
    sys_exit(0);
    return 0;
}

static int revoke_rounds(const char *name, const char *mode, uint64_t rounds)
{
    bool parent = strcmp(mode, "parent") == 0;
    /* Our spawn's capability kept in a slot of our own, the spawn's slot
     * emptied: the library shows nothing by itself, only what we show. */
    errval_t err = sys_invoke(RV_ROOT, CNODE_CMD_COPY, CAP_TASK(TASKCN_SLOT_VSA0), RV_KEEP, 0, 0).err;
    if (err_is_ok(err))
        err = sys_invoke(RV_ROOT, CNODE_CMD_DELETE, CAP_TASK(TASKCN_SLOT_VSA0), 0, 0, 0).err;
    if (strcmp(mode, "nothing") == 0)
        return rv_nothing(name);
    if (strcmp(mode, "end") == 0)
        return err_is_ok(err) ? rv_end(name) : 1;
    for (uint64_t i = 0; i < BUF_BYTES / 8; i++)
        ((uint64_t *)vsic.buf)[i] = HOSTILE_FILL;
    unsigned total = 0, revoked = 0, served = 0, other = 0, rounds_ok = 0;
    for (unsigned r = 0; r < rounds && err_is_ok(err); r++) {
        bool flood = r % 2 == 1;
        unsigned h, rv = 0, sv = 0, ot = 0;
        uint64_t blocks;
        err = rv_show(parent, &h, &blocks, name);
        if (err_is_ok(err) && flood)
            err = flood_copies();
        if (err_is_fail(err))
            break;
        for (unsigned i = 0; i < RV_FILL; i++)
            raw(VSIC_OP_READ, h, 0, 1, 0, i);
        vsic_kick(&vsic);
        if (!await_unread(RV_FILL, 30)) {
            err = VSIC_ERR_TIMEOUT;
            break;
        }
        raw_batch(h, blocks, r, 0);     /* queued: the service has no room to take them */
        errval_t gone;
        if (parent) {
            gone = sys_invoke(RV_ROOT, CNODE_CMD_REVOKE, RV_PARENT, 0, 0, 0).err;
        } else {
            if (flood)
                sys_invoke(RV_ROOT, CNODE_CMD_REVOKE, RV_SHOWN, 0, 0, 0);  /* the copies */
            gone = sys_invoke(RV_ROOT, CNODE_CMD_DELETE, RV_SHOWN, 0, 0, 0).err;
        }
        /* at once, the moment that returned */
        raw_batch(h, blocks, r, 2 * RV_EACH);
        reap(RV_FILL, &rv, &sv, &ot);
        if (!await_unread(4 * RV_EACH, 30)) {
            err = VSIC_ERR_TIMEOUT;
            break;
        }
        reap(4 * RV_EACH, &rv, &sv, &ot);
        if (parent)
            sys_invoke(RV_ROOT, CNODE_CMD_DELETE, RV_PARENT, 0, 0, 0);
        debug_printf("vsictest: revoke: round %u (%s%s: %s): %u requests after it: %u refused "
                     "VSA_ERR_REVOKED, %u served, %u refused otherwise\n", r, mode,
                     flood ? ", 40 marked copies went just before" : "", err_name(err_no(gone)),
                     4 * RV_EACH, rv, sv, ot);
        total += 4 * RV_EACH;
        revoked += rv;
        served += sv;
        other += ot;
        rounds_ok += err_is_ok(gone) && rv == 4 * RV_EACH;
    }
    debug_printf("vsictest: revoke: %s: %u of %lu rounds (%s): %u requests after the capability "
                 "went, %u refused VSA_ERR_REVOKED, %u served\n", mode, rounds_ok, rounds,
                 err_name(err_no(err)), total, revoked, served);
    return err_is_ok(err) && rounds_ok == rounds ? 0 : 1;
}

int main(int argc, char *argv[])
{
    uint32_t service = 0;
    int a = 1, k = 1;
    for (int i = 1; i < argc; i++) {        /* the shell appends vsicd=ID */
        if (strncmp(argv[i], "vsicd=", 6) == 0)
            service = (uint32_t)hex(argv[i] + 6);
        else
            argv[k++] = argv[i];
    }
    argc = k;
    if (argc - a < 2) {
        debug_printf("vsictest: usage: vsictest vsicd=ID write|verify|hostile|acquire|rate|forge|capvsa|bell|fua|kickstorm|revoke NAME [N]\n");
        return 2;
    }
    const char *cmd = argv[a], *name = argv[a + 1];
    uint64_t n = a + 2 < argc ? dec(argv[a + 2]) : 0;
    seed = 0;
    memcpy(&seed, name, strlen(name) < 8 ? strlen(name) : 8);
    errval_t err = vsic_open(&vsic, service, BUF_BYTES);
    if (err_is_fail(err)) {
        debug_printf("vsictest: no VSIC: %s\n", err_name(err_no(err)));
        return 1;
    }
    debug_printf("vsictest: VSIC %u open (domain %#x, core %u)\n", vsic.id, libos_domain_id(),
                 libos_core_id());
    int rc = 2;
    if (strcmp(cmd, "write") == 0 || strcmp(cmd, "verify") == 0)
        rc = write_verify(name, n, cmd[0] == 'w');
    else if (strcmp(cmd, "hostile") == 0)
        rc = hostile(name);
    else if (strcmp(cmd, "rate") == 0)
        rc = rate(name, n ? n : 3);
    else if (strcmp(cmd, "forge") == 0)
        rc = forge(service, (uint32_t)n);
    else if (strcmp(cmd, "capvsa") == 0)
        rc = capvsa(name);
    else if (strcmp(cmd, "bell") == 0)
        rc = bell(name, n ? n : 20);
    else if (strcmp(cmd, "fua") == 0)
        rc = fua(name, n ? n : 20);
    else if (strcmp(cmd, "kickstorm") == 0)
        rc = kickstorm(n ? n : 5);
    else if (strcmp(cmd, "revoke") == 0)
        rc = revoke_rounds(name, a + 2 < argc ? argv[a + 2] : "delete", a + 3 < argc ? dec(argv[a + 3]) : 10);
    else if (strcmp(cmd, "acquire") == 0) {
        unsigned h;
        uint64_t blocks;
        err = vsic_vsa_acquire(&vsic, name, VSIC_RIGHT_READ, &h, &blocks);
        debug_printf("vsictest: acquire %s: %s\n", name, err_name(err_no(err)));
        rc = err_is_ok(err) ? 0 : 1;
    }
    return rc;
}
