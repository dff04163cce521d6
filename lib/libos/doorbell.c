/*
 * doorbell.c: sleeping until a Doorbell rings (libos/doorbell.h).
 *
 * The kernel counts every ring of this domain's doorbells in the
 * dispatcher page and wakes (or upcalls) the dispatcher; the scheduler
 * then wakes the threads sleeping here, and each compares the count with
 * the one it last saw. A deadline is checked whenever the dispatcher wakes
 * (at the latest on the next timer tick).
 */
#include <libos/doorbell.h>
#include <libos/dispatch.h>
#include <libos/tsc.h>
#include <libos/thread.h>
#include "dispatch_internal.h"

uint32_t libos_doorbell_count(void)
{
    return __atomic_load_n(&disp_self()->shared->doorbells, __ATOMIC_ACQUIRE);
}

errval_t libos_doorbell_wait(uint32_t *seen, uint64_t deadline_tsc)
{
    if (!seen)
        return LIBOS_ERR_BAD_ARG;
    struct libos_disp *d = disp_self();
    disp_disable_to_block("libos_doorbell_wait");
    errval_t err = ERR_OK;
    for (;;) {
        uint32_t now = __atomic_load_n(&d->shared->doorbells, __ATOMIC_ACQUIRE);
        if (now != *seen) {
            *seen = now;
            break;
        }
        if (deadline_tsc && rdtsc_now() >= deadline_tsc) {
            err = LIBOS_ERR_TIMEOUT;
            break;
        }
        thread_block(&d->doorbell_sleepers);
        disp_disable();
    }
    disp_enable();
    return err;
}
