/*
 * test_vsafs.c: the VSA file system's core (lib/vsafs) on the host, over
 * the crash-injecting memory device (tests/unit/crashdev). Do files,
 * directories, rename and truncate behave as POSIX says and come back
 * after a remount? Are the error cases the named errnos? Does an append
 * and its sync cost one write and one flush? And at hundreds of random
 * crash points (fixed seeds; VSAFS_SEEDS=N runs more): is every synced
 * AOF record there and whole, does a renamed-over file show the old
 * version or the new one and never a mix, and is the tree consistent
 * (vsafs_check)? Seeds 2 and 3 mod 4 run on a device with FUA writes
 * (blk.h write_fua: the log's batches use them), the others without.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <crashdev/crashdev.h>
#include <vsafs/vsafs.h>
#include "../../../lib/vsafs/vsafs_priv.h"     /* vs_apply, images: the hostile-input tests */

static struct vsafs *mount_fs(struct crashdev *cd)
{
    struct vsafs *fs;
    assert_int_equal(vsafs_open(&cd->dev, false, &fs), ERR_OK);
    char why[200] = "";
    if (vsafs_check(fs, why, sizeof(why)))
        fail_msg("check after mount: %s", why);
    return fs;
}

static void remount(struct crashdev *cd, struct vsafs **fs)
{
    assert_int_equal(vsafs_close(*fs), ERR_OK);
    crashdev_reboot(cd);
    *fs = mount_fs(cd);
}

static void check_ok(struct vsafs *fs)
{
    char why[200] = "";
    if (vsafs_check(fs, why, sizeof(why)))
        fail_msg("check: %s", why);
}

static void test_basic(void **state)
{
    (void)state;
    struct crashdev cd;
    crashdev_init(&cd, 512, 2048, 16, 1);
    struct vsafs *fs;
    assert_int_equal(err_no(vsafs_open(&cd.dev, false, &fs)), VSAFS_ERR_NO_FS);
    assert_int_equal(vsafs_open(&cd.dev, true, &fs), ERR_OK);
    uint32_t d, f, g, x;
    assert_int_equal(vsafs_create(fs, "/db", true, 0755, &d), 0);
    assert_int_equal(vsafs_create(fs, "/db/a", false, 0644, &f), 0);
    assert_int_equal(vsafs_write(fs, f, "hello world", 11, 0), 11);
    assert_int_equal(vsafs_write(fs, f, "XY", 2, 20), 2);      /* a hole reads as zeros */
    assert_int_equal(vsafs_create(fs, "/db/b", false, 0600, &g), 0);
    assert_int_equal(vsafs_write(fs, g, "new", 3, 0), 3);
    assert_int_equal(vsafs_rename(fs, "/db/b", "/db/a"), 0);   /* replaces a */
    assert_int_equal(vsafs_lookup(fs, "/db/a", &x), 0);
    assert_int_equal(x, g);
    assert_int_equal(vsafs_lookup(fs, "/db/b", &x), -ENOENT);
    assert_int_equal(vsafs_create(fs, "/db/big", false, 0644, &f), 0);
    static uint8_t big[300000];
    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (uint8_t)(i * 7 + i / 1000);
    assert_int_equal(vsafs_write(fs, f, big, sizeof(big), 0), sizeof(big));
    assert_int_equal(vsafs_truncate(fs, f, 100000), 0);
    assert_int_equal(vsafs_chmod(fs, f, 0400), 0);
    assert_int_equal(vsafs_create(fs, "/db/sub", true, 0700, NULL), 0);
    assert_int_equal(vsafs_remove(fs, "/db", true), -ENOTEMPTY);
    assert_int_equal(vsafs_create(fs, "/gone", false, 0644, NULL), 0);
    assert_int_equal(vsafs_remove(fs, "/gone", false), 0);
    assert_int_equal(vsafs_sync(fs), 0);
    check_ok(fs);
    remount(&cd, &fs);
    uint8_t buf[400000];
    assert_int_equal(vsafs_lookup(fs, "/db/a", &x), 0);
    assert_int_equal(vsafs_read(fs, x, buf, sizeof(buf), 0), 3);
    assert_memory_equal(buf, "new", 3);
    assert_int_equal(vsafs_lookup(fs, "/db/big", &x), 0);
    assert_int_equal(vsafs_read(fs, x, buf, sizeof(buf), 0), 100000);
    assert_memory_equal(buf, big, 100000);
    struct vsafs_attr at;
    assert_int_equal(vsafs_getattr(fs, x, &at), 0);
    assert_int_equal(at.mode, 0400);
    assert_int_equal(vsafs_lookup(fs, "/gone", &x), -ENOENT);
    assert_int_equal(vsafs_lookup(fs, "/db", &x), 0);
    char name[256];
    uint32_t c;
    int names = 0;
    for (long i = 0; vsafs_readdir(fs, x, i, name, &c) == 0; i++)
        names++;
    assert_int_equal(names, 2 + 3);     /* . .. a big sub */
    /* An unlinked file stays readable while held, and is gone after. */
    assert_int_equal(vsafs_lookup(fs, "/db/a", &x), 0);
    assert_int_equal(vsafs_hold(fs, x), 0);
    assert_int_equal(vsafs_remove(fs, "/db/a", false), 0);
    assert_int_equal(vsafs_write(fs, x, "more", 4, 3), 4);
    assert_int_equal(vsafs_read(fs, x, buf, 10, 0), 7);
    check_ok(fs);
    vsafs_release(fs, x);
    check_ok(fs);
    assert_int_equal(vsafs_checkpoint(fs), 0);
    remount(&cd, &fs);
    assert_int_equal(vsafs_lookup(fs, "/db/a", &x), -ENOENT);
    assert_int_equal(vsafs_lookup(fs, "/db/sub", &x), 0);
    assert_int_equal(vsafs_close(fs), ERR_OK);
    assert_int_equal(cd.bad_bufs, 0);
    crashdev_fini(&cd);
}

