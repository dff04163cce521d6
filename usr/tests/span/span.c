/* span [N] [hold]: one domain on every core. The first dispatcher spans to each
 * other core (Dispatcher.span); on each, a thread adds N (default 1000) to
 * a counter in the domain's one address space with atomic adds. The first
 * dispatcher waits until the counter holds the sum, which it can only do
 * if all of them share the same memory. With "hold", every dispatcher
 * keeps running afterwards (to be killed: the kernel must stop them all
 * before it frees the address space). */
#include <libos/debug.h>
#include <libos/libos.h>
#include <libos/syscall.h>
#include <libos/thread.h>
#include <libos/tsc.h>
#include <stdbool.h>

#define WAIT_S 20

static volatile uint64_t counter;
static volatile uint32_t arrived;
static volatile bool hold;

static void hold_forever(void)
{
    for (;;)
        sys_yield(SYS_YIELD_BLOCK);     /* wakes every tick: still running */
}

static int worker(void *arg)
{
    uint64_t n = (uint64_t)(uintptr_t)arg;
    for (uint64_t i = 0; i < n; i++)
        __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED);
    debug_printf("span: dispatcher on core %u added %lu to the shared counter\n", libos_core_id(), n);
    __atomic_add_fetch(&arrived, 1, __ATOMIC_RELEASE);
    if (hold)
        hold_forever();
    return 0;
}

int main(int argc, char *argv[])
{
    uint64_t n = 1000;
    hold = argc > 2 && argv[2][0] == 'h';
    if (argc > 1) {
        n = 0;
        for (const char *p = argv[1]; *p >= '0' && *p <= '9'; p++)
            n = n * 10 + (uint64_t)(*p - '0');
    }
    uint32_t ncores = (uint32_t)libos_ncores(), me = libos_core_id(), started = 0;
    for (uint32_t c = 0; c < ncores; c++) {
        if (c == me)
            continue;
        errval_t err = disp_span(c, worker, (void *)(uintptr_t)n);
        if (err_is_fail(err))
            debug_err("span: Dispatcher.span", err);
        else
            started++;
    }
    uint64_t deadline = rdtsc_now() + WAIT_S * libos_tsc_hz();
    while (__atomic_load_n(&arrived, __ATOMIC_ACQUIRE) < started && rdtsc_now() < deadline)
        sys_yield(SYS_YIELD_SLICE);
    uint64_t want = started * n, got = __atomic_load_n(&counter, __ATOMIC_ACQUIRE);
    debug_printf("span: domain %#x on %u cores, one address space: counter %lu, expected %lu: %s\n",
                 libos_domain_id(), started + 1, got, want, got == want ? "ok" : "WRONG");
    if (hold)
        hold_forever();
    return got == want && started == ncores - 1 ? 0 : 1;
}
