/*
 * test_tenacious.c: lib/tenacious on the host, over the crash-injecting
 * memory device (tests/unit/crashdev). Does an append come back after a
 * reopen, intact and in order? Does group commit send many appends in one
 * write and one flush? Are bad arguments, a full ring, a record too big,
 * corrupt blocks and a failing device refused with the named error? And
 * the heart of it: at hundreds of random crash points (fixed seeds, so a
 * failure repeats; TENACIOUS_SEEDS=N runs more) is every acknowledged
 * record there after the crash, none torn, none out of order? Odd seeds
 * run on a device with FUA writes (blk.h write_fua), which the log then
 * uses instead of write + flush; even seeds on one without.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <crashdev/crashdev.h>
#include <tenacious/tenacious.h>

/* A record's payload names itself: id, length, then bytes made from both,
 * so a torn or misplaced one is seen. */
static size_t rec_make(uint8_t *buf, uint64_t id, size_t len)
{
    if (len < 12)
        len = 12;
    memcpy(buf, &id, 8);
    uint32_t l = (uint32_t)len;
    memcpy(buf + 8, &l, 4);
    for (size_t i = 12; i < len; i++)
        buf[i] = (uint8_t)(id * 131 + i * 7);
    return len;
}

static bool rec_ok(const uint8_t *buf, size_t len, uint64_t *id)
{
    uint32_t l;
    if (len < 12)
        return false;
    memcpy(id, buf, 8);
    memcpy(&l, buf + 8, 4);
    if (l != len)
        return false;
    for (size_t i = 12; i < len; i++)
        if (buf[i] != (uint8_t)(*id * 131 + i * 7))
            return false;
    return true;
}

/* What a replay saw. */
struct seen {
    uint64_t n, first_id, last_id, first_seq, last_seq;
    bool bad;                           /* torn, out of order, or a gap */
};

static errval_t seen_fn(void *cookie, uint64_t seq, const void *data, size_t len)
{
    struct seen *s = cookie;
    uint64_t id;
    if (!rec_ok(data, len, &id)) {
        s->bad = true;
        return ERR_OK;
    }
    if (s->n && (id != s->last_id + 1 || seq != s->last_seq + 1))
        s->bad = true;
    if (!s->n) {
        s->first_id = id;
        s->first_seq = seq;
    }
    s->last_id = id;
    s->last_seq = seq;
    s->n++;
    return ERR_OK;
}

#define BS 512

static void test_crc32c(void **state)
{
    (void)state;
    assert_int_equal(tenacious_crc32c(0, "123456789", 9), 0xE3069283u);
    uint32_t a = tenacious_crc32c(0, "1234", 4);
    assert_int_equal(tenacious_crc32c(a, "56789", 5), 0xE3069283u);
}

/* What if nothing was ever formatted, or arguments are nonsense? */
static void test_open_errors(void **state)
{
    (void)state;
    struct crashdev cd;
    crashdev_init(&cd, BS, 64, 8, 1);
    struct tenacious *log;
    assert_int_equal(err_no(tenacious_open(&cd.dev, 0, 64, NULL, NULL, &log)), TENACIOUS_ERR_NO_LOG);
    assert_int_equal(err_no(tenacious_format(&cd.dev, 0, 3)), TENACIOUS_ERR_DEVICE);
    assert_int_equal(err_no(tenacious_format(&cd.dev, 60, 8)), TENACIOUS_ERR_DEVICE);
    assert_int_equal(err_no(tenacious_format(NULL, 0, 8)), TENACIOUS_ERR_ARGS);
    assert_int_equal(err_no(tenacious_open(&cd.dev, 0, 64, NULL, NULL, NULL)), TENACIOUS_ERR_ARGS);
    assert_int_equal(tenacious_format(&cd.dev, 0, 64), ERR_OK);
    /* A log of another range is not this one. */
    assert_int_equal(err_no(tenacious_open(&cd.dev, 0, 32, NULL, NULL, &log)), TENACIOUS_ERR_NO_LOG);
    assert_int_equal(tenacious_open(&cd.dev, 0, 64, NULL, NULL, &log), ERR_OK);
    assert_int_equal(err_no(tenacious_append(log, NULL, 4, NULL, NULL, NULL)), TENACIOUS_ERR_ARGS);
    assert_int_equal(err_no(tenacious_append(NULL, "x", 1, NULL, NULL, NULL)), TENACIOUS_ERR_ARGS);
    assert_int_equal(err_no(tenacious_wait(log, 5)), TENACIOUS_ERR_ARGS);
    static uint8_t big[1 << 20];
    size_t max = tenacious_max_record(log);
    assert_true(max > 0 && max < sizeof(big));
    assert_int_equal(err_no(tenacious_append(log, big, max + 1, NULL, NULL, NULL)), TENACIOUS_ERR_TOO_BIG);
    assert_int_equal(tenacious_append_sync(log, big, max, NULL), ERR_OK);
    tenacious_close(log);
    /* A corrupt header: no log. */
    cd.durable[20] ^= 1;
    crashdev_reboot(&cd);
    assert_int_equal(err_no(tenacious_open(&cd.dev, 0, 64, NULL, NULL, &log)), TENACIOUS_ERR_NO_LOG);
    assert_int_equal(cd.bad_bufs, 0);
    crashdev_fini(&cd);
}

