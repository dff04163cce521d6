/*
 * suite.c: the library OS from an ordinary C program's side, in KTAP.
 *
 * libos_suite runs each test of suite_tests[] in turn and prints
 *     KTAP version 1
 *     1..N
 *     ok 1 printf_scanf          (or "not ok 1 ..." after "# FAIL" lines)
 * then "# libos_suite: P of N tests passed" and exits with status 0 only
 * if all passed. Every test calls ktap_check() once per fact. This file
 * has the single-threaded tests (stdio, strings, libm, malloc, files,
 * clocks, sleeping, ENOSYS); suite_threads.c has the pthread ones.
 * tests/system/test_libos_suite.py runs it on a 4-core system.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "suite.h"

static void test_printf_scanf(void)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%d|%5s|%-4x|%08.3f|%.2e|%g|%lld|%zu|%c", -17, "ab", 0xbeefu,
             3.14159, 12345.678, 0.5, -9000000000LL, (size_t)42, 'q');
    ktap_check(strcmp(buf, "-17|   ab|beef|0003.142|1.23e+04|0.5|-9000000000|42|q") == 0,
                "snprintf gave \"%s\"", buf);
    int i = 0;
    double d = 0;
    float f = 0;
    char word[16] = "";
    unsigned x = 0;
    int n = sscanf("  -123 2.5e3 1.25 hello 0x1F", "%d %lf %f %15s %x", &i, &d, &f, word, &x);
    ktap_check(n == 5, "sscanf matched %d of 5", n);
    ktap_check(i == -123 && d == 2500.0 && f == 1.25f && strcmp(word, "hello") == 0 && x == 31,
                "sscanf values %d %g %g %s %u", i, d, (double)f, word, x);
    double back = strtod("6.02214076e23", NULL);
    snprintf(buf, sizeof buf, "%.8e", back);
    ktap_check(strcmp(buf, "6.02214076e+23") == 0, "strtod/printf round trip \"%s\"", buf);
    printf("# printf %%.3f of pi: %.3f, sscanf read %d %g %s\n", 3.14159265, i, d, word);
}

static void test_string_math(void)
{
    char s[64] = "hello, world";
    ktap_check(strlen(s) == 12, "strlen %zu", strlen(s));
    ktap_check(strcmp("abc", "abd") < 0 && strncmp("abcx", "abcy", 3) == 0, "strcmp/strncmp");
    ktap_check(strstr(s, "world") == s + 7, "strstr");
    ktap_check(strchr(s, ',') == s + 5 && strrchr(s, 'o') == s + 8, "strchr/strrchr");
    memmove(s + 1, s, 5);
    ktap_check(memcmp(s, "hhello world", 6) == 0, "memmove overlapping");
    char toks[] = "a:bb::ccc", *save, *t;
    int ntok = 0;
    for (t = strtok_r(toks, ":", &save); t; t = strtok_r(NULL, ":", &save))
        ntok++;
    ktap_check(ntok == 3, "strtok_r found %d tokens", ntok);
    ktap_check(strtol("-0x7f", NULL, 16) == -127 && strtoul("777", NULL, 8) == 511, "strtol");
    ktap_check(fabs(sqrt(2.0) - 1.41421356237) < 1e-9, "sqrt(2) = %.12f", sqrt(2.0));
    ktap_check(fabs(sin(M_PI / 6) - 0.5) < 1e-12 && fabs(cos(0.0) - 1) < 1e-15, "sin/cos");
    ktap_check(pow(2, 10) == 1024 && fabs(exp(log(7.5)) - 7.5) < 1e-12, "pow/exp/log");
    ktap_check(floor(-2.5) == -3 && ceil(2.1) == 3 && fmod(7, 3) == 1 && round(2.5) == 3,
                "floor/ceil/fmod/round");
    ktap_check(fabs(atan2(1, 1) - M_PI / 4) < 1e-12 && isnan(sqrt(-1.0)), "atan2/nan");
}

/* 100000 random malloc/realloc/free over 512 slots, each block filled with
 * a pattern that names it, checked before every realloc and free. */
#define STRESS_SLOTS 512
#define STRESS_OPS 100000
static uint32_t stress_rng = 2463534242u;
static uint32_t stress_rand(void)
{
    stress_rng ^= stress_rng << 13;
    stress_rng ^= stress_rng >> 17;
    stress_rng ^= stress_rng << 5;
    return stress_rng;
}

static bool stress_check(const unsigned char *p, size_t n, unsigned char tag)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != (unsigned char)(tag + i))
            return false;
    return true;
}

static void stress_fill(unsigned char *p, size_t from, size_t n, unsigned char tag)
{
    for (size_t i = from; i < n; i++)
        p[i] = (unsigned char)(tag + i);
}

