/**
 * \file lmp.h
 * \brief Local messages (LMP): the kernel copies a message sent to one of
 * this domain's endpoints (ENDPOINT_CMD_SEND) into the dispatcher's
 * receive ring (struct dispatcher_shared, kpi/dispatcher.h); threads take
 * them out here, in order, each message by exactly one thread.
 *
 * Ring: the kernel writes slot lmp_produced % LMP_RING_SLOTS and then
 * increments lmp_produced; the dispatcher reads slot
 * lmp_consumed % LMP_RING_SLOTS and then increments lmp_consumed. Both
 * counters wrap at 2^32, a multiple of the slot count, so the slot index
 * stays continuous. Kernel and dispatcher share one core, so compiler
 * barriers order the accesses.
 */
#ifndef LIBOS_LMP_H
#define LIBOS_LMP_H
#include <stdbool.h>
#include <stdint.h>
#include <kpi/caps.h>
#include <kpi/dispatcher.h>
#include <kpi/errors.h>

/** Messages waiting in the ring. */
static inline uint32_t lmp_ring_pending(const struct dispatcher_shared *s)
{
    return s->lmp_produced - s->lmp_consumed;
}

/** Copies out and consumes the oldest message; false if the ring is empty.
 *  The caller keeps other threads away (dispatcher disabled). */
static inline bool lmp_ring_take(struct dispatcher_shared *s, struct lmp_msg *out)
{
    uint32_t c = s->lmp_consumed;
    if (s->lmp_produced == c)
        return false;
    __asm__ volatile("" ::: "memory");      /* the slot after the count */
    *out = s->lmp[c % LMP_RING_SLOTS];
    __asm__ volatile("" ::: "memory");      /* the slot before freeing it */
    s->lmp_consumed = c + 1;
    return true;
}

/** Sleeps until a message is waiting, then takes it. Call it enabled. */
errval_t lmp_recv(struct lmp_msg *out);
/** Takes a waiting message, or fails with LIBOS_ERR_LMP_EMPTY. */
errval_t lmp_poll(struct lmp_msg *out);
/** Sends four words through endpoint capability `ep`. */
errval_t lmp_send(capaddr_t ep, uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3);
/** Send a whole text as messages of type w0 carrying 3 words of it each
 *  (libos/textmsg.h), waiting while the receiver's ring is full. */
errval_t lmp_send_text(capaddr_t ep, uint64_t w0, const char *text);
#endif