/* What if paths and calls are nonsense? */
static void test_errors(void **state)
{
    (void)state;
    struct crashdev cd;
    crashdev_init(&cd, 512, 256, 8, 2);
    struct vsafs *fs;
    assert_int_equal(err_no(vsafs_format(NULL)), TENACIOUS_ERR_ARGS);
    struct crashdev tiny;
    crashdev_init(&tiny, 512, 32, 8, 2);
    assert_int_equal(err_no(vsafs_format(&tiny.dev)), VSAFS_ERR_DEVICE);
    crashdev_fini(&tiny);
    assert_int_equal(vsafs_open(&cd.dev, true, &fs), ERR_OK);
    uint32_t d, f, x;
    char name[300];
    memset(name, 'n', sizeof(name));
    name[0] = '/';
    name[299] = 0;
    assert_int_equal(vsafs_create(fs, name, false, 0644, NULL), -ENAMETOOLONG);
    assert_int_equal(vsafs_create(fs, "/", true, 0755, NULL), -EEXIST);
    assert_int_equal(vsafs_create(fs, "relative", false, 0644, NULL), -EINVAL);
    assert_int_equal(vsafs_create(fs, "/d", true, 0755, &d), 0);
    assert_int_equal(vsafs_create(fs, "/d", false, 0644, NULL), -EEXIST);
    assert_int_equal(vsafs_create(fs, "/d/f", false, 0644, &f), 0);
    assert_int_equal(vsafs_create(fs, "/d/f/g", false, 0644, NULL), -ENOTDIR);
    assert_int_equal(vsafs_create(fs, "/nodir/g", false, 0644, NULL), -ENOENT);
    assert_int_equal(vsafs_remove(fs, "/d/f", true), -ENOTDIR);
    assert_int_equal(vsafs_remove(fs, "/d", false), -EISDIR);
    assert_int_equal(vsafs_remove(fs, "/", true), -EBUSY);
    assert_int_equal(vsafs_remove(fs, "/nothing", false), -ENOENT);
    assert_int_equal(vsafs_rename(fs, "/d", "/d/inner"), -EINVAL);
    assert_int_equal(vsafs_rename(fs, "/d/f", "/d"), -EISDIR);
    assert_int_equal(vsafs_create(fs, "/e", true, 0755, NULL), 0);
    assert_int_equal(vsafs_rename(fs, "/e", "/d/f"), -ENOTDIR);
    assert_int_equal(vsafs_rename(fs, "/e", "/d"), -ENOTEMPTY);
    assert_int_equal(vsafs_rename(fs, "/d/f", "/d/f"), 0);
    assert_int_equal(vsafs_rename(fs, "/", "/x"), -EBUSY);
    assert_int_equal(vsafs_write(fs, d, "x", 1, 0), -EISDIR);
    assert_int_equal(vsafs_write(fs, 999, "x", 1, 0), -EBADF);
    assert_int_equal(vsafs_write(fs, f, "x", 1, UINT64_MAX), -EFBIG);
    assert_int_equal(vsafs_readdir(fs, f, 0, name, &x), -ENOTDIR);
    /* Filling it: ENOSPC, and what was written stays. */
    static uint8_t chunk[8192];
    ssize_t w;
    uint64_t total = 0;
    while ((w = vsafs_write(fs, f, chunk, sizeof(chunk), total)) > 0)
        total += (uint64_t)w;
    assert_int_equal(w, -ENOSPC);
    assert_true(total > 20000);
    check_ok(fs);
    remount(&cd, &fs);
    struct vsafs_attr at;
    assert_int_equal(vsafs_lookup(fs, "/d/f", &x), 0);
    assert_int_equal(vsafs_getattr(fs, x, &at), 0);
    assert_int_equal(at.size, total);
    assert_int_equal(vsafs_close(fs), ERR_OK);
    /* A corrupt superblock: no file system; a corrupt checkpoint: corrupt. */
    cd.durable[40] ^= 1;
    crashdev_reboot(&cd);
    assert_int_equal(err_no(vsafs_open(&cd.dev, false, &fs)), VSAFS_ERR_NO_FS);
    cd.durable[40] ^= 1;
    /* 256 blocks: the log is 64, each slot (255 - 64) / 2 = 95. */
    cd.durable[512 * 1 + 2] ^= 1;
    cd.durable[512 * 96 + 2] ^= 1;
    crashdev_reboot(&cd);
    assert_int_equal(err_no(vsafs_open(&cd.dev, false, &fs)), VSAFS_ERR_CORRUPT);
    crashdev_fini(&cd);
}