/* Appends, reopen: all there in order; a full ring says so; reset frees
 * it and numbers go on. */
static void test_append_reopen_full_reset(void **state)
{
    (void)state;
    struct crashdev cd;
    crashdev_init(&cd, BS, 40, 4, 2);
    assert_int_equal(tenacious_format(&cd.dev, 8, 32), ERR_OK);
    struct tenacious *log;
    assert_int_equal(tenacious_open(&cd.dev, 8, 32, NULL, NULL, &log), ERR_OK);
    uint8_t buf[4096];
    uint64_t id = 1, seq;
    errval_t err;
    for (;;) {
        size_t len = rec_make(buf, id, 300);
        err = tenacious_append_sync(log, buf, len, &seq);
        if (err_is_fail(err))
            break;
        assert_int_equal(seq, id);
        id++;
    }
    assert_int_equal(err_no(err), TENACIOUS_ERR_FULL);
    assert_true(id > 20);               /* 31 ring blocks of 512 bytes, 1 record a block */
    tenacious_close(log);
    crashdev_reboot(&cd);
    struct seen s = { 0 };
    assert_int_equal(tenacious_open(&cd.dev, 8, 32, seen_fn, &s, &log), ERR_OK);
    assert_false(s.bad);
    assert_int_equal(s.n, id - 1);
    assert_int_equal(s.first_seq, 1);
    assert_int_equal(tenacious_reset(log), ERR_OK);
    uint64_t used;
    tenacious_space(log, &used, NULL);
    assert_int_equal(used, 0);
    /* Around the ring, several times, with resets. */
    uint64_t first_after_reset = id;
    for (int round = 0; round < 200; round++) {
        size_t len = rec_make(buf, id, 100 + (size_t)round * 13 % 900);
        err = tenacious_append_sync(log, buf, len, &seq);
        if (err_no(err) == TENACIOUS_ERR_FULL) {
            assert_int_equal(tenacious_reset(log), ERR_OK);
            first_after_reset = id;
            continue;
        }
        assert_int_equal(err, ERR_OK);
        assert_int_equal(seq, id);
        id++;
    }
    tenacious_close(log);
    crashdev_reboot(&cd);
    memset(&s, 0, sizeof(s));
    assert_int_equal(tenacious_open(&cd.dev, 8, 32, seen_fn, &s, &log), ERR_OK);
    assert_false(s.bad);
    assert_int_equal(s.first_id, first_after_reset);
    assert_int_equal(s.last_id, id - 1);
    assert_int_equal(tenacious_next_seq(log), id);
    tenacious_close(log);
    assert_int_equal(cd.bad_bufs, 0);
    crashdev_fini(&cd);
}

