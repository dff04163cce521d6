/*
 * storagebench.c: this OS's side of make bench's storage table
 * (tools/benchstorage.py), the twin of tools/linux-guest/blkbench.c: the
 * same workloads, one JSON object a run with the same fields (op, count,
 * size, total_s, iops, p50_us, p99_us, max_us), latencies measured here
 * with the monotonic clock around each operation.
 *
 *   spawn storagebench core 1 vsa=blog vsa=bfs vsa=braw blog bfs braw COUNT SIZE RCOUNT
 *
 *   tenacious_append        COUNT appends of SIZE bytes to a lib/tenacious
 *                           log on VSA blog, each durable (its completion:
 *                           write and flush) before the next starts
 *   posix_append+fdatasync  COUNT write()s of SIZE bytes, each followed by
 *                           fdatasync(), to /data/bench on vsafs on VSA bfs
 *   randread4k, randwrite4k RCOUNT 4 KiB reads (then writes) at random
 *                           4 KiB-aligned places of VSA braw, queue depth
 *                           1, straight through the VSIC (no cache: as
 *                           Linux's O_DIRECT; writes not flushed, as there)
 *
 * Each VSA is made 8 MiB long if the disk has none of its name
 * (vsic_blk_open). Every failure is said and ends the run with status 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arrakis/vsic.h>
#include <tenacious/tenacious.h>
#include <vsafs/vsafs.h>

#define RAND_BYTES 4096u

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double percentile(const double *sorted, long n, double p)
{
    long i = (long)(p * (double)(n - 1) + 0.5);
    return sorted[i < n ? i : n - 1];
}

/* As blkbench's report(). */
static void report(const char *op, long count, long size, double *lat, double total_us)
{
    qsort(lat, (size_t)count, sizeof lat[0], cmp_double);
    printf("{\"op\": \"%s\", \"count\": %ld, \"size\": %ld, \"total_s\": %.3f, "
           "\"iops\": %.1f, \"p50_us\": %.1f, \"p99_us\": %.1f, \"max_us\": %.1f}\n",
           op, count, size, total_us / 1e6, (double)count / (total_us / 1e6),
           percentile(lat, count, 0.50), percentile(lat, count, 0.99), lat[count - 1]);
    fflush(stdout);
}

static int fail(const char *what, errval_t err)
{
    printf("storagebench: %s: %s\n", what, err_name(err_no(err)));
    return 1;
}

static errval_t no_replay(void *cookie, uint64_t seq, const void *data, size_t len)
{
    (void)cookie, (void)seq, (void)data, (void)len;
    return ERR_OK;
}

static int bench_tenacious(struct blk_dev *dev, long count, long size, double *lat)
{
    errval_t err = tenacious_format(dev, 0, dev->blocks);
    struct tenacious *log = NULL;
    if (err_is_ok(err))
        err = tenacious_open(dev, 0, dev->blocks, no_replay, NULL, &log);
    if (err_is_fail(err))
        return fail("tenacious log", err);
    char *rec = malloc((size_t)size);
    if (!rec)
        return fail("record", TENACIOUS_ERR_NO_MEMORY);
    double start = now_us();
    for (long i = 0; i < count; i++) {
        snprintf(rec, (size_t)size, "record %ld\n", i);
        double t = now_us();
        err = tenacious_append_sync(log, rec, (size_t)size, NULL);
        if (err_no(err) == TENACIOUS_ERR_FULL && err_is_ok(err = tenacious_reset(log)))
            err = tenacious_append_sync(log, rec, (size_t)size, NULL);
        if (err_is_fail(err))
            return fail("tenacious_append_sync", err);
        lat[i] = now_us() - t;
    }
    report("tenacious_append", count, size, lat, now_us() - start);
    tenacious_close(log);
    free(rec);
    return 0;
}