/* Redis's AOF with appendfsync always: each append and its sync is one
 * log write and one flush, or one FUA write where the device has them. */
static void aof_cost(bool fua)
{
    struct crashdev cd;
    crashdev_init(&cd, 4096, 4096, 32, 3);
    crashdev_set_fua(&cd, fua);
    struct vsafs *fs;
    assert_int_equal(vsafs_open(&cd.dev, true, &fs), ERR_OK);
    uint32_t f;
    assert_int_equal(vsafs_create(fs, "/appendonly.aof", false, 0644, &f), 0);
    assert_int_equal(vsafs_sync(fs), 0);
    uint64_t w0 = cd.writes, f0 = cd.flushes, u0 = cd.fua_writes;
    char rec[64];
    uint64_t off = 0;
    for (int i = 0; i < 200; i++) {
        int n = snprintf(rec, sizeof(rec), "*3\r\n$3\r\nSET\r\n$4\r\nk%03d\r\n$1\r\nv\r\n", i);
        assert_int_equal(vsafs_write(fs, f, rec, (size_t)n, off), n);
        off += (uint64_t)n;
        assert_int_equal(vsafs_sync(fs), 0);
    }
    struct vsafs_stats st;
    vsafs_get_stats(fs, &st);
    assert_int_equal(st.checkpoints, 0);
    assert_int_equal(cd.writes - w0, 200);
    assert_int_equal(cd.flushes - f0, fua ? 0 : 200);
    printf("# vsafs: 200 appends + fdatasync: %llu writes (%llu FUA), %llu flushes\n",
           (unsigned long long)(cd.writes - w0), (unsigned long long)(cd.fua_writes - u0),
           (unsigned long long)(cd.flushes - f0));
    /* appendfsync everysec on a device slower than the appends: 200
     * appends, then one fdatasync: the appends made while a batch is in
     * flight ride in the next one. */
    cd.slow = true;
    w0 = cd.writes;
    f0 = cd.flushes;
    for (int i = 0; i < 200; i++) {
        int n = snprintf(rec, sizeof(rec), "*3\r\n$3\r\nSET\r\n$4\r\nk%03d\r\n$1\r\nw\r\n", i);
        assert_int_equal(vsafs_write(fs, f, rec, (size_t)n, off), n);
        off += (uint64_t)n;
    }
    assert_int_equal(vsafs_sync(fs), 0);
    assert_true(cd.writes - w0 <= 2);
    assert_int_equal(fua ? 0 : cd.writes - w0, cd.flushes - f0);
    printf("# vsafs: 200 appends, then one fdatasync: %llu writes, %llu flushes\n",
           (unsigned long long)(cd.writes - w0), (unsigned long long)(cd.flushes - f0));
    assert_int_equal(vsafs_close(fs), ERR_OK);
    crashdev_fini(&cd);
}