/* Trim drops whole batches up to a record; what follows stays. */
static void test_trim(void **state)
{
    (void)state;
    struct crashdev cd;
    crashdev_init(&cd, BS, 512, 8, 6);
    assert_int_equal(tenacious_format(&cd.dev, 0, 512), ERR_OK);
    struct tenacious *log;
    assert_int_equal(tenacious_open(&cd.dev, 0, 512, NULL, NULL, &log), ERR_OK);
    uint8_t buf[256];
    for (uint64_t id = 1; id <= 50; id++)      /* one batch each */
        assert_int_equal(tenacious_append_sync(log, buf, rec_make(buf, id, 100), NULL), ERR_OK);
    for (uint64_t id = 51; id <= 70; id++)     /* a few batches */
        assert_int_equal(tenacious_append(log, buf, rec_make(buf, id, 100), NULL, NULL, NULL), ERR_OK);
    assert_int_equal(err_no(tenacious_trim(log, 71)), TENACIOUS_ERR_ARGS);
    assert_int_equal(tenacious_trim(log, 30), ERR_OK);
    assert_int_equal(tenacious_trim(log, 10), ERR_OK);         /* already gone: nothing */
    uint64_t used1, used2;
    tenacious_space(log, &used1, NULL);
    tenacious_close(log);
    crashdev_reboot(&cd);
    struct seen s = { 0 };
    assert_int_equal(tenacious_open(&cd.dev, 0, 512, seen_fn, &s, &log), ERR_OK);
    assert_false(s.bad);
    assert_int_equal(s.first_id, 31);
    assert_int_equal(s.last_id, 70);
    tenacious_space(log, &used2, NULL);
    assert_int_equal(used1, used2);
    assert_int_equal(tenacious_trim(log, 65), ERR_OK);         /* inside the grouped batches */
    tenacious_close(log);
    crashdev_reboot(&cd);
    memset(&s, 0, sizeof(s));
    assert_int_equal(tenacious_open(&cd.dev, 0, 512, seen_fn, &s, &log), ERR_OK);
    assert_false(s.bad);
    assert_true(s.first_id <= 66 && s.first_id > 51);
    assert_int_equal(s.last_id, 70);
    assert_int_equal(tenacious_trim(log, 70), ERR_OK);         /* everything */
    tenacious_close(log);
    crashdev_reboot(&cd);
    memset(&s, 0, sizeof(s));
    assert_int_equal(tenacious_open(&cd.dev, 0, 512, seen_fn, &s, &log), ERR_OK);
    assert_int_equal(s.n, 0);
    assert_int_equal(tenacious_next_seq(log), 71);
    tenacious_close(log);
    crashdev_fini(&cd);
}

/* The device moves fewer blocks per request in a later session (another
 * provider): the big batches written before are still read, trimmed
 * around and kept. */
static void test_smaller_max_io(void **state)
{
    (void)state;
    struct crashdev cd;
    crashdev_init(&cd, BS, 512, 32, 10);
    assert_int_equal(tenacious_format(&cd.dev, 0, 512), ERR_OK);
    struct tenacious *log;
    assert_int_equal(tenacious_open(&cd.dev, 0, 512, NULL, NULL, &log), ERR_OK);
    static uint8_t buf[8192];
    for (uint64_t id = 1; id <= 10; id++)      /* 9 blocks a batch */
        assert_int_equal(tenacious_append_sync(log, buf, rec_make(buf, id, 4000), NULL), ERR_OK);
    tenacious_close(log);
    crashdev_reboot(&cd);
    cd.dev.max_io_blocks = 2;
    struct seen s = { 0 };
    assert_int_equal(tenacious_open(&cd.dev, 0, 512, seen_fn, &s, &log), ERR_OK);
    assert_int_equal(s.n, 10);
    assert_true(tenacious_max_record(log) < 1024);
    assert_int_equal(tenacious_append_sync(log, buf, rec_make(buf, 11, 900), NULL), ERR_OK);
    assert_int_equal(tenacious_trim(log, 3), ERR_OK);
    tenacious_close(log);
    crashdev_reboot(&cd);
    memset(&s, 0, sizeof(s));
    assert_int_equal(tenacious_open(&cd.dev, 0, 512, seen_fn, &s, &log), ERR_OK);
    assert_false(s.bad);
    assert_int_equal(s.first_id, 4);
    assert_int_equal(s.last_id, 11);
    tenacious_close(log);
    assert_int_equal(cd.bad_bufs, 0);
    crashdev_fini(&cd);
}

struct acks {
    uint64_t n, last;
    bool disorder;
};

static void ack_fn(void *cookie, uint64_t seq, errval_t status)
{
    struct acks *a = cookie;
    if (err_is_fail(status))
        return;
    if (seq != a->last + 1)
        a->disorder = true;
    a->last = seq;
    a->n++;
}

/* 100 appends queued at once: the first goes alone, the rest ride in a
 * few batches (one write and one flush each), and complete in order. */
