/* pingpong a|b [COUNT]: two domains on different cores bounce COUNT
 * (default 100000) messages over a UMP channel in the frame their monitors
 * gave them (USER_SHARED_FRAME_VADDR). Side a sends sequence numbers with
 * a pattern and checks each echo; side b checks and echoes. Side a prints
 * the round-trip time in cycles (median and 99th percentile). */
#include <libos/debug.h>
#include <libos/libos.h>
#include <libos/stats.h>
#include <libos/syscall.h>
#include <libos/tsc.h>
#include <libos/ump.h>
#include <kpi/dispatcher.h>
#include <string.h>

#define CHANNEL_BYTES (16 * 1024)
#define SAMPLES_MAX 100000

static uint64_t samples[SAMPLES_MAX];

static void fill(uint64_t *w, uint64_t seq)
{
    w[0] = seq;
    for (int i = 1; i < UMP_PAYLOAD_WORDS; i++)
        w[i] = seq * 0x9e3779b97f4a7c15ull + (uint64_t)i;
}

static bool check(const uint64_t *w, uint64_t seq)
{
    uint64_t want[UMP_PAYLOAD_WORDS];
    fill(want, seq);
    return memcmp(w, want, sizeof(want)) == 0;
}

static void recv_wait(struct ump_chan *c, uint64_t *w)
{
    while (err_is_fail(ump_recv(c, w)))
        sys_yield(SYS_YIELD_SLICE);     /* alone on its core: back at once */
}

static void send_wait(struct ump_chan *c, const uint64_t *w)
{
    while (err_no(ump_send(c, w)) == UMP_ERR_FULL)
        sys_yield(SYS_YIELD_SLICE);
}

int main(int argc, char *argv[])
{
    bool side_a = argc > 1 && strcmp(argv[1], "a") == 0;
    uint64_t count = SAMPLES_MAX;
    if (argc > 2) {
        count = 0;
        for (const char *p = argv[2]; *p >= '0' && *p <= '9'; p++)
            count = count * 10 + (uint64_t)(*p - '0');
        if (count == 0 || count > SAMPLES_MAX)
            count = SAMPLES_MAX;
    }
    struct ump_chan chan;
    errval_t err = ump_spawn_chan_open(&chan, side_a);
    if (err_is_fail(err)) {
        debug_err("pingpong: channel", err);
        return 1;
    }
    debug_printf("pingpong %s: core %u, %lu round trips\n", side_a ? "a" : "b", libos_core_id(), count);
    uint64_t w[UMP_PAYLOAD_WORDS], bad = 0;
    for (uint64_t seq = 0; seq < count; seq++) {
        if (side_a) {
            uint64_t t0 = rdtsc_now();
            fill(w, seq);
            send_wait(&chan, w);
            recv_wait(&chan, w);
            samples[seq] = rdtsc_now() - t0;
            bad += !check(w, seq);
        } else {
            recv_wait(&chan, w);
            bad += !check(w, seq);
            send_wait(&chan, w);
        }
    }
    if (bad) {
        debug_printf("pingpong %s: %lu of %lu messages out of order or damaged\n",
                     side_a ? "a" : "b", bad, count);
        return 1;
    }
    if (side_a) {
        stats_sort(samples, count);
        debug_printf("pingpong a: %lu round trips in order and intact\n", count);
        debug_printf("bench: cross-core message round trip: median %lu cycles, p99 %lu cycles "
                     "(%lu samples)\n", stats_percentile(samples, count, 50),
                     stats_percentile(samples, count, 99), count);
    } else {
        debug_printf("pingpong b: %lu messages in order and intact\n", count);
    }
    return 0;
}