static void test_aof_cost(void **state)
{
    (void)state;
    aof_cost(false);
    aof_cost(true);
}

/* --- Hostile bytes --- */

/* A tree with a bit of everything, for the hostile-input tests. */
static void populate(struct vsafs *fs)
{
    uint32_t f;
    assert_int_equal(vsafs_create(fs, "/a", true, 0755, NULL), 0);
    assert_int_equal(vsafs_create(fs, "/a/b", true, 0755, NULL), 0);
    assert_int_equal(vsafs_create(fs, "/a/b/f", false, 0644, &f), 0);
    assert_int_equal(vsafs_write(fs, f, "0123456789", 10, 0), 10);
    assert_int_equal(vsafs_create(fs, "/g", false, 0644, &f), 0);
    assert_int_equal(vsafs_write(fs, f, "xyz", 3, 100), 3);
}

/* What if a record (it passed its CRC, but a forged or buggy one) is
 * garbage? vs_apply must refuse it or make a valid change: the tree stays
 * consistent, and nothing is read or written out of bounds (ASan). */
static void test_hostile_records(void **state)
{
    (void)state;
    struct crashdev cd;
    crashdev_init(&cd, 512, 1024, 16, 7);
    struct vsafs *fs;
    assert_int_equal(vsafs_open(&cd.dev, true, &fs), ERR_OK);
    populate(fs);
    uint8_t rec[96];
    unsigned applied = 0;
    static const char *names[] = { "a", "b", "f", "g", "x", ".", "..", "" };
    for (int i = 0; i < 50000; i++) {
        uint64_t x = crashdev_rand(&cd);
        size_t len;
        if (x & 1) {
            /* Fields of a real kind with small numbers and known names,
             * so that many get past the first checks. */
            uint8_t *p = rec;
            unsigned kind = 1 + (unsigned)((x >> 1) % 6);
            const char *n1 = names[(x >> 8) % 8], *n2 = names[(x >> 11) % 8];
            uint32_t i1 = (uint32_t)((x >> 14) % 10), i2 = (uint32_t)((x >> 18) % 10);
            *p++ = (uint8_t)kind;
            switch (kind) {
            case VS_OP_CREATE:
                memcpy(p, &i1, 4), memcpy(p + 4, &i2, 4), p += 8;
                memcpy(p, &(uint32_t){ 0644 }, 4), p += 4;
                *p++ = (uint8_t)((x >> 22) & 1);
                memcpy(p, &(uint16_t){ (uint16_t)strlen(n1) }, 2), p += 2;
                memcpy(p, n1, strlen(n1)), p += strlen(n1);
                break;
            case VS_OP_REMOVE:
                memcpy(p, &i1, 4), p += 4;
                *p++ = (uint8_t)((x >> 22) & 1);
                memcpy(p, &(uint16_t){ (uint16_t)strlen(n1) }, 2), p += 2;
                memcpy(p, n1, strlen(n1)), p += strlen(n1);
                break;
            case VS_OP_RENAME:
                memcpy(p, &i1, 4), memcpy(p + 4, &i2, 4), p += 8;
                memcpy(p, &(uint16_t){ (uint16_t)strlen(n1) }, 2), p += 2;
                memcpy(p, &(uint16_t){ (uint16_t)strlen(n2) }, 2), p += 2;
                memcpy(p, n1, strlen(n1)), p += strlen(n1);
                memcpy(p, n2, strlen(n2)), p += strlen(n2);
                break;
            case VS_OP_WRITE:
                memcpy(p, &i1, 4), p += 4;
                memcpy(p, &(uint64_t){ (x >> 24) % 64 }, 8), p += 8;
                memcpy(p, &(uint32_t){ 8 }, 4), p += 4;
                memcpy(p, "hostile!", 8), p += 8;
                break;
            case VS_OP_TRUNC:
                memcpy(p, &i1, 4), p += 4;
                memcpy(p, &(uint64_t){ (x >> 24) % 2 ? (x >> 26) % 100 : x >> 20 }, 8), p += 8;
                break;
            default:
                memcpy(p, &i1, 4), memcpy(p + 4, &i2, 4), p += 8;
            }
            len = (size_t)(p - rec);
            if ((x >> 40) % 8 == 0)         /* now and then cut short or longer */
                len = (x >> 44) % 2 ? len - 1 : len + 1;
        } else {
            len = (size_t)(x % sizeof(rec));
            for (size_t j = 0; j < len; j++)
                rec[j] = (uint8_t)crashdev_rand(&cd);
        }
        if (vs_apply(fs, rec, len) == 0)
            applied++;
        char why[200] = "";
        if (vsafs_check(fs, why, sizeof(why)))
            fail_msg("record %d (len %zu, kind %u) broke the tree: %s", i, len, len ? rec[0] : 0, why);
    }
    printf("# vsafs: 50000 random records, %u applied, tree consistent after each\n", applied);
    assert_true(applied > 0);
    vs_tree_free(fs);                   /* the tree is no longer the log's: drop it */
    assert_int_equal(vs_tree_init(fs), 0);
    assert_int_equal(vsafs_close(fs), ERR_OK);
    crashdev_fini(&cd);
}