static void group_commit(bool fua)
{
    struct crashdev cd;
    crashdev_init(&cd, BS, 1024, 64, 3);
    crashdev_set_fua(&cd, fua);
    assert_int_equal(tenacious_format(&cd.dev, 0, 1024), ERR_OK);
    struct tenacious *log;
    assert_int_equal(tenacious_open(&cd.dev, 0, 1024, NULL, NULL, &log), ERR_OK);
    uint64_t w0 = cd.writes, f0 = cd.flushes;
    struct acks a = { 0 };
    uint8_t buf[128];
    for (uint64_t id = 1; id <= 100; id++)
        assert_int_equal(tenacious_append(log, buf, rec_make(buf, id, 100), ack_fn, &a, NULL), ERR_OK);
    assert_int_equal(tenacious_wait(log, 100), ERR_OK);
    assert_int_equal(a.n, 100);
    assert_false(a.disorder);
    assert_int_equal(cd.writes - w0, 2);
    assert_int_equal(cd.flushes - f0, fua ? 0 : 2);     /* FUA: each batch one write */
    assert_int_equal(cd.fua_writes, fua ? 2 : 0);
    tenacious_close(log);
    crashdev_fini(&cd);
}

static void test_group_commit(void **state)
{
    (void)state;
    group_commit(false);
    group_commit(true);
}

/* A write fails: the appends waiting hear it, and later ones are refused. */
static void test_io_error(void **state)
{
    (void)state;
    struct crashdev cd;
    crashdev_init(&cd, BS, 256, 16, 4);
    assert_int_equal(tenacious_format(&cd.dev, 0, 256), ERR_OK);
    struct tenacious *log;
    assert_int_equal(tenacious_open(&cd.dev, 0, 256, NULL, NULL, &log), ERR_OK);
    cd.fail_write_at = 1;
    uint8_t buf[64];
    assert_int_equal(err_no(tenacious_append_sync(log, buf, rec_make(buf, 1, 64), NULL)), TENACIOUS_ERR_IO);
    assert_int_equal(err_no(tenacious_append(log, buf, 64, NULL, NULL, NULL)), TENACIOUS_ERR_IO);
    tenacious_close(log);
    crashdev_fini(&cd);
}

/* A flipped bit in the middle of the log: the records before it come
 * back, nothing after it does (a later record must never appear without
 * the ones before). */
static void test_corrupt_middle(void **state)
{
    (void)state;
    struct crashdev cd;
    crashdev_init(&cd, BS, 256, 16, 5);
    assert_int_equal(tenacious_format(&cd.dev, 0, 256), ERR_OK);
    struct tenacious *log;
    assert_int_equal(tenacious_open(&cd.dev, 0, 256, NULL, NULL, &log), ERR_OK);
    uint8_t buf[600];
    for (uint64_t id = 1; id <= 20; id++)
        assert_int_equal(tenacious_append_sync(log, buf, rec_make(buf, id, 600), NULL), ERR_OK);
    tenacious_close(log);
    /* Each record is one 2-block batch: ring block 2*9 holds record 10. */
    cd.durable[(size_t)(1 + 18) * BS + 600] ^= 0x40;   /* inside record 10 */
    crashdev_reboot(&cd);
    struct seen s = { 0 };
    assert_int_equal(tenacious_open(&cd.dev, 0, 256, seen_fn, &s, &log), ERR_OK);
    assert_false(s.bad);
    assert_int_equal(s.n, 9);
    assert_int_equal(s.last_id, 9);
    tenacious_close(log);
    crashdev_fini(&cd);
}

/* What if the disk holds garbage: flipped bits anywhere, a header whose
 * head points anywhere, blocks of random bytes? Open refuses it or returns
 * a run of whole records in order, and touches nothing out of bounds. */