static int bench_posix(struct blk_dev *dev, long count, long size, double *lat)
{
    errval_t err = vsafs_mount("/data", dev, true);
    if (err_is_fail(err))
        return fail("mount /data", err);
    int fd = open("/data/bench", O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
    char *rec = calloc(1, (size_t)size);
    if (fd < 0 || !rec) {
        printf("storagebench: /data/bench: %s\n", strerror(errno));
        return 1;
    }
    double start = now_us();
    for (long i = 0; i < count; i++) {
        snprintf(rec, (size_t)size, "record %ld\n", i);
        double t = now_us();
        if (write(fd, rec, (size_t)size) != size || fdatasync(fd) != 0) {
            printf("storagebench: write/fdatasync %ld: %s\n", i, strerror(errno));
            return 1;
        }
        lat[i] = now_us() - t;
    }
    report("posix_append+fdatasync", count, size, lat, now_us() - start);
    close(fd);
    free(rec);
    return 0;
}

static void done_fn(void *cookie, errval_t status)
{
    *(errval_t *)cookie = status;
}

/* One request, waited for: its status. */
static errval_t one(struct blk_dev *dev, bool write, uint64_t block, uint32_t count, void *buf)
{
    errval_t st = (errval_t)~0ull;
    errval_t err = write ? dev->ops->write(dev, block, count, buf, done_fn, &st)
                         : dev->ops->read(dev, block, count, buf, done_fn, &st);
    while (err_is_ok(err) && st == (errval_t)~0ull)
        err = dev->ops->wait(dev, 0);
    return err_is_fail(err) ? err : st;
}

static int bench_rand(struct blk_dev *dev, bool write, long count, double *lat)
{
    uint32_t per = RAND_BYTES / dev->block_size;
    uint64_t places = dev->blocks / per;
    uint8_t *buf = dev->ops->buf_alloc(dev, RAND_BYTES);
    if (!buf || places == 0)
        return fail("4 KiB buffer", VSIC_ERR_BUF);
    memset(buf, 0x5a, RAND_BYTES);
    uint64_t x = 0x9e3779b97f4a7c15ull;
    double start = now_us();
    for (long i = 0; i < count; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;        /* xorshift64 */
        uint64_t block = (x % places) * per;
        double t = now_us();
        errval_t err = one(dev, write, block, per, buf);
        if (err_is_fail(err))
            return fail(write ? "random write" : "random read", err);
        lat[i] = now_us() - t;
    }
    report(write ? "randwrite4k" : "randread4k", count, RAND_BYTES, lat, now_us() - start);
    dev->ops->buf_free(dev, buf);
    return 0;
}

int main(int argc, char *argv[])
{
    if (argc != 7) {
        printf("usage: storagebench LOGVSA FSVSA RAWVSA COUNT SIZE RCOUNT\n");
        return 2;
    }
    long count = strtol(argv[4], NULL, 10), size = strtol(argv[5], NULL, 10);
    long rcount = strtol(argv[6], NULL, 10);
    if (count < 1 || count > 100000 || size < 16 || size > 65536 || rcount < 1 || rcount > 100000) {
        printf("storagebench: COUNT and RCOUNT 1..100000, SIZE 16..65536\n");
        return 2;
    }
    long most = count > rcount ? count : rcount;
    double *lat = malloc((size_t)most * sizeof(double));
    struct blk_dev *logdev, *fsdev, *rawdev;
    errval_t err = vsic_blk_open(argv[1], &logdev);
    if (err_is_ok(err))
        err = vsic_blk_open(argv[2], &fsdev);
    if (err_is_ok(err))
        err = vsic_blk_open(argv[3], &rawdev);
    if (err_is_fail(err) || !lat)
        return fail("VSAs", err_is_fail(err) ? err : TENACIOUS_ERR_NO_MEMORY);
    int r = bench_tenacious(logdev, count, size, lat);
    if (!r)
        r = bench_posix(fsdev, count, size, lat);
    if (!r)
        r = bench_rand(rawdev, false, rcount, lat);
    if (!r)
        r = bench_rand(rawdev, true, rcount, lat);
    printf("storagebench: %s\n", r ? "failed" : "done");
    return r;
}