static void test_malloc_stress(void)
{
    static unsigned char *ptr[STRESS_SLOTS];
    static size_t len[STRESS_SLOTS];
    static unsigned char tag[STRESS_SLOTS];
    unsigned bad = 0, nomem = 0, mallocs = 0, reallocs = 0, frees = 0;
    for (int op = 0; op < STRESS_OPS; op++) {
        unsigned s = stress_rand() % STRESS_SLOTS;
        size_t n = (stress_rand() % 8 == 0) ? stress_rand() % 16384 + 1 : stress_rand() % 256 + 1;
        if (!ptr[s]) {
            ptr[s] = malloc(n);
            if (!ptr[s]) {
                nomem++;
                continue;
            }
            len[s] = n;
            tag[s] = (unsigned char)stress_rand();
            stress_fill(ptr[s], 0, n, tag[s]);
            mallocs++;
        } else if (stress_rand() % 2) {
            bad += !stress_check(ptr[s], len[s], tag[s]);
            unsigned char *q = realloc(ptr[s], n);
            if (!q) {
                nomem++;
                continue;
            }
            bad += !stress_check(q, n < len[s] ? n : len[s], tag[s]);
            stress_fill(q, len[s] < n ? len[s] : n, n, tag[s]);
            ptr[s] = q;
            len[s] = n;
            reallocs++;
        } else {
            bad += !stress_check(ptr[s], len[s], tag[s]);
            free(ptr[s]);
            ptr[s] = NULL;
            frees++;
        }
    }
    for (int s = 0; s < STRESS_SLOTS; s++) {
        if (ptr[s])
            bad += !stress_check(ptr[s], len[s], tag[s]);
        free(ptr[s]);
        ptr[s] = NULL;
    }
    ktap_check(bad == 0, "%u blocks lost their contents", bad);
    ktap_check(nomem == 0, "%u allocations failed", nomem);
    printf("# %d operations: %u malloc, %u realloc, %u free, contents checked\n", STRESS_OPS,
           mallocs, reallocs, frees);
}

static void test_file(void)
{
    static char data[10000], back[10000];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (char)('a' + i % 26);
    int fd = open("/tmp/suite.dat", O_CREAT | O_TRUNC | O_RDWR, 0644);
    ktap_check(fd >= 3, "open(O_CREAT) gave fd %d (errno %d)", fd, errno);
    ssize_t w = write(fd, data, sizeof data);
    ktap_check(w == (ssize_t)sizeof data, "write gave %zd", w);
    ktap_check(lseek(fd, 0, SEEK_SET) == 0, "lseek to 0");
    ssize_t r = read(fd, back, sizeof back);
    ktap_check(r == (ssize_t)sizeof back && memcmp(data, back, sizeof data) == 0,
                "read back %zd bytes, %s", r, memcmp(data, back, sizeof data) ? "different" : "same");
    struct stat st = { 0 };
    int fret = fstat(fd, &st);
    ktap_check(fret == 0 && st.st_size == (off_t)sizeof data, "fstat gave %d, size %ld", fret,
                (long)st.st_size);
    ktap_check(close(fd) == 0, "close");

    FILE *f = fopen("/tmp/suite.txt", "w");
    ktap_check(f != NULL, "fopen for writing");
    if (f) {
        fprintf(f, "line %d %.2f\n", 1, 2.5);
        fputs("second line\n", f);
        fclose(f);
    }
    f = fopen("/tmp/suite.txt", "a");
    if (f) {
        fputs("appended\n", f);
        fclose(f);
    }
    char line[64] = "";
    int n1 = 0;
    double d1 = 0;
    f = fopen("/tmp/suite.txt", "r");
    ktap_check(f != NULL, "fopen for reading");
    if (f) {
        ktap_check(fscanf(f, "line %d %lf\n", &n1, &d1) == 2 && n1 == 1 && d1 == 2.5,
                    "fscanf read %d %g", n1, d1);
        ktap_check(fgets(line, sizeof line, f) && strcmp(line, "second line\n") == 0,
                    "fgets \"%s\"", line);
        ktap_check(fgets(line, sizeof line, f) && strcmp(line, "appended\n") == 0,
                    "O_APPEND line \"%s\"", line);
        ktap_check(fgets(line, sizeof line, f) == NULL && feof(f), "end of file");
        fclose(f);
    }
    int sret = stat("/tmp/suite.txt", &st);
    ktap_check(sret == 0 && st.st_size == 33, "stat gave %d, size %ld", sret, (long)st.st_size);
    ktap_check(unlink("/tmp/suite.txt") == 0 && unlink("/tmp/suite.dat") == 0, "unlink");
    errno = 0;
    ktap_check(open("/tmp/suite.txt", O_RDONLY) == -1 && errno == ENOENT,
                "open after unlink: errno %d", errno);
    printf("# wrote, read back and compared %zu bytes; stdio line file round trip\n",
           sizeof data);
}

