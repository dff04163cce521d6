/*
 * storage_crash.c: the in-guest half of issue 12's crash test, for
 * lib/tenacious and vsafs over a real VSA (a VSIC to QEMU's NVMe).
 *
 *   storage_crash log NAME      appends numbered records (id = the
 *                               log's seq) to a tenacious log on VSA NAME
 *                               (formatted if it holds none), 8 in
 *                               flight (group commit), and prints
 *                               "ack seq N" as each becomes durable,
 *                               until killed (a full log is reset,
 *                               said before: "log full: reset after
 *                               id N", so the host knows the records
 *                               up to N may be gone)
 *   storage_crash logcheck NAME replays the log, checks every record is
 *                               whole and the ids run on with no gap, and
 *                               prints "logcheck: records A..B intact"
 *                               (the host checks B >= the last "ack")
 *   storage_crash fs NAME       mounts VSA NAME on /data and appends
 *                               numbered records to /data/aof with write
 *                               + fdatasync (Redis's appendfsync always),
 *                               printing "synced N" after each; past
 *                               AOF_ROTATE bytes it rewrites as Redis
 *                               does ("rotate after id N", said first):
 *                               the next record alone into /data/aof.new,
 *                               fdatasync, rename over /data/aof, fsync
 *   storage_crash fscheck NAME  opens the file system, runs its checker,
 *                               and prints "fscheck: records A..B intact,
 *                               K bytes after them" (A: the first
 *                               record's id)
 *
 *   storage_crash datals        (spawned with fs=NAME: the constructor of
 *                               lib/vsafs/vsafs_vsic.c mounted it before
 *                               main) prints "data: /data/aof N bytes"
 *
 * The host (tests/system/test_storage_crash.py) kills QEMU at random
 * moments (20 or more per run), reboots, runs the check and compares with
 * the last acknowledgement it saw. Records name themselves (id, length,
 * bytes made from both) so a torn or misplaced one is seen here.
 *
 * The block device comes from vsic_blk_open (arrakis/vsic.h): a VSIC to
 * the VSA through usr/vsicd; the shell's vsa=NAME grants it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <tenacious/tenacious.h>
#include <vsafs/vsafs.h>
#include <arrakis/vsic.h>

#define LOG_FIRST 0                     /* the log takes the whole VSA */
#define INFLIGHT 8
#define AOF_ROTATE (128 * 1024)         /* keeps the file (in memory) small over many runs */

static size_t rec_make(uint8_t *buf, uint64_t id, size_t len)
{
    memcpy(buf, &id, 8);
    uint32_t l = (uint32_t)len;
    memcpy(buf + 8, &l, 4);
    for (size_t i = 12; i < len; i++)
        buf[i] = (uint8_t)(id * 131 + i * 7);
    return len;
}

/* The length of the record at buf if it is whole and carries `id`, else 0. */
static size_t rec_ok(const uint8_t *buf, size_t avail, uint64_t id)
{
    uint64_t got;
    uint32_t l;
    if (avail < 12)
        return 0;
    memcpy(&got, buf, 8);
    memcpy(&l, buf + 8, 4);
    if (got != id || l < 12 || l > avail)
        return 0;
    for (size_t i = 12; i < l; i++)
        if (buf[i] != (uint8_t)(id * 131 + i * 7))
            return 0;
    return l;
}

static size_t rec_len(uint64_t id)
{
    return 12 + (size_t)((id * 2654435761u) % 700);
}

/* --- The log --- */

struct replay {
    uint64_t n, first, last;
    bool bad;
};

static errval_t replay_fn(void *cookie, uint64_t seq, const void *data, size_t len)
{
    struct replay *r = cookie;
    uint64_t id;
    if (len < 12) {
        r->bad = true;
        return ERR_OK;
    }
    memcpy(&id, data, 8);
    if (rec_ok(data, len, id) != len || id != seq || (r->n && id != r->last + 1)) {
        printf("logcheck: record seq %llu (id %llu) torn or out of order\n",
               (unsigned long long)seq, (unsigned long long)id);
        r->bad = true;
    }
    if (!r->n)
        r->first = id;
    r->last = id;
    r->n++;
    return ERR_OK;
}