static void test_hostile_disk(void **state)
{
    (void)state;
    struct crashdev cd;
    crashdev_init(&cd, BS, 96, 8, 9);
    assert_int_equal(tenacious_format(&cd.dev, 0, 96), ERR_OK);
    struct tenacious *log;
    assert_int_equal(tenacious_open(&cd.dev, 0, 96, NULL, NULL, &log), ERR_OK);
    uint8_t buf[2048];
    for (uint64_t id = 1; id <= 60; id++) {
        size_t len = rec_make(buf, id, 12 + id * 37 % 1500);
        errval_t err = tenacious_append_sync(log, buf, len, NULL);
        if (err_no(err) == TENACIOUS_ERR_FULL) {
            assert_int_equal(tenacious_reset(log), ERR_OK);
            err = tenacious_append_sync(log, buf, len, NULL);   /* ids follow seqs */
        }
        assert_int_equal(err, ERR_OK);
    }
    tenacious_close(log);
    size_t bytes = 96 * BS;
    uint8_t *good = malloc(bytes);
    memcpy(good, cd.durable, bytes);
    unsigned opened = 0;
    for (int i = 0; i < 3000; i++) {
        memcpy(cd.durable, good, bytes);
        uint64_t x = crashdev_rand(&cd);
        switch (x % 3) {
        case 0:                         /* bits flipped anywhere */
            for (int k = 0; k < 1 + (int)(x >> 8) % 8; k++)
                cd.durable[crashdev_rand(&cd) % bytes] ^= (uint8_t)(1u << (crashdev_rand(&cd) % 8));
            break;
        case 1:                         /* a block of random bytes */
            for (size_t k = 0; k < BS; k++)
                cd.durable[(size_t)(1 + (x >> 8) % 95) * BS + k] = (uint8_t)crashdev_rand(&cd);
            break;
        default: {                      /* the header's head somewhere else, its CRC made right */
            /* struct tn_header (tenacious.c): crc at 12, head_seq at 40,
             * head_block at 48, 64 bytes in all. */
            uint64_t seq = 1 + (x >> 8) % 70, block = (x >> 16) % 95;
            uint32_t zero = 0, crc;
            memcpy(cd.durable + 40, &seq, 8);
            memcpy(cd.durable + 48, &block, 8);
            memcpy(cd.durable + 12, &zero, 4);
            crc = tenacious_crc32c(0, cd.durable, 64);
            memcpy(cd.durable + 12, &crc, 4);
            break;
        }
        }
        crashdev_reboot(&cd);
        struct seen s = { 0 };
        if (err_is_ok(tenacious_open(&cd.dev, 0, 96, seen_fn, &s, &log))) {
            opened++;
            if (s.bad)
                fail_msg("damage %d: a torn or out-of-order record came back", i);
            tenacious_close(log);
        }
    }
    printf("# tenacious: 3000 damaged logs, %u opened, every record returned whole and in order\n", opened);
    assert_true(opened > 0);
    free(good);
    crashdev_fini(&cd);
}

/* --- Crashes --- */

struct crash_run {
    struct crashdev cd;
    struct tenacious *log;
    uint64_t next_id;                   /* the id the next append carries */
    uint64_t floor;                     /* acked records from this id on must survive */
    uint64_t acked;                     /* the highest acknowledged id (0: none) */
    uint64_t seq_base;                  /* id = seq - seq_base for this log instance */
    bool disorder;
    unsigned trims;
};

static void crash_ack(void *cookie, uint64_t seq, errval_t status)
{
    struct crash_run *r = cookie;
    if (err_is_fail(status))
        return;
    uint64_t id = seq - r->seq_base;
    if (r->acked && id != r->acked + 1 && id > r->floor)
        r->disorder = true;
    r->acked = id;
}

/* Appends, resets and waits at random until the device crashes. */
static void crash_workload(struct crash_run *r, uint64_t steps)
{
    static uint8_t buf[64 * 1024];
    size_t max = tenacious_max_record(r->log);
    for (uint64_t i = 0; i < steps && !r->cd.crashed; i++) {
        uint64_t x = crashdev_rand(&r->cd);
        unsigned act = (unsigned)(x % 100);
        size_t len = (size_t)((x >> 8) % (x & 0x100 ? max + 1 : 700));
        if (len < 12)
            len = 12;
        if (act < 70) {
            uint64_t seq;
            rec_make(buf, r->next_id, len);
            errval_t err = tenacious_append(r->log, buf, len, crash_ack, r, &seq);
            if (err_is_ok(err)) {
                assert_int_equal(seq - r->seq_base, r->next_id);
                r->next_id++;
            } else if (err_no(err) == TENACIOUS_ERR_BUSY) {
                (void)tenacious_wait(r->log, tenacious_next_seq(r->log) - 1);
            } else if (err_no(err) == TENACIOUS_ERR_FULL) {
                r->floor = r->next_id;  /* what came before may go */
                if (err_is_fail(tenacious_reset(r->log)))
                    break;
            } else {
                break;                  /* the device crashed */
            }
        } else if (act < 88) {
            (void)tenacious_poll(r->log);
        } else if (act < 96) {
            if (tenacious_next_seq(r->log) - 1 > tenacious_durable_seq(r->log) &&
                err_is_fail(tenacious_wait(r->log, tenacious_next_seq(r->log) - 1)))
                break;
        } else if (act < 98) {
            if (r->next_id > r->floor) {
                uint64_t upto = r->floor + (x >> 8) % (r->next_id - r->floor);
                r->floor = upto + 1;    /* what comes after must stay */
                if (err_is_fail(tenacious_trim(r->log, upto + r->seq_base)))
                    break;
                r->trims++;
            }
        } else {
            r->floor = r->next_id;
            if (err_is_fail(tenacious_reset(r->log)))
                break;
        }
    }
}

