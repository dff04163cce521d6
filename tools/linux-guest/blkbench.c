/*
 * blkbench: the Linux side of make bench's storage table (tools/linux-guest).
 *
 * Runs inside the Linux comparison guest, on the same emulated NVMe this OS
 * drives through a VSIC, and prints one JSON object per run on stdout:
 *
 *   blkbench append FILE COUNT SIZE
 *       COUNT durable appends of SIZE bytes to FILE (created, truncated):
 *       each is write() + fdatasync(), timed on CLOCK_MONOTONIC; the file
 *       is on ext4 in the guest (the usual way a Linux program makes a
 *       record durable).
 *   blkbench rand DEV read|write OFFSET SPAN COUNT
 *       COUNT 4 KiB reads or writes at random 4 KiB-aligned offsets in
 *       [OFFSET, OFFSET+SPAN) of the raw device, O_DIRECT, one at a time
 *       (queue depth 1); writes are not followed by a flush.
 *
 * Output fields: op, count, size, total_s, iops, p50_us, p99_us, max_us.
 * Every failed call is reported with errno and the program exits 1, so the
 * benchmark never prints a figure for I/O that did not happen.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BLOCK 4096u
#define MAX_COUNT 1000000L

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
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

static void report(const char *op, long count, long size, double *lat, double total_us)
{
    qsort(lat, (size_t)count, sizeof lat[0], cmp_double);
    printf("{\"op\": \"%s\", \"count\": %ld, \"size\": %ld, \"total_s\": %.3f, "
           "\"iops\": %.1f, \"p50_us\": %.1f, \"p99_us\": %.1f, \"max_us\": %.1f}\n",
           op, count, size, total_us / 1e6, count / (total_us / 1e6),
           percentile(lat, count, 0.50), percentile(lat, count, 0.99), lat[count - 1]);
    fflush(stdout);
}

static long number(const char *s, const char *what, long min, long max)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 0);
    if (errno || *end || v < min || v > max) {
        fprintf(stderr, "blkbench: %s '%s' is not a number in [%ld, %ld]\n", what, s, min, max);
        exit(2);
    }
    return v;
}

static void fail(const char *call, long i)
{
    fprintf(stderr, "blkbench: %s failed at operation %ld: %s\n", call, i, strerror(errno));
    exit(1);
}

static int run_append(const char *path, long count, long size)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
    if (fd < 0)
        fail("open", 0);
    char *rec = malloc((size_t)size);
    double *lat = malloc(sizeof(double) * (size_t)count);
    if (!rec || !lat)
        fail("malloc", 0);
    double start = now_us();
    for (long i = 0; i < count; i++) {
        memset(rec, 'a' + (int)(i % 26), (size_t)size);
        snprintf(rec, (size_t)size, "record %ld\n", i);
        double t0 = now_us();
        if (write(fd, rec, (size_t)size) != size)
            fail("write", i);
        if (fdatasync(fd) != 0)
            fail("fdatasync", i);
        lat[i] = now_us() - t0;
    }
    report("append+fdatasync", count, size, lat, now_us() - start);
    close(fd);
    return 0;
}

static int run_rand(const char *dev, int writing, long offset, long span, long count)
{
    if (offset % BLOCK || span % BLOCK || span < (long)BLOCK) {
        fprintf(stderr, "blkbench: OFFSET and SPAN must be multiples of %u\n", BLOCK);
        return 2;
    }
    int fd = open(dev, (writing ? O_RDWR : O_RDONLY) | O_DIRECT);
    if (fd < 0)
        fail("open O_DIRECT", 0);
    void *buf;
    if (posix_memalign(&buf, BLOCK, BLOCK) != 0)
        fail("posix_memalign", 0);
    memset(buf, 0x5a, BLOCK);
    double *lat = malloc(sizeof(double) * (size_t)count);
    if (!lat)
        fail("malloc", 0);
    uint64_t x = 0x9e3779b97f4a7c15ull;   /* xorshift: the same offsets every run */
    long blocks = span / (long)BLOCK;
    double start = now_us();
    for (long i = 0; i < count; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        off_t at = offset + (off_t)(x % (uint64_t)blocks) * BLOCK;
        double t0 = now_us();
        ssize_t n = writing ? pwrite(fd, buf, BLOCK, at) : pread(fd, buf, BLOCK, at);
        if (n != (ssize_t)BLOCK)
            fail(writing ? "pwrite" : "pread", i);
        lat[i] = now_us() - t0;
    }
    report(writing ? "randwrite4k" : "randread4k", count, BLOCK, lat, now_us() - start);
    close(fd);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "append") == 0)
        return run_append(argv[2], number(argv[3], "COUNT", 1, MAX_COUNT),
                          number(argv[4], "SIZE", 1, 1 << 20));
    if (argc == 7 && strcmp(argv[1], "rand") == 0 &&
        (strcmp(argv[3], "read") == 0 || strcmp(argv[3], "write") == 0))
        return run_rand(argv[2], argv[3][0] == 'w', number(argv[4], "OFFSET", 0, 1L << 40),
                        number(argv[5], "SPAN", BLOCK, 1L << 40), number(argv[6], "COUNT", 1, MAX_COUNT));
    fprintf(stderr, "usage: blkbench append FILE COUNT SIZE\n"
                    "       blkbench rand DEV read|write OFFSET SPAN COUNT\n");
    return 2;
}
