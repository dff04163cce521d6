/*
 * lmp.c: receiving and sending local messages (libos/lmp.h).
 *
 * lmp_recv sleeps on the dispatcher's lmp_sleepers queue; the dispatcher
 * wakes every sleeper whenever it sees the ring non-empty (on each upcall,
 * yield and idle wake-up), and each retries, so a message goes to exactly
 * one of them and the others sleep again.
 */
#include "dispatch_internal.h"
#include <libos/dispatch.h>
#include <libos/lmp.h>
#include <libos/syscall.h>
#include <libos/textmsg.h>
#include <stddef.h>

errval_t lmp_poll(struct lmp_msg *out)
{
    if (!out)
        return LIBOS_ERR_BAD_ARG;
    bool was = disp_disable();
    bool got = lmp_ring_take(disp_self()->shared, out);
    if (!was)
        disp_enable();
    return got ? ERR_OK : LIBOS_ERR_LMP_EMPTY;
}

errval_t lmp_recv(struct lmp_msg *out)
{
    if (!out)
        return LIBOS_ERR_BAD_ARG;
    struct libos_disp *d = disp_self();
    disp_disable_to_block("lmp_recv");
    while (!lmp_ring_take(d->shared, out)) {
        thread_block(&d->lmp_sleepers);
        disp_disable();
    }
    disp_enable();
    return ERR_OK;
}

errval_t lmp_send(capaddr_t ep, uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3)
{
    return sys_invoke(ep, ENDPOINT_CMD_SEND, w0, w1, w2, w3).err;
}

errval_t lmp_send_text(capaddr_t ep, uint64_t w0, const char *text)
{
    size_t off = 0;
    bool last = false;
    while (!last) {
        uint64_t w[3];
        last = textmsg_pack(text, &off, w, 3);
        errval_t err;
        while (err_no(err = lmp_send(ep, w0, w[0], w[1], w[2])) == SYS_ERR_ENDPOINT_FULL)
            sys_yield(SYS_YIELD_SLICE);
        if (err_is_fail(err))
            return err;
    }
    return ERR_OK;
}