/* What if a checkpoint image (CRC recomputed) is garbage? Loading refuses
 * it or gives a tree the checker judges; nothing crashes. */
static void test_hostile_images(void **state)
{
    (void)state;
    struct crashdev cd;
    crashdev_init(&cd, 512, 1024, 16, 8);
    struct vsafs *fs;
    assert_int_equal(vsafs_open(&cd.dev, true, &fs), ERR_OK);
    populate(fs);
    uint64_t n = vs_image_bytes(fs);
    uint8_t *img = malloc(n), *bad = malloc(n);
    vs_image_write(fs, img, 1, 1);
    struct vsafs t = { .dev = &cd.dev, .slot_blocks = 64 };
    assert_int_equal(vs_image_read(&t, img, n), 0);
    assert_int_equal(vsafs_check(&t, NULL, 0), 0);
    vs_tree_free(&t);
    unsigned loaded = 0, judged_bad = 0;
    for (int i = 0; i < 20000; i++) {
        memcpy(bad, img, n);
        int flips = 1 + (int)(crashdev_rand(&cd) % 4);
        for (int k = 0; k < flips; k++)
            bad[crashdev_rand(&cd) % n] ^= (uint8_t)(1u << (crashdev_rand(&cd) % 8));
        uint64_t len = crashdev_rand(&cd) % 8 ? n : crashdev_rand(&cd) % n;
        if (vs_image_read(&t, bad, len) == 0) {
            loaded++;
            judged_bad += vsafs_check(&t, NULL, 0) != 0;
        }
        vs_tree_free(&t);
    }
    printf("# vsafs: 20000 damaged images, %u loaded, %u of those failed the checker\n", loaded, judged_bad);
    free(img);
    free(bad);
    assert_int_equal(vsafs_close(fs), ERR_OK);
    crashdev_fini(&cd);
}