static void test_clock(void)
{
    struct timespec prev, now, res;
    ktap_check(clock_gettime(CLOCK_MONOTONIC, &prev) == 0, "clock_gettime(MONOTONIC)");
    unsigned backwards = 0;
    for (int i = 0; i < 10000; i++) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec < prev.tv_sec || (now.tv_sec == prev.tv_sec && now.tv_nsec < prev.tv_nsec))
            backwards++;
        prev = now;
    }
    ktap_check(backwards == 0, "monotonic clock went back %u times", backwards);
    ktap_check(now.tv_nsec >= 0 && now.tv_nsec < 1000000000L, "tv_nsec in range");
    struct timespec real;
    ktap_check(clock_gettime(CLOCK_REALTIME, &real) == 0 && real.tv_sec > 1577836800,
                "realtime %lld is after 2020", (long long)real.tv_sec);
    time_t t = time(NULL);
    ktap_check(t >= real.tv_sec && t - real.tv_sec < 5, "time() %lld", (long long)t);
    ktap_check(clock_getres(CLOCK_MONOTONIC, &res) == 0, "clock_getres");
    errno = 0;
    ktap_check(clock_gettime((clockid_t)99, &now) == -1 && errno == EINVAL, "bad clock: EINVAL");
    char date[32];
    strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S", gmtime(&t));
    printf("# realtime %s UTC, monotonic %lld.%09ld s\n", date, (long long)prev.tv_sec,
           prev.tv_nsec);
}

static void test_nanosleep(void)
{
    struct timespec req = { 0, 10 * 1000 * 1000 };
    long long t0 = ktap_now_ns();
    int ret = nanosleep(&req, NULL);
    long long slept = ktap_now_ns() - t0;
    ktap_check(ret == 0, "nanosleep returned %d", ret);
    ktap_check(slept >= 10000000LL, "nanosleep(10 ms) slept %lld ns", slept);
    t0 = ktap_now_ns();
    usleep(2000);
    ktap_check(ktap_now_ns() - t0 >= 2000000LL, "usleep(2000)");
    clock_t c = clock();
    ktap_check(c != (clock_t)-1, "clock()");
    printf("# nanosleep(10 ms) took %lld us\n", slept / 1000);
}

static void test_mmap_anonymous(void)
{
    size_t len = 3 * 4096 + 100;
    unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (!ktap_check(p != MAP_FAILED, "mmap anonymous: errno %d", errno))
        return;
    bool zero = true;
    for (size_t i = 0; i < len; i++)
        zero &= p[i] == 0;
    ktap_check(zero, "fresh anonymous memory is zero");
    for (size_t i = 0; i < len; i++)
        p[i] = (unsigned char)(i * 7);
    bool same = true;
    for (size_t i = 0; i < len; i++)
        same &= p[i] == (unsigned char)(i * 7);
    ktap_check(same, "anonymous memory keeps what was written");
    ktap_check(munmap(p, len) == 0, "munmap: errno %d", errno);
    errno = 0;
    void *f = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 3, 0);
    ktap_check(f == MAP_FAILED && errno == ENOSYS, "file mapping: ENOSYS (errno %d)", errno);
}

static int suite_argc;
static char **suite_argv;

static void test_env_from_spawn(void)
{
    const char *mode = getenv("SUITE_MODE");
    ktap_check(mode && strcmp(mode, "ktap") == 0, "getenv(SUITE_MODE) = %s (spawn with SUITE_MODE=ktap)",
                mode ? mode : "(null)");
    for (int i = 1; i < suite_argc; i++)
        ktap_check(strchr(suite_argv[i], '=') == NULL, "argv[%d] = %s is an assignment", i, suite_argv[i]);
}

static void test_enosys(void)
{
    errno = 0;
    pid_t p = fork();
    ktap_check(p == -1 && errno == ENOSYS, "fork gave %d errno %d", (int)p, errno);
    errno = 0;
    ktap_check(kill(1, 9) == -1 && errno == ENOSYS, "kill: errno %d", errno);
    errno = 0;
    ktap_check(fork() == -1 && errno == ENOSYS, "fork again");
    ktap_check(getenv("HOME") == NULL, "getenv of an unset name is NULL");
    ktap_check(setenv("SUITE", "yes", 1) == 0 && getenv("SUITE") && !strcmp(getenv("SUITE"), "yes"),
                "setenv/getenv");
    ktap_check(getpid() > 0, "getpid %d", (int)getpid());
}

static const struct ktap_test suite_tests[] = {
    { "printf_scanf", test_printf_scanf },
    { "string_math", test_string_math },
    { "heap_grows_on_every_core", test_heap_other_cores },
    { "malloc_stress_100000", test_malloc_stress },
    { "file_write_read_back", test_file },
    { "clock_monotonic_realtime", test_clock },
    { "nanosleep_10ms", test_nanosleep },
    { "mutex_8_threads_4_cores", test_mutex_counter },
    { "mutex_recursive_errorcheck", test_mutex_kinds },
    { "condvar_producer_consumer", test_condvar },
    { "condvar_timedwait", test_cond_timeout },
    { "tls_per_thread", test_tls },
    { "rwlock_once_keys", test_rwlock_once_keys },
    { "waits_park_and_wake", test_waits_park },
    { "mmap_anonymous", test_mmap_anonymous },
    { "environment_from_spawn", test_env_from_spawn },
    { "unsupported_call_enosys", test_enosys },
};
#define SUITE_COUNT (int)(sizeof suite_tests / sizeof suite_tests[0])

int main(int argc, char *argv[])
{
    suite_argc = argc;
    suite_argv = argv;
    return ktap_run("libos_suite", suite_tests, SUITE_COUNT);
}