static unsigned crash_trims;
static uint64_t crash_fua_writes;

/* One seed: a few crash-reboot-check cycles on one device. Returns the
 * number of crash points it checked. */
static unsigned crash_seed(uint64_t seed, uint32_t bs, uint64_t blocks, uint32_t max_io)
{
    struct crash_run r = { 0 };
    crashdev_init(&r.cd, bs, blocks, max_io, seed);
    crashdev_set_fua(&r.cd, seed & 1);
    assert_int_equal(tenacious_format(&r.cd.dev, 1, blocks - 1), ERR_OK);
    r.next_id = 1;
    r.floor = 1;
    unsigned points = 0;
    for (int cycle = 0; cycle < 4; cycle++) {
        struct seen s = { 0 };
        assert_int_equal(tenacious_open(&r.cd.dev, 1, blocks - 1, seen_fn, &s, &r.log), ERR_OK);
        if (s.bad || (s.n && s.last_id < r.acked) || (!s.n && r.acked >= r.floor) ||
            (s.n && r.acked >= r.floor && s.first_id > r.floor)) {
            fail_msg("seed %llu cycle %d: replay bad=%d n=%llu ids %llu..%llu, acked %llu, floor %llu",
                     (unsigned long long)seed, cycle, s.bad, (unsigned long long)s.n,
                     (unsigned long long)s.first_id, (unsigned long long)s.last_id,
                     (unsigned long long)r.acked, (unsigned long long)r.floor);
        }
        if (r.disorder)
            fail_msg("seed %llu: acknowledgements out of order", (unsigned long long)seed);
        if (cycle)
            points++;
        /* Every record found is durable now: the next ids follow it. */
        if (s.n) {
            r.next_id = s.last_id + 1;
            r.acked = s.last_id;
            r.floor = s.first_id;
            r.seq_base = s.last_seq - s.last_id;
        } else {
            r.floor = r.next_id;
            r.acked = 0;
            r.seq_base = tenacious_next_seq(r.log) - r.next_id;
        }
        r.cd.crash_at = 1 + crashdev_rand(&r.cd) % 400;
        crash_workload(&r, 100000);
        if (!r.cd.crashed)
            crashdev_crash(&r.cd);
        tenacious_close(r.log);
        crashdev_reboot(&r.cd);
    }
    assert_int_equal(r.cd.bad_bufs, 0);
    crash_trims += r.trims;
    crash_fua_writes += r.cd.fua_writes;
    crashdev_fini(&r.cd);
    return points;
}

static unsigned crash_seeds(void)
{
    const char *e = getenv("TENACIOUS_SEEDS");
    return e ? (unsigned)strtoul(e, NULL, 0) : 150;
}

static void test_crash_512(void **state)
{
    (void)state;
    unsigned points = 0, n = crash_seeds();
    crash_trims = 0;
    crash_fua_writes = 0;
    for (uint64_t seed = 1; seed <= n; seed++)
        points += crash_seed(seed, 512, 160 + seed % 97, 1 + (unsigned)(seed % 16));
    printf("# tenacious: %u crash points checked (block 512, seeds 1..%u), %u trims, "
           "%llu FUA writes (odd seeds)\n", points, n, crash_trims,
           (unsigned long long)crash_fua_writes);
}

static void test_crash_4096(void **state)
{
    (void)state;
    unsigned points = 0, n = crash_seeds();
    crash_trims = 0;
    crash_fua_writes = 0;
    for (uint64_t seed = 1000; seed < 1000 + n; seed++)
        points += crash_seed(seed, 4096, 24 + seed % 40, 1 + (unsigned)(seed % 8));
    printf("# tenacious: %u crash points checked (block 4096, seeds 1000..%u), %u trims, "
           "%llu FUA writes (odd seeds)\n", points, 999 + n, crash_trims,
           (unsigned long long)crash_fua_writes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc32c),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_append_reopen_full_reset),
        cmocka_unit_test(test_trim),
        cmocka_unit_test(test_smaller_max_io),
        cmocka_unit_test(test_group_commit),
        cmocka_unit_test(test_io_error),
        cmocka_unit_test(test_corrupt_middle),
        cmocka_unit_test(test_hostile_disk),
        cmocka_unit_test(test_crash_512),
        cmocka_unit_test(test_crash_4096),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