/* --- Crashes --- */

/* An AOF record or a dump names itself (id or version, length) and its
 * bytes follow from both: a torn or mixed one is seen. */
static size_t blob_make(uint8_t *buf, uint32_t tag, uint64_t id, size_t len)
{
    memcpy(buf, &tag, 4);
    memcpy(buf + 4, &id, 8);
    uint32_t l = (uint32_t)len;
    memcpy(buf + 12, &l, 4);
    for (size_t i = 16; i < len; i++)
        buf[i] = (uint8_t)(id * 29 + i * 13 + tag);
    return len;
}

/* Is buf[0..avail) the start of the blob (tag, id)? */
static bool blob_prefix(const uint8_t *buf, size_t avail, uint32_t tag, uint64_t id)
{
    uint8_t want[16];
    uint32_t l;
    memcpy(want, &tag, 4);
    memcpy(want + 4, &id, 8);
    if (avail >= 16) {
        memcpy(&l, buf + 12, 4);
        if (l <= avail)
            return false;
    }
    if (memcmp(buf, want, avail < 12 ? avail : 12) != 0)
        return false;
    for (size_t i = 16; i < avail; i++)
        if (buf[i] != (uint8_t)(id * 29 + i * 13 + tag))
            return false;
    return true;
}

/* The length of a valid blob at buf, or 0. */
static size_t blob_ok(const uint8_t *buf, size_t avail, uint32_t tag, uint64_t *id)
{
    uint32_t t, l;
    if (avail < 16)
        return 0;
    memcpy(&t, buf, 4);
    memcpy(id, buf + 4, 8);
    memcpy(&l, buf + 12, 4);
    if (t != tag || l < 16 || l > avail)
        return 0;
    for (size_t i = 16; i < l; i++)
        if (buf[i] != (uint8_t)(*id * 29 + i * 13 + tag))
            return 0;
    return l;
}

#define AOF_TAG 0xa0f
#define DUMP_TAG 0xd0

struct fs_run {
    struct crashdev cd;
    struct vsafs *fs;
    uint64_t aof_next;                  /* id of the next AOF record */
    uint64_t aof_acked;                 /* records synced (ids 1..aof_acked) */
    uint64_t aof_size;                  /* bytes written to /aof */
    uint64_t dump_next, dump_acked;     /* dump versions */
    uint64_t cut_tails;                 /* unsynced AOF tails found cut short */
};

static uint8_t run_buf[1 << 20];

/* Checks the state after a mount against what was acknowledged; takes
 * what is there as the new starting point. */