static void ack_fn(void *cookie, uint64_t seq, errval_t status)
{
    uint64_t *inflight = cookie;
    (*inflight)--;
    if (err_is_ok(status))
        printf("ack seq %llu\n", (unsigned long long)seq);
}

static int run_log(struct blk_dev *dev, bool check)
{
    struct replay r = { 0 };
    struct tenacious *log;
    uint64_t nblocks = dev->blocks - LOG_FIRST;
    errval_t err = tenacious_open(dev, LOG_FIRST, nblocks, replay_fn, &r, &log);
    if (err_no(err) == TENACIOUS_ERR_NO_LOG && !check) {
        err = tenacious_format(dev, LOG_FIRST, nblocks);
        if (err_is_ok(err))
            err = tenacious_open(dev, LOG_FIRST, nblocks, replay_fn, &r, &log);
    }
    if (err_is_fail(err)) {
        printf("storage_crash: log open failed: %s\n", err_name(err_no(err)));
        return 1;
    }
    if (check) {
        printf("logcheck: records %llu..%llu %s\n", (unsigned long long)r.first,
               (unsigned long long)r.last, r.bad ? "BAD" : "intact");
        tenacious_close(log);
        return r.bad;
    }
    /* A record's id is its seq: numbers go on across reboots and resets,
     * and "ack seq N" names the record the host must find again (unless
     * a later "log full: reset after N" dropped it). */
    uint64_t inflight = 0;
    static uint8_t buf[1024];
    for (;;) {
        while (inflight < INFLIGHT) {
            uint64_t id = tenacious_next_seq(log);
            size_t len = rec_make(buf, id, rec_len(id));
            err = tenacious_append(log, buf, len, ack_fn, &inflight, NULL);
            if (err_no(err) == TENACIOUS_ERR_FULL) {
                printf("log full: reset after id %llu\n", (unsigned long long)(id - 1));
                err = tenacious_reset(log);
                if (err_is_fail(err)) {
                    printf("storage_crash: reset failed: %s\n", err_name(err_no(err)));
                    return 1;
                }
                continue;
            }
            if (err_no(err) == TENACIOUS_ERR_BUSY)
                break;
            if (err_is_fail(err)) {
                printf("storage_crash: append failed: %s\n", err_name(err_no(err)));
                return 1;
            }
            inflight++;
        }
        err = tenacious_wait(log, tenacious_next_seq(log) - 1);
        if (err_is_fail(err)) {
            printf("storage_crash: wait failed: %s\n", err_name(err_no(err)));
            return 1;
        }
    }
}

/* --- The file system --- */

