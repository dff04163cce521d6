/* bench [COUNT]: round-trip cost in cycles of a null system call and of a
 * local message (LMP: Endpoint.send to this domain's own endpoint, then
 * take it from the ring), median and 99th percentile over COUNT (default
 * 100000) runs; then, run on a core other than the NIC's (0), of a VNIC
 * control call forwarded to the NIC's core and answered (VNIC.rate_set(0):
 * "no limit", which QEMU's igb refuses with RATE_ERR_NO_HW_LIMITER after
 * the NIC's core has written and read back its register), over
 * FORWARD_SAMPLES runs, and of one that touches no device register
 * (VNIC.unregister_dma of a Frame never registered: VNIC_ERR_NOT_REGISTERED),
 * to tell the cross-core path from the emulated NIC's register access.
 * The cross-core message figure comes from pingpong. */
#include <libos/debug.h>
#include <libos/lmp.h>
#include <libos/stats.h>
#include <libos/syscall.h>
#include <libos/tsc.h>
#include <libos/libos.h>
#include <libos/vnic.h>
#include <libos/ram.h>
#include <kpi/cspace.h>
#include <kpi/dispatcher.h>

#define SAMPLES_MAX 100000
#define FORWARD_SAMPLES 200         /* forwarded calls were 10-20 ms each */
#define VNIC CAP_TASK(TASKCN_SLOT_RECV)
#define FRAME_VA USER_MAP_BASE      /* a Frame for unregister_dma */
static uint64_t samples[SAMPLES_MAX];

static void report(const char *what, uint64_t n)
{
    stats_sort(samples, n);
    debug_printf("bench: %s: median %lu cycles, p99 %lu cycles (%lu samples)\n", what,
                 stats_percentile(samples, n, 50), stats_percentile(samples, n, 99), n);
}

/* A VNIC held on this core; every control call on it goes to core 0. */
static int forwarded_calls(void)
{
    unsigned vf;
    errval_t err = vnic_acquire(&vf);
    if (err_is_fail(err)) {
        debug_err("bench: forwarded VNIC control call: no VNIC", err);
        return 1;
    }
    for (uint64_t i = 0; i < FORWARD_SAMPLES; i++) {
        uint64_t t0 = rdtsc_now();
        err = sys_invoke(VNIC, VNIC_CMD_RATE_SET, 0, 0, 0, 0).err;
        samples[i] = rdtsc_now() - t0;
        if (err_no(err) != RATE_ERR_NO_HW_LIMITER && err_is_fail(err)) {
            debug_err("bench: forwarded VNIC control call", err);
            return 1;
        }
    }
    report("forwarded VNIC control call (rate_set)", FORWARD_SAMPLES);
    capaddr_t frame;
    if (err_is_fail(err = ram_map_new(FRAME_VA, 4096, &frame))) {
        debug_err("bench: forwarded VNIC control call: no Frame", err);
        return 1;
    }
    for (uint64_t i = 0; i < FORWARD_SAMPLES; i++) {
        uint64_t t0 = rdtsc_now();
        err = sys_invoke(VNIC, VNIC_CMD_UNREGISTER_DMA, frame, 0, 0, 0).err;
        samples[i] = rdtsc_now() - t0;
        if (err_no(err) != VNIC_ERR_NOT_REGISTERED) {
            debug_err("bench: forwarded unregister_dma", err);
            return 1;
        }
    }
    report("forwarded unregister_dma (no NIC register)", FORWARD_SAMPLES);
    return 0;
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
    return libos_core_id() == 0 ? 0 : forwarded_calls();
}