static void run_verify(struct fs_run *r, uint64_t seed, int cycle)
{
    uint32_t ino;
    uint64_t n = 0, size = 0;
    if (vsafs_lookup(r->fs, "/aof", &ino) == 0) {
        struct vsafs_attr at;
        assert_int_equal(vsafs_getattr(r->fs, ino, &at), 0);
        assert_true(at.size <= sizeof(run_buf));
        assert_int_equal(vsafs_read(r->fs, ino, run_buf, sizeof(run_buf), 0), (ssize_t)at.size);
        while (size < at.size) {
            uint64_t id;
            size_t l = blob_ok(run_buf + size, (size_t)(at.size - size), AOF_TAG, &id);
            if (!l || id != n + 1) {
                /* A write larger than one log record is several records,
                 * and a crash may keep the first of them: only the last,
                 * unsynced, AOF record may be cut short (Redis truncates
                 * such a tail: aof-load-truncated). */
                if (n < r->aof_acked || !blob_prefix(run_buf + size, (size_t)(at.size - size), AOF_TAG, n + 1))
                    fail_msg("seed %llu cycle %d: AOF record %llu at %llu (of %llu) torn or out of order, %llu synced",
                             (unsigned long long)seed, cycle, (unsigned long long)(n + 1),
                             (unsigned long long)size, (unsigned long long)at.size,
                             (unsigned long long)r->aof_acked);
                assert_int_equal(vsafs_truncate(r->fs, ino, size), 0);
                r->cut_tails++;
                break;
            }
            size += l;
            n++;
        }
    }
    if (n < r->aof_acked)
        fail_msg("seed %llu cycle %d: AOF has %llu records, %llu were synced",
                 (unsigned long long)seed, cycle, (unsigned long long)n, (unsigned long long)r->aof_acked);
    r->aof_next = n + 1;
    r->aof_acked = n;
    r->aof_size = size;
    uint64_t v = 0;
    if (vsafs_lookup(r->fs, "/dump", &ino) == 0) {
        ssize_t got = vsafs_read(r->fs, ino, run_buf, sizeof(run_buf), 0);
        if (got < 0 || blob_ok(run_buf, (size_t)got, DUMP_TAG, &v) != (size_t)got)
            fail_msg("seed %llu cycle %d: /dump is not one whole version", (unsigned long long)seed, cycle);
    }
    if (v < r->dump_acked)
        fail_msg("seed %llu cycle %d: /dump is version %llu, %llu was synced",
                 (unsigned long long)seed, cycle, (unsigned long long)v, (unsigned long long)r->dump_acked);
    r->dump_acked = v;
    if (r->dump_next <= v)
        r->dump_next = v + 1;
}

static bool run_step(struct fs_run *r)
{
    struct vsafs *fs = r->fs;
    uint64_t x = crashdev_rand(&r->cd);
    unsigned act = (unsigned)(x % 100);
    uint32_t ino;
    int err = 0;
    if (act < 50) {                     /* AOF: append, fdatasync */
        size_t len = 16 + (size_t)((x >> 8) % 1500);
        if (vsafs_lookup(fs, "/aof", &ino) && (err = vsafs_create(fs, "/aof", false, 0644, &ino)))
            return false;
        blob_make(run_buf, AOF_TAG, r->aof_next, len);
        if (vsafs_write(fs, ino, run_buf, len, r->aof_size) != (ssize_t)len)
            return false;
        r->aof_size += len;
        uint64_t id = r->aof_next++;
        if (vsafs_sync(fs))
            return false;
        r->aof_acked = id;
    } else if (act < 60) {              /* a dump: write a temporary, sync, rename over */
        size_t len = 16 + (size_t)((x >> 8) % 20000);
        (void)vsafs_remove(fs, "/dump.tmp", false);
        if ((err = vsafs_create(fs, "/dump.tmp", false, 0644, &ino)))
            return err != -ENOSPC && err != -EIO;
        uint64_t v = r->dump_next++;
        blob_make(run_buf, DUMP_TAG, v, len);
        for (size_t off = 0; off < len;) {      /* in pieces, as stdio would */
            size_t k = len - off < 4096 ? len - off : 4096;
            ssize_t w = vsafs_write(fs, ino, run_buf + off, k, off);
            if (w == -ENOSPC)
                return true;
            if (w != (ssize_t)k)
                return false;
            off += k;
        }
        if (vsafs_sync(fs) || vsafs_rename(fs, "/dump.tmp", "/dump") || vsafs_sync(fs))
            return false;
        r->dump_acked = v;
    } else if (act < 85) {              /* churn in /junk */
        char p[64], q[64];
        snprintf(p, sizeof(p), "/junk/%u", (unsigned)(x >> 20) % 12);
        snprintf(q, sizeof(q), "/junk/%u/s%u", (unsigned)(x >> 24) % 12, (unsigned)(x >> 28) % 3);
        (void)vsafs_create(fs, "/junk", true, 0755, NULL);
        switch ((x >> 32) % 7) {
        case 0: err = vsafs_create(fs, p, x & (1ull << 40), 0644, NULL); break;
        case 1: err = vsafs_remove(fs, p, false); break;
        case 2: err = vsafs_remove(fs, p, true); break;
        case 3: err = vsafs_rename(fs, p, q); break;
        case 4: err = vsafs_create(fs, q, false, 0600, NULL); break;
        case 5:
            if (!vsafs_lookup(fs, p, &ino)) {
                ssize_t w = vsafs_write(fs, ino, run_buf, (size_t)(x >> 44) % 3000, (x >> 50) % 2000);
                err = w < 0 ? (int)w : 0;
            }
            break;
        default:
            if (!vsafs_lookup(fs, p, &ino))
                err = vsafs_truncate(fs, ino, (x >> 44) % 5000);
        }
        if (err == -EIO)
            return false;
    } else if (act < 97) {
        if (vsafs_sync(fs))
            return false;
    } else {
        if (vsafs_checkpoint(fs))
            return false;
    }
    return !r->cd.crashed;
}