static int run_fs(struct blk_dev *dev)
{
    errval_t err = vsafs_mount("/data", dev, true);
    if (err_is_fail(err)) {
        printf("storage_crash: mount failed: %s\n", err_name(err_no(err)));
        return 1;
    }
    int fd = open("/data/aof", O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0) {
        printf("storage_crash: open /data/aof: %s\n", strerror(errno));
        return 1;
    }
    /* Go on after the records there (fscheck has checked them); the first
     * one names where the file starts. */
    off_t size = lseek(fd, 0, SEEK_END);
    uint64_t id = 0;
    static uint8_t buf[1024];
    int rfd = open("/data/aof", O_RDONLY);
    off_t off = 0;
    if (rfd >= 0 && pread(rfd, buf, 8, 0) == 8)
        memcpy(&id, buf, 8);
    if (!id)
        id = 1;
    while (rfd >= 0 && off < size) {
        ssize_t got = pread(rfd, buf, sizeof(buf), off);
        size_t l = got > 0 ? rec_ok(buf, (size_t)got, id) : 0;
        if (!l)
            break;
        off += (off_t)l;
        id++;
    }
    if (rfd >= 0)
        close(rfd);
    if (off != size) {
        printf("storage_crash: /data/aof has %lld bytes after its whole records\n",
               (long long)(size - off));
        return 1;
    }
    for (;; id++) {
        size_t len = rec_make(buf, id, rec_len(id));
        if (size >= AOF_ROTATE) {
            /* Redis's AOF rewrite, in small: a new file, synced, renamed
             * over the old one, synced (vsafs's fsync covers the rename). */
            printf("rotate after id %llu\n", (unsigned long long)(id - 1));
            int nfd = open("/data/aof.new", O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (nfd < 0 || write(nfd, buf, len) != (ssize_t)len || fdatasync(nfd) != 0 ||
                rename("/data/aof.new", "/data/aof") != 0 || fsync(nfd) != 0) {
                printf("storage_crash: rotate: %s\n", strerror(errno));
                return 1;
            }
            close(fd);
            fd = nfd;
            size = (off_t)len;
        } else {
            if (write(fd, buf, len) != (ssize_t)len || fdatasync(fd) != 0) {
                printf("storage_crash: write/fdatasync: %s\n", strerror(errno));
                return 1;
            }
            size += (off_t)len;
        }
        printf("synced %llu\n", (unsigned long long)id);
    }
}

static int run_fscheck(struct blk_dev *dev)
{
    struct vsafs *fs;
    errval_t err = vsafs_open(dev, false, &fs);
    if (err_is_fail(err)) {
        printf("fscheck: mount failed: %s\n", err_name(err_no(err)));
        return 1;
    }
    char why[160] = "";
    if (vsafs_check(fs, why, sizeof(why))) {
        printf("fscheck: inconsistent: %s\n", why);
        return 1;
    }
    uint32_t ino;
    struct vsafs_attr a = { 0 };
    uint64_t first = 0, id = 0, off = 0;
    if (vsafs_lookup(fs, "/aof", &ino) == 0 && vsafs_getattr(fs, ino, &a) == 0) {
        static uint8_t buf[1024];
        if (a.size >= 8 && vsafs_read(fs, ino, buf, 8, 0) == 8)
            memcpy(&first, buf, 8);
        for (id = first; off < a.size; id++) {
            ssize_t got = vsafs_read(fs, ino, buf, sizeof(buf), off);
            size_t l = got > 0 ? rec_ok(buf, (size_t)got, id) : 0;
            if (!l)
                break;
            off += l;
        }
    }
    /* Only the last, unsynced record may be cut short (a write larger
     * than one log record); the host judges the bytes after. */
    printf("fscheck: records %llu..%llu intact, %llu bytes after them\n",
           (unsigned long long)first, (unsigned long long)(id ? id - 1 : 0),
           (unsigned long long)(a.size - off));
    (void)vsafs_close(fs);
    return 0;
}

int main(int argc, char *argv[])
{
    if (argc == 2 && strcmp(argv[1], "datals") == 0) {
        struct stat st;
        if (stat("/data/aof", &st) != 0) {
            printf("data: /data/aof: %s\n", strerror(errno));
            return 1;
        }
        printf("data: /data/aof %lld bytes\n", (long long)st.st_size);
        return 0;
    }
    if (argc != 3) {
        printf("usage: storage_crash log|logcheck|fs|fscheck VSA\n");
        return 2;
    }
    struct blk_dev *dev;
    errval_t err = vsic_blk_open(argv[2], &dev);
    if (err_is_fail(err)) {
        printf("storage_crash: VSA %s: %s\n", argv[2], err_name(err_no(err)));
        return 1;
    }
    if (strcmp(argv[1], "log") == 0 || strcmp(argv[1], "logcheck") == 0)
        return run_log(dev, argv[1][3] == 'c');
    if (strcmp(argv[1], "fs") == 0)
        return run_fs(dev);
    if (strcmp(argv[1], "fscheck") == 0)
        return run_fscheck(dev);
    printf("usage: storage_crash log|logcheck|fs|fscheck VSA\n");
    return 2;
}
