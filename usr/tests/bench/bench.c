/* bench [COUNT]: round-trip cost in cycles of a null system call and of a
 * local message (LMP: Endpoint.send to this domain's own endpoint, then
 * take it from the ring), median and 99th percentile over COUNT (default
 * 100000) runs. The cross-core figure comes from pingpong. */
#include <libos/debug.h>
#include <libos/lmp.h>
#include <libos/stats.h>
#include <libos/syscall.h>
#include <libos/tsc.h>
#include <libos/libos.h>
#include <kpi/cspace.h>

#define SAMPLES_MAX 100000
static uint64_t samples[SAMPLES_MAX];

static void report(const char *what, uint64_t n)
{
    stats_sort(samples, n);
    debug_printf("bench: %s: median %lu cycles, p99 %lu cycles (%lu samples)\n", what,
                 stats_percentile(samples, n, 50), stats_percentile(samples, n, 99), n);
}

int main(int argc, char *argv[])
{
    uint64_t n = SAMPLES_MAX;
    if (argc > 1) {
        n = 0;
        for (const char *p = argv[1]; *p >= '0' && *p <= '9'; p++)
            n = n * 10 + (uint64_t)(*p - '0');
        if (n == 0 || n > SAMPLES_MAX)
            n = SAMPLES_MAX;
    }
    debug_printf("bench: core %u, tsc %lu MHz\n", libos_core_id(), libos_tsc_hz() / 1000000);
    for (uint64_t i = 0; i < n; i++) {
        uint64_t t0 = rdtsc_now();
        sys_null();
        samples[i] = rdtsc_now() - t0;
    }
    report("null system call", n);
    struct dispatcher_shared *s = libos_disp();
    for (uint64_t i = 0; i < n; i++) {
        struct lmp_msg m;
        uint64_t t0 = rdtsc_now();
        errval_t err = lmp_send(CAP_TASK(TASKCN_SLOT_SELFEP), i, 0, 0, 0);
        if (err_is_fail(err) || !lmp_ring_take(s, &m) || m.words[0] != i) {
            debug_err("bench: local message", err);
            return 1;
        }
        samples[i] = rdtsc_now() - t0;
    }
    report("local message round trip (send + receive)", n);
    return 0;
}