static uint64_t crash_checkpoints, crash_aof, crash_cut, crash_fua;

static unsigned crash_seed(uint64_t seed, uint32_t bs, uint64_t blocks, uint32_t max_io)
{
    struct fs_run r = { 0 };
    crashdev_init(&r.cd, bs, blocks, max_io, seed);
    crashdev_set_fua(&r.cd, seed & 2);
    assert_int_equal(vsafs_format(&r.cd.dev), ERR_OK);
    unsigned points = 0;
    for (int cycle = 0; cycle < 6; cycle++) {
        errval_t err = vsafs_open(&r.cd.dev, false, &r.fs);
        if (err_is_fail(err))
            fail_msg("seed %llu cycle %d: mount failed: %s", (unsigned long long)seed, cycle,
                     err_name(err_no(err)));
        run_verify(&r, seed, cycle);
        if (cycle)
            points++;
        r.cd.crash_at = 1 + crashdev_rand(&r.cd) % 600;
        for (int i = 0; i < 5000 && run_step(&r); i++)
            ;
        struct vsafs_stats st;
        vsafs_get_stats(r.fs, &st);
        crash_checkpoints += st.checkpoints;
        crash_aof += r.aof_acked;
        crash_fua += r.cd.fua_writes;
        r.cd.fua_writes = 0;
        if (!r.cd.crashed)
            crashdev_crash(&r.cd);
        (void)vsafs_close(r.fs);
        crashdev_reboot(&r.cd);
    }
    crash_cut += r.cut_tails;
    assert_int_equal(r.cd.bad_bufs, 0);
    crashdev_fini(&r.cd);
    return points;
}

static unsigned crash_seeds(void)
{
    const char *e = getenv("VSAFS_SEEDS");
    return e ? (unsigned)strtoul(e, NULL, 0) : 150;
}

static void test_crash(void **state)
{
    (void)state;
    unsigned points = 0, n = crash_seeds();
    for (uint64_t seed = 1; seed <= n; seed++)
        points += crash_seed(seed, seed & 1 ? 512 : 4096,
                             seed & 1 ? 400 + seed % 300 : 80 + seed % 60, 1 + (unsigned)(seed % 16));
    printf("# vsafs: %u crash points checked (seeds 1..%u), %llu checkpoints, %llu synced AOF records (summed at the crashes), %llu unsynced AOF tails cut short, %llu FUA writes\n",
           points, n, (unsigned long long)crash_checkpoints, (unsigned long long)crash_aof,
           (unsigned long long)crash_cut, (unsigned long long)crash_fua);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_aof_cost),
        cmocka_unit_test(test_hostile_records),
        cmocka_unit_test(test_hostile_images),
        cmocka_unit_test(test_crash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
