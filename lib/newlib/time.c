/*
 * time.c: clocks and sleeping for newlib programs, from the TSC.
 *
 * The kernel calibrates the TSC against the PIT at boot and reads the CMOS
 * RTC once; both are in the dispatcher page (tsc_hz, rtc_epoch_s with the
 * TSC value rtc_tsc it was read at). So:
 *   CLOCK_MONOTONIC  tsc / tsc_hz (never goes back: one invariant TSC)
 *   CLOCK_REALTIME   rtc_epoch_s + (tsc - rtc_tsc) / tsc_hz
 * gettimeofday, time() (through _gettimeofday_r), times() and clock()
 * (process time is approximated by monotonic time since start) follow.
 * nanosleep waits until the TSC passes the deadline, letting the
 * dispatcher's other threads run and otherwise sleeping tick by tick
 * (thread_relax), so it never returns early; it is not interruptible
 * (no signals).
 */
#include <errno.h>
#include <reent.h>
#include <stdint.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

#include <libos/libos.h>
#include <libos/thread.h>
#include <libos/tsc.h>

#define NS_PER_S 1000000000ull

static uint64_t time_start_tsc;

/* ticks at hz as seconds and nanoseconds, without overflowing 64 bits. */
static struct timespec time_from_ticks(uint64_t ticks, uint64_t hz)
{
    uint64_t s = ticks / hz, rem = ticks % hz;
    return (struct timespec){ .tv_sec = (time_t)s,
                              .tv_nsec = (long)((unsigned __int128)rem * NS_PER_S / hz) };
}

static int time_now(clockid_t clk, struct timespec *ts)
{
    struct dispatcher_shared *s = libos_disp();
    uint64_t hz = s->tsc_hz ? s->tsc_hz : 1, now = rdtsc_now();
    switch (clk) {
    case CLOCK_MONOTONIC:
        *ts = time_from_ticks(now, hz);
        return 0;
    case CLOCK_REALTIME: {
        uint64_t since = now > s->rtc_tsc ? now - s->rtc_tsc : 0;
        *ts = time_from_ticks(since, hz);
        ts->tv_sec += (time_t)s->rtc_epoch_s;
        return 0;
    }
    case CLOCK_PROCESS_CPUTIME_ID:
    case CLOCK_THREAD_CPUTIME_ID:
        *ts = time_from_ticks(now - time_start_tsc, hz);
        return 0;
    default:
        return EINVAL;
    }
}

int clock_gettime(clockid_t clk, struct timespec *ts)
{
    int err = ts ? time_now(clk, ts) : EFAULT;
    if (err) {
        errno = err;
        return -1;
    }
    return 0;
}

int clock_getres(clockid_t clk, struct timespec *res)
{
    struct timespec ignored;
    if (time_now(clk, &ignored)) {
        errno = EINVAL;
        return -1;
    }
    if (res)
        *res = (struct timespec){ 0, 1 };
    return 0;
}

int _gettimeofday_r(struct _reent *r, struct timeval *tv, void *tz)
{
    struct timespec ts;
    (void)time_now(CLOCK_REALTIME, &ts);
    if (tv)
        *tv = (struct timeval){ .tv_sec = ts.tv_sec, .tv_usec = ts.tv_nsec / 1000 };
    return 0;
}

int gettimeofday(struct timeval *tv, void *tz) { return _gettimeofday_r(_REENT, tv, tz); }

/* CLK_TCK is 1000 in newlib's <time.h> for this target. */
clock_t _times_r(struct _reent *r, struct tms *buf)
{
    uint64_t hz = libos_tsc_hz() ? libos_tsc_hz() : 1;
    clock_t t = (clock_t)((unsigned __int128)(rdtsc_now() - time_start_tsc) * CLOCKS_PER_SEC / hz);
    if (buf)
        *buf = (struct tms){ .tms_utime = t, .tms_stime = 0, .tms_cutime = 0, .tms_cstime = 0 };
    return t;
}

clock_t times(struct tms *buf) { return _times_r(_REENT, buf); }

void time_init(void);
void time_init(void)
{
    time_start_tsc = rdtsc_now();
}

/* Sleeps until the TSC reaches `deadline`. */
static void time_sleep_until(uint64_t deadline)
{
    while (rdtsc_now() < deadline)
        thread_relax(true);
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
    if (!req || req->tv_nsec < 0 || req->tv_nsec >= (long)NS_PER_S || req->tv_sec < 0) {
        errno = EINVAL;
        return -1;
    }
    uint64_t hz = libos_tsc_hz();
    uint64_t ticks = (uint64_t)req->tv_sec * hz +
                     (uint64_t)((unsigned __int128)(uint64_t)req->tv_nsec * hz / NS_PER_S) + 1;
    time_sleep_until(rdtsc_now() + ticks);
    if (rem)
        *rem = (struct timespec){ 0, 0 };
    return 0;
}

int clock_nanosleep(clockid_t clk, int flags, const struct timespec *req, struct timespec *rem)
{
    if (!req)
        return EINVAL;
    struct timespec now, rel = *req;
    if (flags & TIMER_ABSTIME) {
        int err = time_now(clk, &now);
        if (err)
            return err;
        rel.tv_sec -= now.tv_sec;
        rel.tv_nsec -= now.tv_nsec;
        if (rel.tv_nsec < 0) {
            rel.tv_nsec += NS_PER_S;
            rel.tv_sec--;
        }
        if (rel.tv_sec < 0)
            return 0;
    }
    return nanosleep(&rel, rem) ? errno : 0;
}

int usleep(useconds_t us)
{
    struct timespec ts = { .tv_sec = us / 1000000, .tv_nsec = (long)(us % 1000000) * 1000 };
    return nanosleep(&ts, NULL);
}

unsigned sleep(unsigned s)
{
    struct timespec ts = { .tv_sec = s, .tv_nsec = 0 };
    (void)nanosleep(&ts, NULL);
    return 0;
}
