/* doorbelltest [N]: a Doorbell on this domain's VNIC. It routes the VF's
 * MSI-X entry 0 here, then raises that entry N times by hand (the VF's
 * EICS register) while a second thread sleeps in libos_doorbell_wait:
 * every ring must wake it, through the kernel's interrupt handler and an
 * upcall. Refusals (a second doorbell, a bad entry) are printed; after the
 * Doorbell is deleted, rings must no longer arrive. */
#include <libos/debug.h>
#include <libos/doorbell.h>
#include <libos/words.h>
#include <libos/libos.h>
#include <libos/syscall.h>
#include <libos/thread.h>
#include <libos/tsc.h>
#include <libos/vnic.h>
#include <kpi/cspace.h>
#include <kpi/syscall.h>
#include <net/igb/shared/mbx.h>
#include <net/igb/shared/vfregs.h>
#include <net/igb/vf/mbx.h>

#define ROOTCN CAP_TASK(TASKCN_SLOT_ROOTCN)
#define VNIC CAP_TASK(TASKCN_SLOT_RECV)
#define DOORBELL CAP_SLOT(1)
#define REGS_VA USER_MAP_BASE
#define MAX_RINGS 1000

static volatile unsigned woken;
static volatile uint64_t rung_at;
static uint64_t latency[MAX_RINGS];
static unsigned rings;

static void wr(unsigned off, uint32_t v) { *(volatile uint32_t *)(uintptr_t)(REGS_VA + off) = v; }

static uint32_t seen_at_start;

static int waiter(void *arg)
{
    (void)arg;
    uint32_t seen = seen_at_start;
    while (woken < rings) {
        uint64_t deadline = rdtsc_now() + libos_tsc_hz();
        if (err_is_fail(libos_doorbell_wait(&seen, deadline)))
            return 1;                   /* a ring did not arrive within a second */
        latency[woken] = rdtsc_now() - rung_at;
        wr(IGBVF_EICR, 1);              /* served: the next EICS raises it anew */
        wr(IGBVF_EIMS, 1);
        woken++;
    }
    return 0;
}

static void sort(uint64_t *a, unsigned n)
{
    for (unsigned i = 1; i < n; i++)
        for (unsigned j = i; j > 0 && a[j - 1] > a[j]; j--) {
            uint64_t t = a[j];
            a[j] = a[j - 1];
            a[j - 1] = t;
        }
}

int main(int argc, char *argv[])
{
    uint64_t n = 100;
    if (argc > 1 && !words_u64(argv[1], &n))
        n = 0;
    rings = (unsigned)n;
    if (rings == 0 || rings > MAX_RINGS)
        rings = 100;
    unsigned vf;
    uint32_t msg = IGB_VF_RESET, reply[4];
    errval_t err = vnic_acquire(&vf);
    if (err_is_ok(err))
        err = sys_invoke(VNIC, VNIC_CMD_MAP_REGS, REGS_VA, 0, 0, 0).err;
    if (err_is_ok(err))
        err = igbvf_mbx_call((volatile uint8_t *)(uintptr_t)REGS_VA, &msg, 1, reply);
    if (err_is_ok(err))
        err = vnic_doorbell_create(VNIC, 0, DOORBELL);
    if (err_is_fail(err)) {
        debug_err("doorbelltest: set-up", err);
        return 1;
    }
    errval_t twice = vnic_doorbell_create(VNIC, 0, CAP_SLOT(2));
    errval_t bad_entry = vnic_doorbell_create(VNIC, 9, CAP_SLOT(2));
    debug_printf("doorbelltest: VF %u doorbell on MSI-X entry 0; a second one: %s; entry 9: %s\n",
                 vf, err_name(err_no(twice)), err_name(err_no(bad_entry)));
    wr(IGBVF_EIAC, 1);                  /* EICR bit 0 clears itself on the MSI-X */
    wr(IGBVF_EIMS, 1);
    seen_at_start = libos_doorbell_count();
    struct thread *t;
    if (err_is_fail(err = thread_create(waiter, NULL, &t))) {
        debug_err("doorbelltest: thread", err);
        return 1;
    }
    uint64_t deadline = rdtsc_now() + 10 * libos_tsc_hz();
    for (unsigned i = 0; i < rings && rdtsc_now() < deadline; i++) {
        while (woken < i && rdtsc_now() < deadline)
            thread_yield();             /* let the waiter go back to sleep */
        rung_at = rdtsc_now();
        wr(IGBVF_EICS, 1);
        while (woken <= i && rdtsc_now() < deadline)
            thread_yield();
    }
    int status = 0;
    thread_join(t, &status);
    unsigned got = woken;
    sort(latency, got);
    debug_printf("doorbelltest: %u of %u rings woke the sleeping thread (waiter status %d); "
                 "ring to wake-up median %lu cycles\n", got, rings, status,
                 got ? latency[got / 2] : 0);
    err = sys_invoke(ROOTCN, CNODE_CMD_DELETE, DOORBELL, 0, 0, 0).err;
    uint32_t before = libos_doorbell_count();
    for (unsigned i = 0; i < 10; i++)
        wr(IGBVF_EICS, 1);
    uint64_t until = rdtsc_now() + libos_tsc_hz() / 20;
    while (rdtsc_now() < until)
        thread_yield();
    debug_printf("doorbelltest: doorbell deleted (%s); rings after that: %u\n",
                 err_name(err_no(err)), libos_doorbell_count() - before);
    return got == rings ? 0 : 1;
}
